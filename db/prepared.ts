import {
  Column,
  getTableColumns,
  is,
  SQL,
  sql,
  type Query,
  type Subquery,
} from "drizzle-orm";
import {
  PgDialect,
  PgTransaction,
  type PgTable,
  type PreparedQueryConfig,
} from "drizzle-orm/pg-core";
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

const dialect = new PgDialect();

/** A sessionStatements build for a statement written in SQL rather than with drizzle's builders. */
export const sqlStatement =
  (write: (db: Db) => SQL) =>
  (db: Db): { toSQL: () => Query } => ({
    toSQL: () => dialect.sqlToQuery(write(db)),
  });

/**
 * Statements built once and run by whichever handle or transaction they are given. A query drizzle
 * prepares runs only in the session that prepared it, which inside a transaction means building it
 * anew on every call (see above); these keep the built text, with its placeholders, and have the
 * caller's session run it. The text depends on the schema alone, so a build serves every handle.
 * `read` gets the rows as arrays, their columns in the order the statement returns them.
 */
export function sessionStatements<T>(
  read: (rows: unknown[][]) => T,
): (
  db: Db,
  shape: string,
  build: (db: Db) => { toSQL: () => Query },
  values: Record<string, unknown>,
) => Promise<T> {
  const built = new Map<string, Query>();
  return (db, shape, build, values) => {
    let query = built.get(shape);
    if (query === undefined) built.set(shape, (query = build(db).toSQL()));
    // Named, so postgres.js keeps it prepared on the connection; the name itself is not used.
    return db._.session
      .prepareQuery<PreparedQueryConfig & { execute: T }>(
        query,
        undefined,
        "session_statement",
        true,
        read,
      )
      .execute(values);
  };
}

/** A reader for sessionStatements: the rows as objects, each column decoding its values as drizzle does. */
export function readColumns(
  fields: Record<string, Column>,
): (rows: unknown[][]) => Record<string, unknown>[] {
  const columns = Object.entries(fields);
  return (rows) =>
    rows.map((row) => {
      const read: Record<string, unknown> = {};
      columns.forEach(([key, column], i) => {
        const value = row[i];
        read[key] = value == null ? null : column.mapFromDriverValue(value);
      });
      return read;
    });
}

/**
 * Rows to insert after an earlier part of the same statement, for `insert(table).select(...)`:
 * each row is written once for every row of `from` (a CTE), so not at all when that part wrote
 * nothing. A value is SQL or a column (say, one of `from`'s), else a value or placeholder cast to
 * its column's type; a column a row leaves out gets its default, as in drizzle's insert (one made
 * in JS, `$defaultFn`, is made when the statement is built: give such a column a value).
 */
export function rowsFrom<T extends PgTable>(
  table: T,
  from: Subquery,
  rows: Array<{ [K in keyof T["$inferInsert"]]?: unknown }>,
): SQL {
  // The columns drizzle lists in the insert, in its order.
  const columns = Object.entries(
    getTableColumns(table) as Record<string, Column>,
  ).filter(
    ([, column]) => !column.generated || column.generated.type === "byDefault",
  );
  const selects = rows.map((row) => {
    const values = columns.map(([key, column]) => {
      const value = (row as Record<string, unknown>)[key];
      if (value === undefined) return defaultOf(column);
      return is(value, Column) ? value : typed(value, column);
    });
    return sql`select ${sql.join(values, sql`, `)} from ${from}`;
  });
  return sql.join(selects, sql` union all `);
}

// A select's values have no column to take their type from: each says its own.
const typed = (value: unknown, column: Column) =>
  is(value, SQL)
    ? value
    : sql`cast(${sql.param(value, column)} as ${sql.raw(column.getSQLType())})`;

/** What drizzle writes for a column an insert leaves out (`default`: the schema's, else null). */
function defaultOf(column: Column): SQL {
  if (column.defaultFn) return typed(column.defaultFn(), column);
  if (!column.default && column.onUpdateFn)
    return typed(column.onUpdateFn(), column);
  return typed(column.default ?? null, column);
}
