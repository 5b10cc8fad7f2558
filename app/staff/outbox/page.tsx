import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { NO_SUBJECT } from "@/components/tickets/placeholders";
import { Badge } from "@/components/ui/badge";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { listOutbox } from "@/lib/mail/queries";

export const metadata: Metadata = { title: "Outbox" };

const TONES = {
  queued: "yellow",
  sending: "blue",
  sent: "green",
  failed: "red",
} as const;

export default async function OutboxPage() {
  await requireAdmin("/staff/outbox");
  const mails = await listOutbox(await getDb());
  const smtp = Boolean(env().smtpUrl);
  return (
    <>
      <PageHeader
        title="Outbox"
        description={
          smtp
            ? "Every mail the portal sends, newest first."
            : "SMTP is not configured (SMTP_URL), so mail is recorded here and not sent."
        }
      />
      {mails.length === 0 ? (
        <EmptyState title="No mail yet" />
      ) : (
        <Table
          fixed
          className="min-w-[48rem]"
          columns={[
            "Subject",
            { label: "To", className: "w-1/4" },
            { label: "Status", className: "w-40" },
            { label: "Created", className: "w-48" },
          ]}
        >
          {mails.map((m) => (
            <tr key={m.id}>
              <Td>
                <Link
                  href={`/staff/outbox/${m.id}`}
                  className="block font-medium text-indigo-600 hover:text-indigo-500"
                >
                  <Truncate text={m.subject} placeholder={NO_SUBJECT} />
                </Link>
                <p className="text-xs text-slate-500">{m.kind}</p>
              </Td>
              <Td className="text-slate-700">
                <Truncate text={m.toAddress} placeholder="—" />
              </Td>
              <Td>
                <Badge tone={TONES[m.status]}>{m.status}</Badge>
                {m.lastError ? (
                  <p
                    className="mt-1 truncate text-xs text-red-600"
                    title={m.lastError}
                  >
                    {m.lastError}
                  </p>
                ) : null}
              </Td>
              <Td className="text-slate-700">{formatDateTime(m.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
