import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { outboundSms, type OutboundSms } from "@/db/schema";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import { maskPhone } from "@/lib/sms/phone";
import { sendSms, smsRetryDelaySeconds } from "@/lib/sms/send";
import type { SmsCallOptions, SmsConfig, SmsMessage } from "@/lib/sms/types";

// Every text Portico sends goes through this table, like mail through the mail outbox. Without a
// provider a text is kept here for administrators to read (/staff/outbox): that is how a test
// install or a demo gets its codes. With one, the job sends due texts, retries with back-off what
// may work later, and blanks the body once it is delivered, since it carries a one-time code.

/** Attempts before a text that keeps failing is given up. */
export const SMS_MAX_ATTEMPTS = 6;
/** What a delivered text's body becomes. */
export const DELIVERED_BODY = "(delivered; the text is not kept)";

export async function enqueueSms(
  db: Db,
  message: SmsMessage,
  config: SmsConfig | null,
  now = new Date(),
): Promise<OutboundSms> {
  const [row] = await db
    .insert(outboundSms)
    .values({
      to: message.to,
      body: message.body,
      status: config ? "pending" : "kept",
      provider: config?.provider ?? null,
      nextAttemptAt: config ? now : null,
      createdAt: now,
    })
    .returning();
  return row!;
}

export type SmsDeliverySummary = {
  sent: number;
  retrying: number;
  failed: number;
};

/**
 * Sends the texts that are due, oldest first. Each is claimed by moving its next attempt forward
 * before the provider is called, so two runs never send the same text twice.
 */
export async function deliverDueSms(
  db: Db,
  config: SmsConfig,
  opts: { now?: Date; limit?: number; call?: SmsCallOptions } = {},
): Promise<SmsDeliverySummary> {
  const now = opts.now ?? new Date();
  const summary: SmsDeliverySummary = { sent: 0, retrying: 0, failed: 0 };
  const due = await db
    .select({ id: outboundSms.id })
    .from(outboundSms)
    .where(
      and(
        eq(outboundSms.status, "pending"),
        lte(outboundSms.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(outboundSms.nextAttemptAt))
    .limit(opts.limit ?? 20);
  for (const { id } of due) {
    const [claimed] = await db
      .update(outboundSms)
      .set({
        attempts: sql`${outboundSms.attempts} + 1`,
        // Held for a minute: a run that dies mid-call leaves the text to the next run.
        nextAttemptAt: new Date(now.getTime() + 60_000),
      })
      .where(
        and(
          eq(outboundSms.id, id),
          eq(outboundSms.status, "pending"),
          lte(outboundSms.nextAttemptAt, now),
        ),
      )
      .returning();
    if (!claimed) continue;
    const outcome = await sendSms(
      config,
      { to: claimed.to, body: claimed.body },
      opts.call,
    );
    if (outcome.ok) {
      summary.sent++;
      await db
        .update(outboundSms)
        .set({
          status: "sent",
          provider: config.provider,
          providerId: outcome.providerId,
          body: DELIVERED_BODY,
          sentAt: now,
          nextAttemptAt: null,
          lastError: null,
        })
        .where(eq(outboundSms.id, id));
      continue;
    }
    const giveUp = !outcome.retry || claimed.attempts >= SMS_MAX_ATTEMPTS;
    if (giveUp) summary.failed++;
    else summary.retrying++;
    await db
      .update(outboundSms)
      .set({
        status: giveUp ? "failed" : "pending",
        provider: config.provider,
        lastError: outcome.reason,
        nextAttemptAt: giveUp
          ? null
          : new Date(
              now.getTime() +
                smsRetryDelaySeconds(outcome, claimed.attempts) * 1000,
            ),
        // A code that will never arrive is no use to anyone reading the table.
        ...(giveUp ? { body: "(not delivered; the text is not kept)" } : {}),
      })
      .where(eq(outboundSms.id, id));
    if (giveUp)
      log.warn("sms.given_up", {
        id,
        to: maskPhone(claimed.to),
        attempts: claimed.attempts,
      });
  }
  return summary;
}

/** The newest texts, for the administrators' outbox page. */
export async function listRecentSms(
  db: Db,
  limit = 50,
): Promise<OutboundSms[]> {
  return db
    .select()
    .from(outboundSms)
    .orderBy(sql`${outboundSms.createdAt} desc`)
    .limit(limit);
}
