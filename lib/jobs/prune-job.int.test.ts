import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCalls, authThrottles } from "@/db/schema";
import { withJobLease } from "@/lib/jobs/lease";
import { runPruneJob } from "@/lib/jobs/prune-job";
import { createTestDb, type TestDb } from "@/testing/db";

// The pruning job on its own lease: old API calls and spent sign-in throttles go, once per run,
// and a second instance waits while one prunes.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

const now = new Date("2025-06-01T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

async function seedOldRows() {
  await t.db.insert(apiCalls).values([
    {
      method: "POST",
      path: "/api/tickets.json",
      status: 201,
      durationMs: 5,
      createdAt: daysAgo(200),
    },
    {
      method: "POST",
      path: "/api/tickets.json",
      status: 201,
      durationMs: 5,
      createdAt: daysAgo(1),
    },
  ]);
  await t.db
    .insert(authThrottles)
    .values({ key: "ip:192.0.2.1", failures: 3, firstFailureAt: daysAgo(2) });
}

describe("runPruneJob", () => {
  it("waits while another run holds its lease, then prunes what has run its course", async () => {
    await seedOldRows();
    const locked = await withJobLease(
      t.db,
      "prune",
      { now, leaseMs: 60_000 },
      () => runPruneJob(t.db, { now }),
    );
    expect(locked).toEqual({ ran: false, reason: "locked" });
    expect(await t.db.select().from(apiCalls)).toHaveLength(2);

    expect(await runPruneJob(t.db, { now })).toMatchObject({
      ran: true,
      throttlesRemoved: 1,
    });
    const kept = await t.db.select().from(apiCalls);
    expect(kept.map((c) => c.createdAt)).toEqual([daysAgo(1)]);
    expect(await t.db.select().from(authThrottles)).toEqual([]);
  });
});
