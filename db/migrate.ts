import "server-only";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openPostgres } from "@/db/open";
import type { DbHandle } from "@/db/types";

const migrationsFolder = path.join(
  /*turbopackIgnore: true*/ process.cwd(),
  "drizzle",
);
// Any constant works; it only has to be the same in every instance.
const MIGRATION_LOCK = 7215042;

/**
 * Applies every migration in ./drizzle that has not run yet. Idempotent on both drivers. A PostgreSQL
 * handle must hold a single connection (use migratePostgres), since the advisory lock is per session.
 */
export async function runMigrations(handle: DbHandle): Promise<void> {
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], {
      migrationsFolder,
    });
    return;
  }
  // Several app instances may start at once; the advisory lock lets one migrate while the rest wait.
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  await handle.db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
  try {
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], {
      migrationsFolder,
    });
  } finally {
    await handle.db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
  }
}

/** Migrates PostgreSQL over its own single connection, leaving the app's pool alone. */
export async function migratePostgres(url: string): Promise<void> {
  const handle = await openPostgres(url, { max: 1 });
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
}
