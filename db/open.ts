import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Sql } from "postgres";
import { pipelinedBegin } from "@/db/begin";
import * as schema from "@/db/schema";
import type { Db, DbHandle } from "@/db/types";

// Opens a database for one process. Used by db/client.ts (the app's single handle), the CLI and tests.

export async function openPostgres(
  url: string,
  opts: { max?: number } = {},
): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
  });
  return {
    db: drizzle(preparing(client), { schema }) as unknown as Db,
    driver: "postgres",
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * postgres.js prepares each parameterised statement once per connection and then sends only its
 * parameters; a statement it is told not to prepare costs a second round trip every time, to ask
 * the server for its parameter types first. Drizzle says "don't" for every query it has not named,
 * so this handle says "do", in transactions and savepoints too. A connection keeps its statements
 * until postgres.js replaces it (within an hour). `?prepare=false` in DATABASE_URL (for a
 * PgBouncer in transaction mode) still turns preparing off for the whole pool.
 */
function preparing(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe")
        return ((query, parameters, options) =>
          target.unsafe(query, parameters, {
            ...options,
            prepare: true,
          })) satisfies Sql["unsafe"];
      // Transactions send BEGIN with their first statements (db/begin.ts); their handles, and
      // those of their savepoints, prepare as this one does.
      if (property === "begin") return pipelinedBegin(target, preparing);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/** `dir` undefined opens a throw-away in-memory database (tests). */
export async function openPglite(dir: string | undefined): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const unlock = dir ? lockDataDir(dir) : () => {};
  try {
    const client = await PGlite.create(dir ? { dataDir: dir } : {});
    return {
      db: drizzle(client, { schema }) as unknown as Db,
      driver: "pglite",
      ping: async () => {
        await client.query("select 1");
      },
      close: async () => {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

// PGlite opens a directory another process is using without complaint, then corrupts it for good on
// concurrent writes. An exclusive lock file beside the directory turns that into an immediate error.
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      const release = () => fs.rmSync(lockFile, { force: true });
      process.once("exit", release);
      return () => {
        process.off("exit", release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database ${dir} is in use by process ${holder}. Stop that process, ` +
            `use another PGLITE_DIR, or set DATABASE_URL to share a PostgreSQL server.`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the embedded database ${dir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
