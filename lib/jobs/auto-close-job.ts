import "server-only";
import type { Db } from "@/db/types";
import { withJobLease } from "@/lib/jobs/lease";
import { closeRestingResolvedTickets } from "@/lib/tickets/auto-close";

export type AutoCloseJobSummary =
  | { ran: false; reason: "off" | "locked" }
  | { ran: true; closed: number; durationMs: number };

// One batch of small transactions; a crashed run's lease lapses after this.
const LEASE_MS = 5 * 60_000;

/**
 * Closes resolved tickets the customer has not answered for `days` days (AUTO_CLOSE_DAYS; 0 turns
 * it off). Run by the scheduler and the cron route after the prune job, under its own lease.
 */
export async function runAutoCloseJob(
  db: Db,
  deps: { now: Date; days: number },
): Promise<AutoCloseJobSummary> {
  if (deps.days <= 0) return { ran: false, reason: "off" };
  const started = Date.now();
  const result = await withJobLease(
    db,
    "auto-close",
    { now: deps.now, leaseMs: LEASE_MS },
    () => closeRestingResolvedTickets(db, { days: deps.days, now: deps.now }),
  );
  return result === null
    ? { ran: false, reason: "locked" }
    : { ran: true, ...result, durationMs: Date.now() - started };
}
