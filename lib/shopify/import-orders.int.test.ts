import { count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { orders, shopifySync } from "@/db/schema";
import { shopifyConfigFor } from "@/testing/shopify/connect";
import { createShopifyClient } from "@/lib/shopify/client";
import {
  createShopifyGraphql,
  ShopifyConfigurationError,
  ShopifyUnavailableError,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import { importShopifyOrders } from "@/lib/shopify/import-orders";
import { shopifySyncState } from "@/lib/shopify/sync";
import { createTestDb, type TestDb } from "@/testing/db";
import {
  startFakeShopify,
  type FakeShopify,
  type FakeShopifyOptions,
} from "@/testing/shopify/fake";

// The backfill against the fake Admin API, with the fake's bucket on a clock that the client's
// THROTTLED waits move forward: the rate limit is real, the waiting is not.

let t: TestDb;
let fake: FakeShopify | undefined;
let clock: Date;
let sleeps: number[];

beforeEach(async () => {
  t = await createTestDb();
  clock = new Date("2026-03-01T00:00:00Z");
  sleeps = [];
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await t.close();
});

async function start(options: FakeShopifyOptions = {}): Promise<{
  fake: FakeShopify;
  shopify: ShopifyGraphql;
}> {
  fake = await startFakeShopify({ now: () => clock, ...options });
  const config = shopifyConfigFor(fake);
  const shopify = createShopifyGraphql(createShopifyClient(config), {
    sleep: async (ms) => {
      sleeps.push(ms);
      clock = new Date(clock.getTime() + ms);
    },
  });
  return { fake, shopify };
}

/** `n` orders, one a minute from `from`, each last changed when placed. */
function seedOrders(f: FakeShopify, n: number, from: Date) {
  for (let i = 0; i < n; i++) {
    const at = new Date(from.getTime() + i * 60_000);
    f.addOrder({
      email: `buyer${i}@example.com`,
      createdAt: at,
      updatedAt: at,
      lineItems: [{ title: "Mug", price: "12.50" }],
    });
  }
}

const stored = async () =>
  (
    await t.db
      .select({ n: count() })
      .from(orders)
      .where(eq(orders.provider, "shopify"))
  )[0]?.n;

describe("importShopifyOrders", () => {
  it("brings in 250 orders page by page, waiting out THROTTLED from a small, slow bucket", async () => {
    const { fake, shopify } = await start({
      bucketSize: 1000,
      restoreRate: 50,
    });
    seedOrders(fake, 250, new Date("2026-01-01T00:00:00Z"));
    const progress: number[] = [];

    const result = await importShopifyOrders(t.db, shopify, {
      onProgress: (p) => progress.push(p.imported),
    });

    expect(result).toMatchObject({
      imported: 250,
      created: 250,
      updated: 0,
      stale: 0,
      done: true,
    });
    expect(progress).toEqual([100, 200, 250]);
    // A page asks for ~800 points: the second and third waited for the bucket to refill.
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(
      fake.requests.filter((r) => r.path.endsWith("graphql.json")).length,
    ).toBeGreaterThan(3);
    expect(await stored()).toBe(250);
    const state = await shopifySyncState(t.db, "orders");
    expect(state).toMatchObject({
      underWay: false,
      imported: 250,
      lastError: null,
      since: new Date("2026-01-01T04:09:00Z"),
    });
  });

  it("keeps going when THROTTLED outlasts the wrapper's own retries", async () => {
    const { fake, shopify } = await start();
    seedOrders(fake, 20, new Date("2026-01-01T00:00:00Z"));
    // More THROTTLED answers in a row than one call retries (3).
    fake.failNext("THROTTLED", { count: 6 });

    expect(await importShopifyOrders(t.db, shopify)).toMatchObject({
      imported: 20,
      done: true,
    });
    expect(sleeps.length).toBeGreaterThanOrEqual(5);
    expect((await shopifySyncState(t.db, "orders")).lastError).toBeNull();
  });

  it("resumes an interrupted run at its cursor without duplicates", async () => {
    const { fake, shopify } = await start();
    seedOrders(fake, 250, new Date("2026-01-01T00:00:00Z"));

    await expect(
      importShopifyOrders(t.db, shopify, {
        // Shopify fails the second page (a 500 the library does not retry).
        onProgress: (p) => {
          if (p.pages === 1) fake.failNext(500);
        },
      }),
    ).rejects.toBeInstanceOf(ShopifyUnavailableError);
    const halfway = await shopifySyncState(t.db, "orders");
    expect(halfway).toMatchObject({ underWay: true, imported: 100 });
    expect(halfway.lastError).toMatch(/Shopify/);
    expect(await stored()).toBe(100);

    const rest = await importShopifyOrders(t.db, shopify);
    expect(rest).toMatchObject({
      resumed: true,
      imported: 150,
      created: 150,
      done: true,
    });
    expect(await stored()).toBe(250);
    expect(await shopifySyncState(t.db, "orders")).toMatchObject({
      underWay: false,
      imported: 250,
      lastError: null,
    });
  });

  it("with since, brings only orders changed from then; the next run only what changed after", async () => {
    const { fake, shopify } = await start();
    seedOrders(fake, 120, new Date("2026-01-01T00:00:00Z"));

    const later = await importShopifyOrders(t.db, shopify, {
      since: new Date("2026-01-01T01:00:00Z"),
    });
    expect(later).toMatchObject({ imported: 60, created: 60, done: true });
    expect(await stored()).toBe(60);

    const newest = [...fake.state.orders.values()].at(-1)!;
    fake.updateOrder(newest.legacyId, { financialStatus: "REFUNDED" });
    seedOrders(fake, 1, new Date("2026-02-01T00:00:00Z"));
    const next = await importShopifyOrders(t.db, shopify);
    // The updated order and the new one, plus none of the earlier ones.
    expect(next).toMatchObject({ created: 1, updated: 1, done: true });
    expect(await stored()).toBe(61);
  });

  it("reads a run again from its start when Shopify refuses its saved cursor", async () => {
    const { fake, shopify } = await start();
    seedOrders(fake, 30, new Date("2026-01-01T00:00:00Z"));
    await t.db.insert(shopifySync).values({
      kind: "orders",
      cursor: "bm90IGEgY3Vyc29y",
      startedAt: new Date("2026-02-01T00:00:00Z"),
      imported: 100,
    });

    expect(await importShopifyOrders(t.db, shopify)).toMatchObject({
      resumed: true,
      imported: 30,
      created: 30,
      done: true,
    });
    expect(await stored()).toBe(30);
  });

  it("records a refusal in plain English and keeps its place", async () => {
    const { fake, shopify } = await start();
    seedOrders(fake, 10, new Date("2026-01-01T00:00:00Z"));
    fake.failNext("ACCESS_DENIED", { scope: "read_orders" });

    await expect(importShopifyOrders(t.db, shopify)).rejects.toBeInstanceOf(
      ShopifyConfigurationError,
    );
    const state = await shopifySyncState(t.db, "orders");
    expect(state.underWay).toBe(true);
    expect(state.lastError).toMatch(/read_orders/);

    expect(await importShopifyOrders(t.db, shopify)).toMatchObject({
      imported: 10,
      done: true,
    });
  });

  it("stops between pages when asked, and the next call finishes the run", async () => {
    const { fake, shopify } = await start();
    seedOrders(fake, 150, new Date("2026-01-01T00:00:00Z"));
    const stop = new AbortController();

    const first = await importShopifyOrders(t.db, shopify, {
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(first).toMatchObject({ imported: 100, done: false });

    const second = await importShopifyOrders(t.db, shopify);
    expect(second).toMatchObject({ imported: 50, resumed: true, done: true });
    expect(await stored()).toBe(150);
  });
});
