import "server-only";
import { sql, type Placeholder } from "drizzle-orm";
import { counters } from "@/db/schema";
import type { Db } from "@/db/types";

/**
 * The next value of a named counter, starting at `first`. Run it inside the transaction that uses
 * the number: the row lock makes concurrent callers wait, and a rollback gives the number back, so
 * the sequence has no gaps (which invoice numbers must not have).
 */
export async function nextCounterValue(
  db: Db,
  name: string,
  first: number,
): Promise<number> {
  const [row] = await bumpCounter(db, name, first).returning({
    value: counters.value,
  });
  return row!.value;
}

/** The statement behind nextCounterValue. */
function bumpCounter(db: Db, name: string | Placeholder, first: number) {
  return db
    .insert(counters)
    .values({ name, value: first })
    .onConflictDoUpdate({
      target: counters.name,
      set: { value: sql`${counters.value} + 1` },
    });
}
