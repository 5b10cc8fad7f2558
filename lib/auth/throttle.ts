import "server-only";
import { eq, sql } from "drizzle-orm";
import { authThrottles } from "@/db/schema";
import type { Db } from "@/db/types";

// Failed sign-ins slow down exponentially per account: the first few are free, then each further
// failure locks the key for twice as long as the last, up to a cap. State is in the database so
// every app instance enforces the same limit.
export const THROTTLE = {
  freeFailures: 5,
  windowMs: 15 * 60_000,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
};

/** Seconds until `key` may try again, or 0. */
export async function throttleWait(
  db: Db,
  key: string,
  now: Date,
): Promise<number> {
  const [row] = await db
    .select()
    .from(authThrottles)
    .where(eq(authThrottles.key, key));
  if (!row?.lockedUntil || row.lockedUntil <= now) return 0;
  return Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
}

export async function recordFailure(
  db: Db,
  key: string,
  now: Date,
): Promise<void> {
  // Raw sql parameters skip drizzle's column mapping, and postgres.js rejects Date objects there.
  const windowStart = sql`${new Date(now.getTime() - THROTTLE.windowMs).toISOString()}::timestamptz`;
  const nowParam = sql`${now.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(authThrottles)
    .values({ key, failures: 1, firstFailureAt: now })
    .onConflictDoUpdate({
      target: authThrottles.key,
      set: {
        failures: sql`case when ${authThrottles.firstFailureAt} < ${windowStart} then 1 else ${authThrottles.failures} + 1 end`,
        firstFailureAt: sql`case when ${authThrottles.firstFailureAt} < ${windowStart} then ${nowParam} else ${authThrottles.firstFailureAt} end`,
      },
    })
    .returning({ failures: authThrottles.failures });
  const over = (row?.failures ?? 0) - THROTTLE.freeFailures;
  if (over <= 0) return;
  const lockMs = Math.min(
    THROTTLE.baseLockMs * 2 ** (over - 1),
    THROTTLE.maxLockMs,
  );
  await db
    .update(authThrottles)
    .set({ lockedUntil: new Date(now.getTime() + lockMs) })
    .where(eq(authThrottles.key, key));
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(authThrottles).where(eq(authThrottles.key, key));
}
