import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Card } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/cn";
import { getTicketForCustomer } from "@/lib/tickets/queries";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Ticket #${(await params).number}` };
}

export default async function TicketPage({ params }: Props) {
  const { number } = await params;
  const viewer = await requireCustomer(
    `/tickets/${encodeURIComponent(number)}`,
  );
  const ticket = await getTicketForCustomer(await getDb(), viewer, number);
  if (!ticket) notFound();
  return (
    <>
      <Link
        href="/tickets"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All tickets
      </Link>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
          {ticket.subject}
        </h1>
        <TicketStatusBadge status={ticket.status} />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Ticket #{ticket.number} · {ticket.helpTopic ?? ticket.department} ·
        opened {formatDateTime(ticket.createdAt)}
      </p>
      <ol className="mt-8 space-y-4" aria-label="Conversation">
        {ticket.messages.map((m) => {
          const mine = m.kind === "customer";
          return (
            <li key={m.id}>
              <Card
                className={cn(
                  "p-5",
                  !mine && "bg-indigo-50/40 ring-indigo-100",
                )}
              >
                <p className="text-sm">
                  <span className="font-medium text-slate-900">
                    {mine ? "You" : m.authorName}
                  </span>
                  {!mine ? (
                    <span className="text-slate-500"> · Support team</span>
                  ) : null}
                  <span className="text-slate-500">
                    {" "}
                    · {formatDateTime(m.createdAt)}
                  </span>
                </p>
                <div className="mt-3 text-sm whitespace-pre-wrap text-slate-800">
                  {m.bodyText}
                </div>
              </Card>
            </li>
          );
        })}
      </ol>
    </>
  );
}
