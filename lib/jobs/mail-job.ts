import "server-only";
import type { Transporter } from "nodemailer";
import type { Db } from "@/db/types";
import { withJobLease } from "@/lib/jobs/lease";
import {
  deliverDueMail,
  requeueStuckMail,
  type DeliverySummary,
} from "@/lib/mail/deliver";
import { pruneIdempotencyKeys } from "@/lib/osticket/idempotency";
import { pruneApiRateWindows } from "@/lib/osticket/rate-limit";

export type MailJobSummary =
  | { ran: false; reason: "locked" }
  | {
      ran: true;
      outbox:
        | (DeliverySummary & { requeued: number })
        | { skipped: "smtp not configured" };
      durationMs: number;
    };

// Long enough for a bounded batch; a crashed run's lease lapses after this.
const LEASE_MS = 5 * 60_000;

/**
 * One run of the scheduled mail work, shared by the cron route and the in-process ticker. Issue #5
 * adds IMAP ingestion and #6 Mailcow provisioning here; today it retries the outbox.
 */
export async function runMailJob(
  db: Db,
  deps: { transport: Transporter | null; now: Date },
): Promise<MailJobSummary> {
  const started = Date.now();
  const result = await withJobLease(
    db,
    "mail",
    { now: deps.now, leaseMs: LEASE_MS },
    async () => {
      // API bookkeeping that has run its course: finished rate windows, day-old idempotency answers.
      await pruneApiRateWindows(db, deps.now);
      await pruneIdempotencyKeys(db, deps.now);
      if (!deps.transport) return { skipped: "smtp not configured" as const };
      const requeued = await requeueStuckMail(db, deps.now);
      return {
        ...(await deliverDueMail(db, deps.transport, deps.now)),
        requeued,
      };
    },
  );
  return result === null
    ? { ran: false, reason: "locked" }
    : { ran: true, outbox: result, durationMs: Date.now() - started };
}
