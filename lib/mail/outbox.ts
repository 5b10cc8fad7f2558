import "server-only";
import { randomUUID } from "node:crypto";
import { outboundMail, type OutboundMail } from "@/db/schema";
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
