import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "@/db/types";

// A plain boolean, not a type guard: narrowed to PgTransaction, `db` would lose its schema type.
export const isTransaction = (db: Db): boolean => db instanceof PgTransaction;

/**
 * A query drizzle builds once per database handle, then runs with placeholder values. Drizzle
 * otherwise builds every query's SQL anew on each call, which on the ticket API's path cost more
 * than the queries' own round trips. Within a transaction the query is built for that transaction
 * each time: a query prepared on the handle would run beside the transaction, not in it.
 */
export function preparedQuery<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const built = new WeakMap<Db, Q>();
  return (db) => {
    if (isTransaction(db)) return build(db);
    let query = built.get(db);
    if (query === undefined) built.set(db, (query = build(db)));
    return query;
  };
}
