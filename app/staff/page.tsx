import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAgent } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { countTicketsByStatus, listQueue } from "@/lib/tickets/queries";

export const metadata: Metadata = { title: "Queue" };

export default async function QueuePage() {
  await requireAgent("/staff");
  const db = await getDb();
  const [queue, counts] = await Promise.all([
    listQueue(db),
    countTicketsByStatus(db),
  ]);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Queue"
        description="Tickets that are open or waiting on the customer, newest activity first."
      />
      <dl className="mb-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {(["open", "pending", "resolved", "closed"] as const).map((status) => (
          <Card key={status} className="p-4">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">
              {status}
            </dt>
            <dd className="mt-1 text-2xl font-semibold text-slate-900">
              {counts[status]}
            </dd>
          </Card>
        ))}
      </dl>
      {queue.length === 0 ? (
        <EmptyState title="Nothing waiting">
          Every ticket has been answered.
        </EmptyState>
      ) : (
        <Table
          columns={[
            "Ticket",
            "Customer",
            "Department",
            "Assignee",
            "Status",
            "Due",
          ]}
        >
          {queue.map((t) => (
            <tr key={t.id}>
              <Td>
                <p className="font-medium text-slate-900">{t.subject}</p>
                <p className="text-xs text-slate-500">
                  #{t.number} · {t.priority} · via {t.source}
                </p>
              </Td>
              <Td className="text-slate-700">{t.customerName}</Td>
              <Td className="text-slate-700">{t.department}</Td>
              <Td className="text-slate-700">
                {t.assigneeName ?? (
                  <span className="text-slate-400">Unassigned</span>
                )}
              </Td>
              <Td>
                <TicketStatusBadge status={t.status} />
              </Td>
              <Td className="text-slate-700">
                {t.dueAt ? (
                  t.dueAt < now ? (
                    <Badge tone="red">Overdue</Badge>
                  ) : (
                    formatDateTime(t.dueAt)
                  )
                ) : (
                  "—"
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
