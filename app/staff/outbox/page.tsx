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
import { smsFromEnv } from "@/lib/sms/config";
import { listRecentSms } from "@/lib/sms/outbox";

export const metadata: Metadata = { title: "Outbox" };

const TONES = {
  queued: "yellow",
  sending: "blue",
  sent: "green",
  failed: "red",
} as const;

const SMS_TONES = {
  pending: "yellow",
  sent: "green",
  failed: "red",
  kept: "gray",
} as const;

export default async function OutboxPage() {
  await requireAdmin("/staff/outbox");
  const db = await getDb();
  const [mails, texts] = await Promise.all([listOutbox(db), listRecentSms(db)]);
  const smtp = Boolean(env().smtpUrl);
  const sms = smsFromEnv();
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
      {texts.length ? (
        <section aria-labelledby="texts" className="mb-10">
          <h2
            id="texts"
            className="mb-1 text-base font-semibold text-slate-900"
          >
            Text messages
          </h2>
          <p className="mb-3 text-sm text-slate-600">
            {sms
              ? `Sent through ${sms.provider === "twilio" ? "Twilio" : "ClickSend"}; a delivered text's words are not kept.`
              : "No SMS provider is configured (SMS_PROVIDER), so texts are kept here and not sent."}
          </p>
          <Table
            fixed
            className="min-w-[48rem]"
            columns={[
              "Text",
              { label: "To", className: "w-48" },
              { label: "Status", className: "w-48" },
              { label: "Created", className: "w-48" },
            ]}
          >
            {texts.map((t) => (
              <tr key={t.id}>
                <Td className="[overflow-wrap:anywhere] text-slate-900">
                  {t.body}
                </Td>
                <Td className="text-slate-700 tabular-nums">{t.to}</Td>
                <Td>
                  <Badge tone={SMS_TONES[t.status]}>
                    {t.status === "kept" ? "kept here" : t.status}
                  </Badge>
                  {t.lastError ? (
                    <p className="mt-1 text-xs [overflow-wrap:anywhere] text-red-700">
                      {t.lastError}
                    </p>
                  ) : null}
                </Td>
                <Td className="text-slate-700">
                  {formatDateTime(t.createdAt)}
                </Td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
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
