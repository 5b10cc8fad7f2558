import "server-only";
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import { outboundMail, type OutboundMail } from "@/db/schema";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import { openSecrets } from "@/lib/mail/sealed";

export const DELIVERY = {
  maxAttempts: 8,
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 3600_000,
  batch: 50,
  leaseMs: 10 * 60_000,
};

export type DeliverySummary = {
  sent: number;
  retrying: number;
  failed: number;
};

/** Next try after `attempts` failures: 1 min, 2, 4 … capped at 6 h. */
export function nextAttemptAt(attempts: number, now: Date): Date {
  const delay = Math.min(
    DELIVERY.baseDelayMs * 2 ** Math.max(0, attempts - 1),
    DELIVERY.maxDelayMs,
  );
  return new Date(now.getTime() + delay);
}

/**
 * Sends queued mail whose time has come. Rows are claimed with SKIP LOCKED so several instances
 * (cron, after-response sends) never send the same mail twice. The scheduled job takes the oldest
 * first; a request's own send takes the newest first, so the reply it just queued never waits
 * behind a backlog (an API burst, a long SMTP outage) that the job works through.
 */
export async function deliverDueMail(
  db: Db,
  transport: Transporter,
  now: Date,
  { limit = DELIVERY.batch, newestFirst = false } = {},
): Promise<DeliverySummary> {
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outboundMail.id })
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.status, "queued"),
          lte(outboundMail.nextAttemptAt, now),
        ),
      )
      .orderBy(
        newestFirst
          ? desc(outboundMail.nextAttemptAt)
          : asc(outboundMail.nextAttemptAt),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return (
      tx
        .update(outboundMail)
        // While "sending", nextAttemptAt is the lease: a crashed sender's mail is requeued after it.
        .set({
          status: "sending",
          attempts: sql`${outboundMail.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + DELIVERY.leaseMs),
        })
        .where(
          inArray(
            outboundMail.id,
            due.map((d) => d.id),
          ),
        )
        .returning()
    );
  });

  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0 };
  for (const mail of claimed) {
    const message = toNodemailer(mail);
    if (!message) {
      // Retrying cannot help: the link's key is gone. The recipient must ask for a new link.
      await db
        .update(outboundMail)
        .set({ status: "failed", lastError: UNSEALABLE })
        .where(eq(outboundMail.id, mail.id));
      log.warn("mail.unsealable", { mailId: mail.id, kind: mail.kind });
      summary.failed++;
      continue;
    }
    try {
      await transport.sendMail(message);
      await db
        .update(outboundMail)
        .set({ status: "sent", sentAt: new Date(), lastError: null })
        .where(eq(outboundMail.id, mail.id));
      summary.sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = mail.attempts >= DELIVERY.maxAttempts;
      await db
        .update(outboundMail)
        .set({
          status: giveUp ? "failed" : "queued",
          lastError: message.slice(0, 500),
          nextAttemptAt: nextAttemptAt(mail.attempts, now),
        })
        .where(eq(outboundMail.id, mail.id));
      log.warn("mail.delivery_failed", {
        mailId: mail.id,
        attempts: mail.attempts,
        giveUp,
        error: message,
      });
      if (giveUp) summary.failed++;
      else summary.retrying++;
    }
  }
  return summary;
}

/** Mail left in "sending" by a crashed process goes back to the queue once its lease ran out. */
export async function requeueStuckMail(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(outboundMail)
    .set({ status: "queued" })
    .where(
      and(
        eq(outboundMail.status, "sending"),
        lte(outboundMail.nextAttemptAt, now),
      ),
    )
    .returning({ id: outboundMail.id });
  return rows.length;
}

const UNSEALABLE =
  "Its link was sealed under another NEXTAUTH_SECRET and cannot be opened; a new link must be requested.";

/** The mail as SMTP gets it, its sealed links opened; null when one cannot be opened. */
function toNodemailer(mail: OutboundMail) {
  const text = openSecrets(mail.bodyText);
  const html = mail.bodyHtml === null ? null : openSecrets(mail.bodyHtml);
  if (text === null || (mail.bodyHtml !== null && html === null)) return null;
  return {
    from: mail.fromAddress,
    to: mail.toAddress,
    subject: mail.subject,
    text,
    html: html ?? undefined,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? undefined,
    references: mail.references ?? undefined,
    headers: {
      "Auto-Submitted": "auto-generated",
      "X-Portico-Mail": mail.kind,
    },
  };
}
