import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "@/db/errors";
import { openPostgres } from "@/db/open";
import type { Db, DbHandle } from "@/db/types";
import { createTestDb, type TestDb } from "@/testing/db";

// Transactions on PostgreSQL send BEGIN together with their first statements (db/begin.ts). These
// hold it to what postgres.js's own `begin` promised, on a pool of one connection, so a connection
// not given back fails the next transaction.

const onPostgres = process.env.TEST_DRIVER === "postgres";

describe.skipIf(!onPostgres)("transactions on PostgreSQL", () => {
  let t: TestDb;
  let one: DbHandle;
  let db: Db;
  beforeAll(async () => {
    t = await createTestDb();
    await t.db.execute(sql`create table begin_test (id int primary key)`);
    one = await openPostgres(t.url!, { max: 1 });
    db = one.db;
  });
  afterAll(async () => {
    await one?.close();
    await t?.close();
  });

  // On postgres.js a statement's result is its array of rows.
  const rows = async <T>(query: Promise<unknown>) => (await query) as T[];
  const ids = async () =>
    (
      await rows<{ id: number }>(
        db.execute(sql`select id from begin_test order by id`),
      )
    ).map((r) => r.id);
  const insert = (tx: Db, id: number) =>
    tx.execute(sql`insert into begin_test (id) values (${id})`);
  const clear = () => db.execute(sql`delete from begin_test`);

  it("commits the work together, and keeps nothing of work that throws, its first statement included", async () => {
    await clear();
    await db.transaction(async (tx) => {
      await insert(tx, 1);
      await insert(tx, 2);
    });
    await expect(
      db.transaction(async (tx) => {
        await insert(tx, 3);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await ids()).toEqual([1, 2]);
  });

  /**
   * With row 1 there, the work inserts 2 and then `duplicate` inserts 1 again: the transaction
   * fails with that unique violation and keeps nothing.
   */
  async function failsOnTheDuplicate(duplicate: (tx: Db) => Promise<unknown>) {
    await clear();
    await insert(db, 1);
    const result = db.transaction(async (tx) => {
      await insert(tx, 2);
      return duplicate(tx);
    });
    await expect(result).rejects.toSatisfy(isUniqueViolation);
    expect(await ids()).toEqual([1]);
  }

  it("reports the statement that failed, not the aborted ones after it", () =>
    failsOnTheDuplicate(async (tx) => {
      await insert(tx, 1).catch(() => {});
      await insert(tx, 3);
    }));

  it("rolls back when a failure was swallowed by the work", () =>
    failsOnTheDuplicate(async (tx) => {
      await insert(tx, 1).catch(() => {});
      return "done";
    }));

  it("fails when a statement the work left running fails after it returned", () =>
    failsOnTheDuplicate(async (tx) => {
      void insert(tx, 1).catch(() => {});
      return "done";
    }));

  it("rolls a nested transaction back to its savepoint and commits the rest", async () => {
    await clear();
    await db.transaction(async (tx) => {
      await insert(tx, 1);
      await tx
        .transaction(async (inner) => {
          await insert(inner, 2);
          await insert(inner, 1);
        })
        .catch(() => {});
      await tx.transaction(async (inner) => insert(inner, 3));
    });
    expect(await ids()).toEqual([1, 3]);
  });
});
