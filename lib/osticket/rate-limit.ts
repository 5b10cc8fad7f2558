import "server-only";
import { lt, sql } from "drizzle-orm";
import { apiRateWindows } from "@/db/schema";
import type { Db } from "@/db/types";

const WINDOW_MS = 60_000;

export type RateDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one call for the key in the current one-minute window, in the database so every app
 * instance shares the count. Calls over the limit are refused until the window ends.
 */
export async function takeApiCall(
  db: Db,
  apiKeyId: number,
  limitPerMinute: number,
  now = new Date(),
): Promise<RateDecision> {
  if (limitPerMinute <= 0) return { allowed: true };
  const windowStart = new Date(
    Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS,
  );
  const [row] = await db
    .insert(apiRateWindows)
    .values({ apiKeyId, windowStart, calls: 1 })
    .onConflictDoUpdate({
      target: [apiRateWindows.apiKeyId, apiRateWindows.windowStart],
      set: { calls: sql`${apiRateWindows.calls} + 1` },
    })
    .returning({ calls: apiRateWindows.calls });
  if ((row?.calls ?? 0) <= limitPerMinute) return { allowed: true };
  const msLeft = windowStart.getTime() + WINDOW_MS - now.getTime();
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

/** Drops finished windows; the scheduled job calls it. */
export async function pruneApiRateWindows(
  db: Db,
  now = new Date(),
): Promise<void> {
  await db
    .delete(apiRateWindows)
    .where(lt(apiRateWindows.windowStart, new Date(now.getTime() - WINDOW_MS)));
}
