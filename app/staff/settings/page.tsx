import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { listProductsForStaff } from "@/lib/catalog/queries";
import { formatPrice } from "@/lib/format";
import {
  listCannedReplies,
  listDepartments,
  listHelpTopics,
  listSlaPlans,
} from "@/lib/helpdesk/queries";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { listStaff } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Settings" };

// Each section lists its first rows; the rest is on the section's own page.
const PREVIEW_ROWS = 5;

export default async function SettingsPage() {
  await requireAdmin("/staff/settings");
  const db = await getDb();
  const [departments, topics, plans, canned, staff, products] =
    await Promise.all([
      listDepartments(db),
      listHelpTopics(db),
      listSlaPlans(db),
      listCannedReplies(db),
      listStaff(db),
      listProductsForStaff(db),
    ]);
  const base = "/staff/settings";
  return (
    <>
      <PageHeader
        title="Settings"
        description="How tickets are routed, prioritised and answered, who answers them, and what the shop sells."
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <Section
          title="Departments"
          href={`${base}/departments`}
          count={departments.length}
          summary="Where tickets are routed, and which agents work them."
        >
          {departments.slice(0, PREVIEW_ROWS).map((d) => (
            <Row
              key={d.id}
              href={`${base}/departments/${d.id}`}
              id={d.id}
              name={d.name}
              detail={[
                d.email,
                d.slaPlan,
                `${d.memberCount} agent${d.memberCount === 1 ? "" : "s"}`,
              ]
                .filter(Boolean)
                .join(" · ")}
            />
          ))}
        </Section>
        <Section
          title="Help topics"
          href={`${base}/help-topics`}
          count={topics.length}
          summary="What customers pick when they open a ticket."
        >
          {topics.slice(0, PREVIEW_ROWS).map((t) => (
            <Row
              key={t.id}
              href={`${base}/help-topics/${t.id}`}
              id={t.id}
              name={t.name}
              detail={`${t.department} · ${PRIORITY_LABELS[t.priority]} priority${t.slaPlan ? ` · ${t.slaPlan}` : ""}`}
              inactive={!t.isActive}
            />
          ))}
        </Section>
        <Section
          title="SLA plans"
          href={`${base}/sla-plans`}
          count={plans.length}
          summary="How long a ticket may wait before it is overdue."
        >
          {plans.slice(0, PREVIEW_ROWS).map((p) => (
            <Row
              key={p.id}
              href={`${base}/sla-plans/${p.id}`}
              id={p.id}
              name={p.name}
              detail={`Grace period ${p.gracePeriodHours} h`}
              inactive={!p.isActive}
            />
          ))}
        </Section>
        <Section
          title="Canned replies"
          href={`${base}/canned-replies`}
          count={canned.length}
          summary="Ready-made answers for agents."
        >
          {canned.slice(0, PREVIEW_ROWS).map((c) => (
            <Row
              key={c.id}
              href={`${base}/canned-replies/${c.id}`}
              id={c.id}
              name={c.title}
              detail={c.department ?? "All departments"}
              inactive={!c.isActive}
            />
          ))}
        </Section>
        <Section
          title="Agents"
          href={`${base}/agents`}
          count={staff.length}
          summary="Who works the staff desk, and in which departments."
        >
          {staff.slice(0, PREVIEW_ROWS).map((s) => (
            <Row
              key={s.id}
              href={`${base}/agents/${s.id}`}
              name={s.name}
              detail={[
                s.role === "admin" ? "Administrator" : "Agent",
                s.departments.map((d) => d.name).join(", "),
              ]
                .filter(Boolean)
                .join(" · ")}
              inactive={Boolean(s.deactivatedAt)}
              inactiveLabel="Deactivated"
            />
          ))}
        </Section>
        <Section
          title="Products"
          href={`${base}/products`}
          count={products.length}
          summary="What the shop sells, and at what price."
        >
          {products.slice(0, PREVIEW_ROWS).map((p) => (
            <Row
              key={p.id}
              href={`${base}/products/${p.id}`}
              name={p.name}
              detail={[
                p.category,
                p.prices[0] ? formatPrice(p.prices[0]) : "No price",
              ]
                .filter(Boolean)
                .join(" · ")}
              inactive={!p.isActive}
              inactiveLabel="Archived"
            />
          ))}
        </Section>
      </div>
    </>
  );
}

function Section({
  title,
  href,
  count,
  summary,
  children,
}: {
  title: string;
  href: string;
  count: number;
  summary: string;
  children: ReactNode;
}) {
  return (
    <Card className="flex flex-col">
      <div className="flex items-start justify-between gap-4 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 className="font-medium text-slate-900">
            <Link href={href} className="hover:text-indigo-600">
              {title}
            </Link>{" "}
            <span className="text-sm font-normal text-slate-500">
              ({count})
            </span>
          </h2>
          <p className="text-xs text-slate-500">{summary}</p>
        </div>
        <Link
          href={href}
          className="shrink-0 text-sm font-medium text-indigo-600 hover:text-indigo-500"
        >
          Manage<span className="sr-only"> {title.toLowerCase()}</span> →
        </Link>
      </div>
      <ul className="flex-1 divide-y divide-slate-100">{children}</ul>
      {count > PREVIEW_ROWS ? (
        <Link
          href={href}
          className="border-t border-slate-100 px-4 py-2 text-sm text-slate-600 hover:text-slate-900"
        >
          and {count - PREVIEW_ROWS} more…
        </Link>
      ) : null}
    </Card>
  );
}

function Row({
  href,
  id,
  name,
  detail,
  inactive,
  inactiveLabel = "Inactive",
}: {
  href: string;
  id?: number;
  name: string;
  detail: string;
  inactive?: boolean;
  inactiveLabel?: string;
}) {
  return (
    <li>
      <Link
        href={href}
        className="flex items-center gap-3 px-4 py-3 text-sm hover:bg-slate-50"
      >
        {id !== undefined ? (
          <span className="w-8 font-mono text-xs text-slate-500">{id}</span>
        ) : null}
        <div className="min-w-0 flex-1">
          <p
            dir="auto"
            className="font-medium [overflow-wrap:anywhere] break-words text-slate-900"
          >
            {name}
          </p>
          <p className="truncate text-xs text-slate-500">{detail}</p>
        </div>
        {inactive ? <Badge>{inactiveLabel}</Badge> : null}
      </Link>
    </li>
  );
}
