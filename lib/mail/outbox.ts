import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { outboundMail, type OutboundMail } from "@/db/schema";
import { sessionStatements, sqlStatement } from "@/db/prepared";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";
import { sealSecrets } from "@/lib/mail/sealed";

export type OutgoingMail = {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  ticketId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Set to thread a ticket's mail: the Message-ID this mail will carry. */
  messageId?: string;
};

/** An RFC 5322 Message-ID (with angle brackets) on the sending domain; random unless `local` is given. */
export function newMessageId(local: string = randomUUID()): string {
  return `<${local}@${senderDomain()}>`;
}

function senderDomain(): string {
  const match = /@([^>\s]+)>?\s*$/.exec(env().mailFrom);
  return match?.[1] ?? "portico.invalid";
}

/** Records a mail in the outbox. Call inside the transaction that causes it; delivery happens after commit. */
export async function enqueueMail(
  db: Db,
  mail: OutgoingMail,
  now = new Date(),
): Promise<OutboundMail> {
  const [row] = await enqueueMails(db, [mail], now);
  if (!row) throw new Error("outbox insert returned nothing");
  return row;
}

/** Several mails in one insert (e.g. one alert per agent). */
export async function enqueueMails(
  db: Db,
  mails: OutgoingMail[],
  now = new Date(),
): Promise<OutboundMail[]> {
  if (mails.length === 0) return [];
  return db.insert(outboundMail).values(outboxRows(mails, now)).returning();
}

/**
 * The outbox rows of `mails`, for a caller that writes them together with what causes them. Password
 * reset and invitation mail enter the outbox here, so this is where their links are sealed (sealed.ts).
 */
export function outboxRows(
  mails: OutgoingMail[],
  now: Date,
): (typeof outboundMail.$inferInsert)[] {
  const from = env().mailFrom;
  return mails.map((mail) => ({
    kind: mail.kind,
    toAddress: mail.to,
    fromAddress: from,
    subject: mail.subject,
    bodyText: sealSecrets(mail.text),
    bodyHtml: mail.html === undefined ? undefined : sealSecrets(mail.html),
    messageId: mail.messageId ?? newMessageId(),
    inReplyTo: mail.inReplyTo,
    references: mail.references?.join(" ") || null,
    ticketId: mail.ticketId,
    nextAttemptAt: now,
    createdAt: now,
  }));
}

type OutboxRow = ReturnType<typeof outboxRows>[number];

/**
 * Writes outbox rows (outboxRows) however many there are, in one statement whose text never
 * changes: an insert of n rows built by drizzle is a new statement for every n, built anew and
 * prepared on the connection, a round trip of its own, each time (the invoice run queues a receipt
 * for every order it numbers). A column a row leaves out is null, as drizzle's insert would make
 * it: outboxRows leaves out only columns that have no default.
 */
export async function insertOutboxRows(
  db: Db,
  rows: OutboxRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(db, "", buildInsertRows, { rows: JSON.stringify(rows) });
}

const insertRows = sessionStatements(() => undefined);
const buildInsertRows = sqlStatement(
  () => sql`insert into ${outboundMail}
      (kind, to_address, from_address, subject, body_text, body_html, message_id, in_reply_to,
       "references", ticket_id, next_attempt_at, created_at)
      select m."kind", m."toAddress", m."fromAddress", m."subject", m."bodyText", m."bodyHtml",
             m."messageId", m."inReplyTo", m."references", m."ticketId", m."nextAttemptAt",
             m."createdAt"
      from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as m(
        "kind" text, "toAddress" text, "fromAddress" text, "subject" text, "bodyText" text,
        "bodyHtml" text, "messageId" text, "inReplyTo" text, "references" text, "ticketId" uuid,
        "nextAttemptAt" timestamptz, "createdAt" timestamptz)`,
);
