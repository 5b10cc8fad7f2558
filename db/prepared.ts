import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "@/db/types";

// Drizzle builds a query's SQL anew on every call; on the ticket API's path that cost more CPU than
// the queries' own round trips. These keep a query built once per database handle and run it with
// placeholder values. Within a transaction a query is built for that transaction each time: one
// prepared on the handle would run beside the transaction, not in it.

// A plain boolean, not a type guard: narrowed to PgTransaction, `db` would lose its schema type.
export const isTransaction = (db: Db): boolean => db instanceof PgTransaction;

/** A query built once per database handle. */
export function preparedQuery<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const byShape = preparedQueries<Q>();
  return (db) => byShape(db, "", build);
}

/**
 * Queries built once per database handle and shape: for a statement whose text depends on its
 * input, such as an insert of a varying number of rows. Shapes must come from a small set.
 */
export function preparedQueries<Q>(): (
  db: Db,
  shape: string,
  build: (db: Db) => Q,
) => Q {
  const built = new WeakMap<Db, Map<string, Q>>();
  return (db, shape, build) => {
    if (isTransaction(db)) return build(db);
    let shapes = built.get(db);
    if (!shapes) built.set(db, (shapes = new Map()));
    let query = shapes.get(shape);
    if (query === undefined) shapes.set(shape, (query = build(db)));
    return query;
  };
}

/**
 * Rows for a prepared insert: each value a placeholder, with the values to run it with and the
 * rows' shape (the columns each sets, and which to null; as in drizzle's insert, a column left
 * undefined gets its default).
 */
export function placeholderRows<R extends object>(
  name: string,
  rows: R[],
): { rows: R[]; values: Record<string, unknown>; shape: string } {
  const values: Record<string, unknown> = {};
  const shapes: string[] = [];
  const placeheld = rows.map((row, i) => {
    const keys = Object.keys(row).filter(
      (key) => row[key as keyof R] !== undefined,
    );
    // A null stays in the statement (drizzle maps placeholder values without checking for null).
    shapes.push(
      keys
        .map((key) => (row[key as keyof R] === null ? `${key}=null` : key))
        .join(","),
    );
    return Object.fromEntries(
      keys.map((key) => {
        const value = row[key as keyof R];
        if (value === null) return [key, null];
        const placeholder = `${name}${i}.${key}`;
        values[placeholder] = value;
        return [key, sql.placeholder(placeholder)];
      }),
    ) as R;
  });
  return { rows: placeheld, values, shape: `${name}[${shapes.join("|")}]` };
}
