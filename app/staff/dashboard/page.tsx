import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import {
  FirstResponseChart,
  TicketsPerDayChart,
} from "@/components/staff/dashboard-charts";
import { PageHeader } from "@/components/ui/card";
import { requireAgent } from "@/lib/auth/session";
import { cn } from "@/lib/cn";
import {
  countDashboardTickets,
  getMedianFirstResponse,
  listMedianFirstResponseByDay,
  listTicketsPerDay,
} from "@/lib/tickets/dashboard";
import { formatDuration } from "@/lib/tickets/sla";

export const metadata: Metadata = { title: "Dashboard" };

const HOUR = 3600_000;
const number = new Intl.NumberFormat("en-GB");
const dayLabel = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  timeZone: "UTC",
});

export default async function DashboardPage() {
  await requireAgent("/staff/dashboard");
  const db = await getDb();
  const now = new Date();
  const [counts, perDay, responseDays, medianMs] = await Promise.all([
    countDashboardTickets(db, now),
    listTicketsPerDay(db, now),
    listMedianFirstResponseByDay(db, now),
    getMedianFirstResponse(db, now),
  ]);

  const created = perDay.reduce((n, d) => n + d.created, 0);
  const closed = perDay.reduce((n, d) => n + d.closed, 0);
  const busiest = perDay.reduce((a, b) => (b.created > a.created ? b : a));
  const answered = responseDays.reduce((n, d) => n + d.responded, 0);
  const cards = [
    {
      label: "Open tickets",
      value: counts.open,
      hint: "Waiting for an agent",
      href: "/staff?view=open",
      isAlert: false,
    },
    {
      label: "Overdue",
      value: counts.overdue,
      hint: "Past their SLA due time",
      href: "/staff?view=overdue",
      isAlert: counts.overdue > 0,
    },
    {
      label: "Unassigned",
      value: counts.unassigned,
      hint: "Open or pending, no agent yet",
      href: "/staff?view=unassigned",
      isAlert: false,
    },
  ];

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="What is waiting right now, and how the last 30 days went (days in UTC)."
      />
      <ul className="mb-6 grid gap-4 sm:grid-cols-3">
        {cards.map((c) => (
          <li key={c.href}>
            <Link
              href={c.href}
              className="group block rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 transition hover:ring-indigo-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              <span className="block text-sm font-medium text-slate-600">
                {c.label}
              </span>
              <span
                className={cn(
                  "mt-1 block text-3xl font-semibold tracking-tight",
                  c.isAlert ? "text-red-600" : "text-slate-900",
                )}
              >
                {number.format(c.value)}
              </span>
              <span className="mt-2 flex items-center justify-between text-xs text-slate-500">
                {c.hint}
                <span className="font-medium text-indigo-600 group-hover:text-indigo-500">
                  View in queue <span aria-hidden>→</span>
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <div className="grid gap-6 xl:grid-cols-2">
        <TicketsPerDayChart
          title="Tickets per day, last 30 days"
          headline={`${number.format(created)} new`}
          summary={`${number.format(closed)} resolved or closed. Busiest day: ${dayLabel.format(new Date(`${busiest.day}T00:00:00Z`))}, with ${number.format(busiest.created)} new.`}
          data={perDay}
        />
        <FirstResponseChart
          title="Median first response, last 30 days"
          headline={medianMs === null ? null : formatDuration(medianMs)}
          summary={`Over ${number.format(answered)} answered ${answered === 1 ? "ticket" : "tickets"} opened in this period; each point is the median for the tickets opened that day.`}
          data={responseDays.map((d) => ({
            day: d.day,
            medianHours:
              d.medianMs === null
                ? null
                : Math.round((d.medianMs / HOUR) * 100) / 100,
            medianText: d.medianMs === null ? null : formatDuration(d.medianMs),
            responded: d.responded,
          }))}
        />
      </div>
    </>
  );
}
