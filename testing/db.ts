import { randomBytes } from "node:crypto";
import { openPglite, openPostgres } from "@/db/open";
import { migratePostgres, runMigrations } from "@/db/migrate";
import type { Db, DbHandle } from "@/db/types";

// A fresh, migrated database per test file: in-memory PGlite by default, or a throw-away database
// on the PostgreSQL server named by TEST_DATABASE_URL when TEST_DRIVER=postgres (the CI's second pass).

export type TestDb = {
  db: Db;
  handle: DbHandle;
  driver: "pglite" | "postgres";
  /** The database's URL on PostgreSQL, for a test that opens its own pool on it. */
  url?: string;
  close: () => Promise<void>;
};

export type TestDbOptions = {
  /** Also make it the app's database (getDb() in routes and actions) until it is closed. */
  asAppDatabase?: boolean;
};

export async function createTestDb(
  options: TestDbOptions = {},
): Promise<TestDb> {
  const t = await openTestDb();
  if (!options.asAppDatabase) return t;
  // Loaded only here, so tests of lib/ code never load db/client and the Next.js modules it needs.
  const { forgetAppDatabase, provideAppDatabase } =
    await import("@/testing/app-db");
  provideAppDatabase(t);
  return {
    ...t,
    close: async () => {
      forgetAppDatabase();
      await t.close();
    },
  };
}

async function openTestDb(): Promise<TestDb> {
  if (process.env.TEST_DRIVER !== "postgres") {
    const handle = await openPglite(undefined);
    await runMigrations(handle);
    return { db: handle.db, handle, driver: "pglite", close: handle.close };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl)
    throw new Error(
      "TEST_DRIVER=postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).",
    );
  const server = new URL(serverUrl);
  // Tests create and drop databases: never point them at anything but this machine.
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(server.hostname)) {
    throw new Error(
      `Refusing to run tests against non-local database host ${server.hostname}.`,
    );
  }
  const name = `portico_test_${randomBytes(6).toString("hex")}`;
  const admin = await openPostgres(serverUrl, { max: 1 });
  await admin.db.execute(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migratePostgres(url.toString());
  const handle = await openPostgres(url.toString(), { max: 5 });
  return {
    db: handle.db,
    handle,
    driver: "postgres",
    url: url.toString(),
    close: async () => {
      await handle.close();
      await admin.db.execute(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}
