// The Shopify part of `npm run bench`: order webhooks ingested at a fixed concurrency on the embedded
// database (PGlite in a temp directory, as `npm run dev` and a small installation use it) and on a
// throw-away PostgreSQL database, and a backfill of 10,000 orders from the fake Admin API at its
// default rate limit into the embedded one. Always closes the databases and the fakes, removes the
// directories and drops the PostgreSQL database.
import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { orders } from "@/db/schema";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { openPglite, openPostgres } from "@/db/open";
import type { DbHandle } from "@/db/types";
import { createShopifyClient } from "@/lib/shopify/client";
import { ALL_ORDERS_SCOPE } from "@/lib/shopify/config";
import { createShopifyGraphql } from "@/lib/shopify/graphql";
import { importShopifyOrders } from "@/lib/shopify/import-orders";
import { receiveShopifyWebhook } from "@/lib/shopify/webhook";
import { withBenchDatabase } from "@/tools/bench/bench-database";
import { percentile, type Timing } from "@/tools/bench/measure";
import type { SignedWebhook } from "@/testing/shopify/webhooks";
import { shopifyConfigFor } from "@/testing/shopify/connect";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";
import { DEFAULT_SCOPES } from "@/testing/shopify/state";

export const SHOPIFY_WEBHOOK_ORDERS = 5_000;
export const SHOPIFY_WEBHOOK_WARM_UP = 100;
export const SHOPIFY_BACKFILL_ORDERS = 10_000;
// As tools/bench/shop.ts posts Stripe's events.
const IN_FLIGHT = 10;
const FAKE_BUCKET = 1_000;
const FAKE_RESTORE_RATE = 100;

export type ShopifyWebhookResult = {
  database: string;
  /** What was measured, in words: the route handler or the functions behind it. */
  path: string;
  orders: number;
  warmUp: number;
  inFlight: number;
  seconds: number;
  latency: Timing;
  /** Shopify orders in the database afterwards, warm-ups included. */
  stored: number;
};

export type ShopifyBackfillResult = {
  orders: number;
  bucketSize: number;
  restoreRate: number;
  pages: number;
  /** THROTTLED answers waited out (each followed by a retry). */
  throttledWaits: number;
  secondsWaiting: number;
  seconds: number;
  created: number;
  stored: number;
};

export type ShopifyBench = {
  database: string;
  webhooks: ShopifyWebhookResult[];
  /** Null when the run skipped it (`--skip-backfill`: it takes about 13 minutes). */
  backfill: ShopifyBackfillResult | null;
};

export async function benchShopify(
  serverUrl: string,
  { backfill: runBackfill }: { backfill: boolean },
): Promise<ShopifyBench> {
  const { version } = JSON.parse(
    fs.readFileSync(
      path.join(
        process.cwd(),
        "node_modules/@electric-sql/pglite/package.json",
      ),
      "utf8",
    ),
  ) as { version: string };
  const database = `PGlite ${version} (embedded, on disk in a temp directory)`;
  console.log("Shopify: order webhooks into the embedded database…");
  const webhooks = [await withEmbeddedDb((db) => benchWebhooks(db, database))];
  console.log("Shopify: order webhooks into PostgreSQL…");
  webhooks.push(
    await withBenchDatabase(serverUrl, "shopify", async (bench) => {
      await migratePostgres(bench.url);
      // The app's own pool settings.
      const app = await openPostgres(bench.url);
      bench.onCleanup(app.close);
      return benchWebhooks(app, "PostgreSQL (new database, the app's pool)");
    }),
  );
  for (const w of webhooks)
    console.log(
      `  ${w.database}: ${w.orders} orders in ${w.seconds.toFixed(2)} s, ${(w.orders / w.seconds).toFixed(0)} orders/s`,
    );
  if (!runBackfill) return { database, webhooks, backfill: null };
  console.log(
    `Shopify: backfill of ${SHOPIFY_BACKFILL_ORDERS.toLocaleString("en-US")} orders at the fake's default rate limit…`,
  );
  const backfill = await withEmbeddedDb((db) => benchBackfill(db));
  console.log(
    `  ${backfill.orders} orders in ${backfill.seconds.toFixed(1)} s (${backfill.throttledWaits} throttled waits)`,
  );
  return { database, webhooks, backfill };
}

