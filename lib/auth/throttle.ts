import "server-only";
import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { authThrottles } from "@/db/schema";
import type { Db } from "@/db/types";

// Failed attempts slow down exponentially per key: the first few are free, then each further failure
// locks the key for twice as long as the last, up to a cap. State is in the database so every app
// instance enforces the same limit.

export type ThrottleRule = {
  freeFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
};

/**
 * Sign-in keeps two counts. One client guessing one account locks only that pair, so a stranger can
 * no longer lock the owner out: the owner elsewhere is not counted with them. One client guessing
 * across accounts (spraying one password, or a flood) is counted on its own, with more room, since
 * several people may share an address.
 */
export const SIGN_IN_LIMITS = {
  accountFromClient: {
    freeFailures: 5,
    windowMs: 15 * 60_000,
    baseLockMs: 30_000,
    maxLockMs: 15 * 60_000,
  },
  client: {
    freeFailures: 20,
    windowMs: 15 * 60_000,
    baseLockMs: 30_000,
    maxLockMs: 15 * 60_000,
  },
} satisfies Record<string, ThrottleRule>;

/** Seconds until every one of `keys` may try again, or 0. */
export async function throttleWait(
  db: Db,
  keys: string[],
  now: Date,
): Promise<number> {
  const rows = await db
    .select({ lockedUntil: authThrottles.lockedUntil })
    .from(authThrottles)
    .where(inArray(authThrottles.key, keys));
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(
  db: Db,
  key: string,
  rule: ThrottleRule,
  now: Date,
): Promise<void> {
  // Raw sql parameters skip drizzle's column mapping, and postgres.js rejects Date objects there.
  const windowStart = sql`${new Date(now.getTime() - rule.windowMs).toISOString()}::timestamptz`;
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
  const over = (row?.failures ?? 0) - rule.freeFailures;
  if (over <= 0) return;
  const lockMs = Math.min(rule.baseLockMs * 2 ** (over - 1), rule.maxLockMs);
  await db
    .update(authThrottles)
    .set({ lockedUntil: new Date(now.getTime() + lockMs) })
    .where(eq(authThrottles.key, key));
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(authThrottles).where(eq(authThrottles.key, key));
}

/**
 * Forgets keys whose count window has passed and that are not locked: a flood from many addresses
 * leaves a row per address. Returns how many were removed. For the scheduled job.
 */
export async function pruneThrottles(db: Db, now: Date): Promise<number> {
  const longestWindow = Math.max(
    ...Object.values(SIGN_IN_LIMITS).map((r) => r.windowMs),
  );
  const removed = await db
    .delete(authThrottles)
    .where(
      and(
        lt(
          authThrottles.firstFailureAt,
          new Date(now.getTime() - longestWindow),
        ),
        or(
          isNull(authThrottles.lockedUntil),
          lte(authThrottles.lockedUntil, now),
        ),
      ),
    )
    .returning({ key: authThrottles.key });
  return removed.length;
}
