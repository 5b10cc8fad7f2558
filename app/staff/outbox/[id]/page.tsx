import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { Card } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { getOutboundMail } from "@/lib/mail/queries";
import { redactSecrets } from "@/lib/mail/sealed";

export const metadata: Metadata = { title: "Outbound mail" };

export default async function OutboundMailPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  await requireAdmin(`/staff/outbox/${encodeURIComponent(rawId)}`);
  const parsed = z.uuid().safeParse(rawId);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const mail = await getOutboundMail(await getDb(), id);
  if (!mail) notFound();
  const headers: Array<[string, string | null]> = [
    ["From", mail.fromAddress],
    ["To", mail.toAddress],
    ["Subject", mail.subject],
    ["Message-ID", mail.messageId],
    ["In-Reply-To", mail.inReplyTo],
    ["References", mail.references],
    ["Status", `${mail.status} after ${mail.attempts} attempt(s)`],
    ["Created", formatDateTime(mail.createdAt)],
    ["Sent", mail.sentAt ? formatDateTime(mail.sentAt) : null],
  ];
  return (
    <>
      <Link
        href="/staff/outbox"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← Outbox
      </Link>
      <h1
        dir="auto"
        className="mt-4 text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-slate-900"
      >
        {mail.subject}
      </h1>
      <Card className="mt-6 p-5">
        <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-y-2 text-sm">
          {headers
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd className="font-mono text-xs break-all text-slate-900">
                  {v}
                </dd>
              </div>
            ))}
        </dl>
      </Card>
      <Card className="mt-4 p-5">
        <h2 className="text-sm font-medium text-slate-500">Plain-text part</h2>
        {/* A password link signs in whoever opens it: only its recipient ever sees it. */}
        <pre
          dir="auto"
          className="mt-3 text-sm [overflow-wrap:anywhere] whitespace-pre-wrap text-slate-800"
        >
          {redactSecrets(mail.bodyText)}
        </pre>
      </Card>
    </>
  );
}
