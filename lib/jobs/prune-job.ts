import "server-only";
import type { Db } from "@/db/types";
import { pruneThrottles } from "@/lib/auth/throttle";
import { withJobLease } from "@/lib/jobs/lease";
import { pruneApiCalls } from "@/lib/osticket/call-log";
import { pruneIdempotencyKeys } from "@/lib/osticket/idempotency";
import { pruneApiRateWindows } from "@/lib/osticket/rate-limit";

export type PruneJobSummary =
  | { ran: false; reason: "locked" }
  | { ran: true; throttlesRemoved: number; durationMs: number };

// A few deletes by indexed time; a crashed run's lease lapses after this.
const LEASE_MS = 5 * 60_000;

/**
 * Bookkeeping that has run its course: finished API rate windows, day-old idempotency answers,
 * calls older than the call log keeps, and sign-in throttles whose window has passed. Run by the
 * scheduler and the cron route after the mail job, under its own lease so one instance prunes at
 * a time.
 */
export async function runPruneJob(
  db: Db,
  deps: { now: Date },
): Promise<PruneJobSummary> {
  const started = Date.now();
  const result = await withJobLease(
    db,
    "prune",
    { now: deps.now, leaseMs: LEASE_MS },
    async () => {
      await pruneApiRateWindows(db, deps.now);
      await pruneIdempotencyKeys(db, deps.now);
      await pruneApiCalls(db, deps.now);
      return { throttlesRemoved: await pruneThrottles(db, deps.now) };
    },
  );
  return result === null
    ? { ran: false, reason: "locked" }
    : { ran: true, ...result, durationMs: Date.now() - started };
}
