import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listTicketsForCustomer } from "@/lib/tickets/queries";

export const metadata: Metadata = { title: "Your tickets" };

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function TicketsPage({ searchParams }: Props) {
  const viewer = await requireCustomer("/tickets");
  const query = await searchParams;
  const tickets = await listTicketsForCustomer(await getDb(), viewer);
  return (
    <>
      {query.welcome ? (
        <div className="mb-6">
          <Alert tone="success">
            Welcome to Portico, {viewer.name}! Your account is ready.
          </Alert>
        </div>
      ) : null}
      {query["password-reset"] ? (
        <div className="mb-6">
          <Alert tone="success">
            Your password was changed and you are signed in.
          </Alert>
        </div>
      ) : null}
      <PageHeader
        title="Your tickets"
        description="Questions and problems you've raised with our team."
      />
      {tickets.length === 0 ? (
        <EmptyState title="No tickets yet">
          When you ask us for help, the conversation shows up here.
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100">
            {tickets.map((t) => (
              <li
                key={t.id}
                className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-4"
              >
                <div className="min-w-0 flex-1">
                  <Link
                    href={`/tickets/${t.number}`}
                    className="font-medium text-slate-900 hover:text-indigo-600"
                  >
                    {t.subject}
                  </Link>
                  <p className="text-xs text-slate-500">
                    #{t.number}
                    {t.helpTopic ? ` · ${t.helpTopic}` : ""} · last activity{" "}
                    {formatDateTime(t.lastMessageAt)}
                  </p>
                </div>
                <TicketStatusBadge status={t.status} />
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
