import "server-only";
import { getDbHandle } from "@/db/client";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { seedDemoData } from "@/db/seed";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * Brings the app's database up to date at start-up: migrations always; demo data on the first start
 * of an empty embedded database (or whenever SEED_DEMO_DATA=always finds it empty).
 */
export async function prepareDatabase(): Promise<void> {
  const started = Date.now();
  const { databaseUrl, seedDemoData: seedMode } = env();
  const handle = await getDbHandle();
  if (databaseUrl) await migratePostgres(databaseUrl);
  else await runMigrations(handle);
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
