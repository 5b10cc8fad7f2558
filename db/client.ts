import "server-only";
import { connection } from "next/server";
import { openPglite, openPostgres } from "@/db/open";
import type { Db, DbHandle } from "@/db/types";
import { env } from "@/lib/env";

// The app's single database handle: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
// Opened lazily (so `next build` opens nothing) and kept on globalThis so dev reloads reuse it.

const g = globalThis as unknown as { __porticoDb?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  g.__porticoDb ??= open().catch((error: unknown) => {
    g.__porticoDb = undefined; // let the next request try again
    throw error;
  });
  return g.__porticoDb;
}

/** The handle the app holds, if it has opened or been given one; never opens one. */
export function peekDbHandle(): Promise<DbHandle> | undefined {
  return g.__porticoDb;
}

/** For tests (through testing/app-db.ts): the app uses `handle` from now on instead of opening one
 * from env(); `undefined` forgets the one it holds, without closing it. */
export function provideDbHandle(handle: DbHandle | undefined): void {
  g.__porticoDb = handle && Promise.resolve(handle);
}

/** For pages, actions and route handlers. Marks the render dynamic, so `next build` never prerenders
 * a page that reads the database (and so never opens it). */
export async function getDb(): Promise<Db> {
  await connection();
  return (await getDbHandle()).db;
}

function open(): Promise<DbHandle> {
  const { databaseUrl, pgliteDir } = env();
  return databaseUrl ? openPostgres(databaseUrl) : openPglite(pgliteDir);
}
