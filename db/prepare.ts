import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { getDbHandle } from "@/db/client";
import { isUnreachable } from "@/db/errors";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { seedDemoData } from "@/db/seed";
import { env } from "@/lib/env";
import { rootMessage } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * Brings the app's database up to date at start-up: migrations always; demo data on the first start
 * of an empty embedded database (or whenever SEED_DEMO_DATA=always finds it empty).
 */
export async function prepareDatabase(): Promise<void> {
  const started = Date.now();
  const { databaseUrl, seedDemoData: seedMode } = env();
  const handle = await getDbHandle();
  await whileUnreachable(() =>
    databaseUrl ? migratePostgres(databaseUrl) : runMigrations(handle),
  );
  const wantSeed =
    seedMode === "always" ||
    (seedMode === "auto" && handle.driver === "pglite");
  const seeded = wantSeed ? await seedDemoData(handle.db) : false;
  log.info("db.ready", {
    driver: handle.driver,
    seeded,
    ms: Date.now() - started,
  });
}

/** How long start-up waits for a database that does not answer yet (a server still starting). */
export const DATABASE_WAIT_MS = 60_000;

/**
 * Runs `attempt`, and again while the database cannot be reached, for up to `waitMs`: the app and
 * PostgreSQL often start together. Any other failure, or the wait running out, is thrown.
 */
export async function whileUnreachable<T>(
  attempt: () => Promise<T>,
  {
    waitMs = DATABASE_WAIT_MS,
    pause = (ms: number) => sleep(ms),
    now = () => Date.now(),
  } = {},
): Promise<T> {
  const deadline = now() + waitMs;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isUnreachable(error) || now() >= deadline) throw error;
      const delay = Math.min(1000 * 2 ** retry, 5000, deadline - now());
      log.warn("db.unreachable", {
        retryInMs: delay,
        reason: rootMessage(error),
      });
      await pause(delay);
    }
  }
}
