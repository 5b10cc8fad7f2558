import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "@/db/schema";

/** A database handle or an open transaction: domain functions accept either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbDriver = "pglite" | "postgres";

export type DbHandle = {
  db: Db;
  driver: DbDriver;
  /** Cheap round trip for health checks. */
  ping: () => Promise<void>;
  close: () => Promise<void>;
};