async function withEmbeddedDb<T>(job: (db: DbHandle) => Promise<T>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-bench-shopify-"));
  try {
    const handle = await openPglite(path.join(dir, "db"));
    try {
      await runMigrations(handle);
      return await job(handle);
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function shopifyOrdersStored(handle: DbHandle): Promise<number> {
  const [row] = await handle.db
    .select({ n: count() })
    .from(orders)
    .where(eq(orders.provider, "shopify"));
  return row?.n ?? 0;
}

// Built by the fake's own payload builder: the REST shape orders/create carries.
function addOrders(fake: FakeShopify, n: number, from: Date, everyMs: number) {
  for (let i = 0; i < n; i++) {
    const at = new Date(from.getTime() + i * everyMs);
    fake.addOrder({
      email: `buyer${i % 2_000}@example.com`,
      createdAt: at,
      updatedAt: at,
      lineItems: [
        { title: "Mug", price: "12.50", quantity: 2 },
        { title: "Tea, 250 g", price: "8.90" },
      ],
    });
  }
}

async function benchWebhooks(
  handle: DbHandle,
  database: string,
): Promise<ShopifyWebhookResult> {
  const fake = await startFakeShopify();
  try {
    addOrders(
      fake,
      SHOPIFY_WEBHOOK_WARM_UP + SHOPIFY_WEBHOOK_ORDERS,
      new Date(Date.now() - 86_400_000),
      1_000,
    );
    // Signed as Shopify signs them, so each delivery pays for its HMAC check and event row.
    const bodies = [...fake.state.orders.values()].map((o) =>
      fake.signedOrderWebhook("orders/create", o.legacyId),
    );
    const config = {
      shopDomain: fake.shopDomain,
      webhookSecret: fake.webhookSecret,
    };
    // What the route handler (lib/shopify/route.ts) does, with the bench's database and the fake's
    // secret in place of env(): the request's raw text and headers into receiveShopifyWebhook.
    const ingest = async (w: SignedWebhook) => {
      const req = new Request("http://portico.test/api/webhooks/shopify", {
        method: "POST",
        headers: w.headers,
        body: w.body,
      });
      const answer = await receiveShopifyWebhook(
        handle.db,
        config,
        await req.text(),
        req.headers,
        new Date(),
      );
      if (answer.status !== 200 || answer.body.outcome !== "created")
        throw new Error(`Unexpected answer: ${JSON.stringify(answer)}`);
    };
    const warmUp = bodies.slice(0, SHOPIFY_WEBHOOK_WARM_UP);
    const timed = bodies.slice(SHOPIFY_WEBHOOK_WARM_UP);
    for (const body of warmUp) await ingest(body);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < timed.length) {
          const body = timed[next++]!;
          const t0 = performance.now();
          await ingest(body);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      database,
      path: "signed Requests handed to receiveShopifyWebhook as the route handler does (HMAC check, event row and order in one transaction), in-process: no HTTP server in the time",
      orders: timed.length,
      warmUp: warmUp.length,
      inFlight: IN_FLIGHT,
      seconds,
      latency: {
        runs: latencies.length,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: latencies.at(-1)!,
      },
      stored: await shopifyOrdersStored(handle),
    };
  } finally {
    await fake.close();
  }
}

async function benchBackfill(handle: DbHandle): Promise<ShopifyBackfillResult> {
  const fake = await startFakeShopify({
    bucketSize: FAKE_BUCKET,
    restoreRate: FAKE_RESTORE_RATE,
    // A backfill of history: without this scope Shopify shows only the last 60 days of orders.
    grantedScopes: [...DEFAULT_SCOPES, ALL_ORDERS_SCOPE],
  });
  try {
    // A year of orders, one every hour or so.
    addOrders(
      fake,
      SHOPIFY_BACKFILL_ORDERS,
      new Date(Date.now() - 365 * 86_400_000),
      3_150_000,
    );
    let throttledWaits = 0;
    let msWaiting = 0;
    const shopify = createShopifyGraphql(
      createShopifyClient(shopifyConfigFor(fake)),
      {
        sleep: (ms, signal) => {
          throttledWaits++;
          msWaiting += ms;
          return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, ms);
            signal.addEventListener(
              "abort",
              () => {
                clearTimeout(timer);
                reject(signal.reason);
              },
              { once: true },
            );
          });
        },
      },
    );
    let pages = 0;
    const started = performance.now();
    const result = await importShopifyOrders(handle.db, shopify, {
      onProgress: (p) => {
        pages = p.pages;
        if (p.pages % 10 === 0)
          console.log(
            `  ${p.imported} orders after ${((performance.now() - started) / 1000).toFixed(0)} s`,
          );
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (!result.done || result.imported !== SHOPIFY_BACKFILL_ORDERS)
      throw new Error(
        `The backfill read ${result.imported} of ${SHOPIFY_BACKFILL_ORDERS} orders.`,
      );
    return {
      orders: result.imported,
      bucketSize: FAKE_BUCKET,
      restoreRate: FAKE_RESTORE_RATE,
      pages,
      throttledWaits,
      secondsWaiting: msWaiting / 1000,
      seconds,
      created: result.created,
      stored: await shopifyOrdersStored(handle),
    };
  } finally {
    await fake.close();
  }
}
