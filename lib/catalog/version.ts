import "server-only";
import { eq, sql } from "drizzle-orm";
import { counters } from "@/db/schema";
import type { Db } from "@/db/types";

// The catalogue's data version, kept in the database beside the data. The public pages' cache is
// keyed by it, so every instance sees a change at once, and a cache that outlives its database (a
// restore, a reseed, another DATABASE_URL) is never read: a new version is a new random number.

const NAME = "catalog";

export async function catalogVersion(db: Db): Promise<number> {
  const [row] = await db
    .select({ value: counters.value })
    .from(counters)
    .where(eq(counters.name, NAME));
  return row?.value ?? 0;
}

/** Call in the transaction of every catalogue write. */
export async function bumpCatalogVersion(db: Db): Promise<void> {
  const next = sql`floor(random() * 2147483646)::int + 1`;
  await db
    .insert(counters)
    .values({ name: NAME, value: next })
    .onConflictDoUpdate({ target: counters.name, set: { value: next } });
}
