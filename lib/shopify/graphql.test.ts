import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";
import type { ShopifyConfig } from "@/lib/env";
import { createShopifyClient } from "@/lib/shopify/client";
import {
  createShopifyGraphql,
  ShopifyConfigurationError,
  ShopifyQueryError,
  ShopifyUnavailableError,
  throttleWaitSeconds,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import {
  getOrder,
  getShopInfo,
  listOrdersByEmail,
  listOrdersUpdatedSince,
  listProductsUpdatedSince,
  listProductVariants,
} from "@/lib/shopify/queries";
import { setTestEnv } from "@/testing/env";
import { shopifyConfigFor } from "@/testing/shopify/connect";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";

// The real @shopify/shopify-api, through the portal's wrapper and queries, against the fake Admin
// API on loopback (SHOPIFY_API_URL), as production would call Shopify.

let fake: FakeShopify;
let sleeps: number[];

const configFor = shopifyConfigFor;

function connect(
  overrides: Partial<ShopifyConfig> = {},
  now?: () => Date,
): ShopifyGraphql {
  return createShopifyGraphql(
    createShopifyClient(configFor(fake, overrides), now ? { now } : {}),
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
}

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = setTestEnv({ LOG_LEVEL: "silent" });
});
afterAll(() => restoreEnv());
beforeEach(async () => {
  fake = await startFakeShopify();
  sleeps = [];
});
afterEach(async () => {
  await fake.close();
});

describe("orders by email", () => {
  it("finds a customer's orders in any letter case, newest first, money as decimal strings", async () => {
    const older = fake.addOrder({
      email: "Alice@Example.com",
      createdAt: new Date(Date.now() - 86_400_000),
      lineItems: [
        { title: "Hosting", price: "59.99", quantity: 2, sku: "HOST-1" },
      ],
    });
    const newer = fake.addOrder({ email: "alice@example.com" });
    fake.addOrder({ email: "bob@example.com" });

    const orders = await listOrdersByEmail(connect(), "ALICE@example.COM");

    expect(orders.map((o) => o.id)).toEqual([
      `gid://shopify/Order/${newer.legacyId}`,
      `gid://shopify/Order/${older.legacyId}`,
    ]);
    expect(orders[1]).toMatchObject({
      name: "#1001",
      email: "Alice@Example.com",
      financialStatus: "PAID",
      totalPrice: { amount: "119.98", currencyCode: "EUR" },
      lineItems: [
        {
          title: "Hosting",
          quantity: 2,
          sku: "HOST-1",
          unitPrice: { amount: "59.99", currencyCode: "EUR" },
        },
      ],
      moreLineItems: null,
    });
    expect(orders[1]?.createdAt).toBeInstanceOf(Date);
  });

  it("passes quotes in the address as data, not as query syntax", async () => {
    fake.addOrder({ email: "alice@example.com" });
    expect(
      await listOrdersByEmail(connect(), 'x" OR email:"alice@example.com'),
    ).toEqual([]);
  });

  it("fetches the rest of a large order's line items when it is opened", async () => {
    const order = fake.addOrder({
      email: "big@example.com",
      lineItems: Array.from({ length: 60 }, (_, i) => ({
        title: `Item ${i}`,
        price: "1.00",
      })),
    });
    const shopify = connect();
    const [listed] = await listOrdersByEmail(shopify, "big@example.com");
    expect(listed?.lineItems).toHaveLength(5);
    const first = await getOrder(shopify, listed?.id ?? "");
    expect(first?.lineItems).toHaveLength(50);
    const rest = await getOrder(shopify, listed?.id ?? "", {
      lineItemsAfter: first?.moreLineItems,
    });
    expect(rest?.lineItems).toHaveLength(10);
    expect(rest?.moreLineItems).toBeNull();
    expect(order.lineItems).toHaveLength(60);
  });
});

describe("backfill and import", () => {
  it("pages orders changed since a time, oldest change first", async () => {
    const start = Date.now() - 3_600_000;
    for (let i = 0; i < 7; i++)
      fake.addOrder({
        email: `c${i}@example.com`,
        createdAt: new Date(start + i * 60_000),
      });
    const shopify = connect();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listOrdersUpdatedSince>> =
        await listOrdersUpdatedSince(shopify, {
          since: new Date(start + 2 * 60_000),
          after,
          pageSize: 2,
        });
      seen.push(...page.items.map((o) => o.name));
      after = page.nextCursor;
    } while (after);
    expect(seen).toEqual(["#1003", "#1004", "#1005", "#1006", "#1007"]);
    // A full page of 100 stays under the per-query ceiling.
    await listOrdersUpdatedSince(shopify, { since: null, pageSize: 100 });
  });

  it("imports active products with their variants, paging a product's extra variants", async () => {
    const big = fake.addProduct({
      title: "Domain",
      variants: Array.from({ length: 30 }, (_, i) => ({
        title: `${i + 1} years`,
        price: `${(i + 1) * 12}.00`,
        sku: `DOM-${i + 1}`,
      })),
    });
    fake.addProduct({ title: "Draft thing", status: "DRAFT" });
    const shopify = connect();
    const page = await listProductsUpdatedSince(shopify, {
      since: null,
      activeOnly: true,
    });
    expect(page.items.map((p) => p.title)).toEqual(["Domain"]);
    expect(page.items[0]?.variants[1]).toMatchObject({
      title: "2 years",
      price: "24.00",
      compareAtPrice: null,
      selectedOptions: [{ name: "Title", value: "2 years" }],
    });
    const rest = await listProductVariants(
      shopify,
      `gid://shopify/Product/${big.legacyId}`,
      page.items[0]?.moreVariants ?? null,
    );
    expect(rest?.items).toHaveLength(10);
  });

  it("reports the store and the scopes the portal still lacks", async () => {
    fake.state.grantedScopes = ["read_orders", "write_products"];
    expect(await getShopInfo(connect())).toEqual({
      name: "Portico Test Shop",
      domain: fake.shopDomain,
      currencyCode: "EUR",
      grantedScopes: ["read_orders", "write_products"],
      missingScopes: ["read_customers"],
      seesAllOrders: false,
    });
  });
});

describe("throttling", () => {
  it("waits ceil((requested - available) / restore rate) seconds, then succeeds", async () => {
    // The store's clock moves only when the wrapper sleeps, so no real time refills the bucket.
    let clock = new Date("2026-06-01T00:00:00Z");
    const f = await startFakeShopify({ now: () => clock });
    try {
      f.addOrder({ email: "a@example.com" });
      f.failNext("THROTTLED", { count: 2 });
      const shopify = createShopifyGraphql(
        createShopifyClient(shopifyConfigFor(f)),
        {
          sleep: async (ms) => {
            sleeps.push(ms);
            clock = new Date(clock.getTime() + ms);
          },
        },
      );
      const orders = await listOrdersByEmail(shopify, "a@example.com");
      expect(orders).toHaveLength(1);
      // The armed THROTTLED leaves one point fewer than the ~350 asked for: 1 s at 100 points/s.
      expect(sleeps).toEqual([1000, 1000]);
      expect(shopify.throttleStatus()?.maximumAvailable).toBe(1000);
    } finally {
      await f.close();
    }
  });

  it("really waits for the bucket to refill", async () => {
    const restoreRate = 1000;
    const f = await startFakeShopify({ restoreRate });
    try {
      f.addOrder({ email: "a@example.com" });
      f.drainBucket(0);
      const shopify = createShopifyGraphql(createShopifyClient(configFor(f)));
      const started = Date.now();
      await listOrdersByEmail(shopify, "a@example.com");
      // ~350 points at 1000/s: one second, the shortest wait.
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      await f.close();
    }
  });

  it("gives up after three THROTTLED retries with an 'unavailable' error", async () => {
    fake.failNext("THROTTLED", { count: 4 });
    const error = await getShopInfo(connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error).toMatchObject({ reason: "throttled" });
    expect(sleeps).toHaveLength(3);
  });

  it("computes the wait from the reported cost", () => {
    expect(
      throttleWaitSeconds({
        requestedQueryCost: 352,
        actualQueryCost: null,
        throttleStatus: {
          maximumAvailable: 1000,
          currentlyAvailable: 50,
          restoreRate: 100,
        },
      }),
    ).toBe(4);
    expect(throttleWaitSeconds(null)).toBe(1);
  });
});

describe("failures in plain English", () => {
  it("a refused token is a configuration error", async () => {
    fake.failNext(401);
    const error = await getShopInfo(connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyConfigurationError);
    expect(error).toMatchObject({ reason: "token_refused" });
    expect((error as Error).message).toMatch(/SHOPIFY_ADMIN_ACCESS_TOKEN/);
  });

  it("ACCESS_DENIED names the missing scope", async () => {
    fake.failNext("ACCESS_DENIED", { scope: "read_orders" });
    const error = await listOrdersByEmail(connect(), "a@example.com").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShopifyConfigurationError);
    expect(error).toMatchObject({
      reason: "missing_scope",
      scope: "read_orders",
    });
    expect((error as Error).message).toMatch(
      /missing the read_orders access scope.*orders cannot be read/,
    );
  });

  it("a real missing scope on the store is explained the same way", async () => {
    fake.state.grantedScopes = ["read_products"];
    await expect(
      listOrdersByEmail(connect(), "a@example.com"),
    ).rejects.toMatchObject({ reason: "missing_scope", scope: "read_orders" });
  });

  it("withheld protected customer data is explained", async () => {
    fake.state.protectedCustomerData = false;
    fake.addOrder({ email: "a@example.com" });
    const error = await listOrdersByEmail(connect(), "a@example.com").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShopifyConfigurationError);
    expect(error).toMatchObject({ reason: "protected_customer_data" });
    expect((error as Error).message).toMatch(/protected customer data/);
  });

  it("500, repeated 503 and a dropped connection are 'unavailable'", async () => {
    const shopify = connect();
    fake.failNext(500);
    await expect(getShopInfo(shopify)).rejects.toBeInstanceOf(
      ShopifyUnavailableError,
    );
    fake.failNext(503, { count: 3 });
    await expect(getShopInfo(shopify)).rejects.toMatchObject({
      reason: "server_error",
    });
    fake.failNext("network", { count: 3 });
    await expect(getShopInfo(shopify)).rejects.toMatchObject({
      reason: "network",
    });
  });

  it("lets the library retry a 429 and a 503", async () => {
    fake.failNext(429, { retryAfter: 1 });
    fake.failNext(503);
    expect((await getShopInfo(connect())).name).toBe("Portico Test Shop");
  });

  it("a query over the cost ceiling is a query error, not a retry", async () => {
    const error = await connect()
      .request(
        `{ orders(first: 20) { nodes { id
        lineItems(first: 50) { nodes { originalUnitPriceSet { shopMoney { amount } } } } } } }`,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyQueryError);
    expect(error).toMatchObject({ reason: "max_cost_exceeded" });
  });

  it("a misspelt field is a query error", async () => {
    await expect(connect().request("{ shop { nmae } }")).rejects.toMatchObject({
      reason: "invalid_query",
      codes: ["undefinedField"],
    });
  });

  it("times out while Shopify stalls, without failing later calls", async () => {
    const shopify = createShopifyGraphql(createShopifyClient(configFor(fake)));
    fake.failNext("THROTTLED");
    await expect(
      getShopInfo(shopify, { timeoutMs: 200 }),
    ).rejects.toMatchObject({ reason: "timeout" });
    expect((await getShopInfo(shopify)).name).toBe("Portico Test Shop");
  });
});

describe("client-credentials grant", () => {
  it("caches the granted token and renews it shortly before it expires", async () => {
    let now = Date.now();
    const shopify = connect(
      { credentials: { kind: "client_credentials", clientId: fake.clientId } },
      () => new Date(now),
    );
    await getShopInfo(shopify);
    await getShopInfo(shopify);
    expect(fake.tokensIssued()).toBe(1);
    const firstToken = fake.requests.at(-1)?.token;

    now += 86_399_000 - 4 * 60_000; // within five minutes of expiry
    await getShopInfo(shopify);
    expect(fake.tokensIssued()).toBe(2);
    expect(fake.requests.at(-1)?.token).not.toBe(firstToken);
  });

  it("asks for a new token once when Shopify refuses the cached one", async () => {
    const shopify = connect({
      credentials: { kind: "client_credentials", clientId: fake.clientId },
    });
    await getShopInfo(shopify);
    fake.failNext(401);
    await getShopInfo(shopify);
    expect(fake.tokensIssued()).toBe(2);
  });

  it("a refused client secret is a configuration error", async () => {
    const error = await getShopInfo(
      connect({
        credentials: { kind: "client_credentials", clientId: fake.clientId },
        apiSecret: "wrong",
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyConfigurationError);
    expect(error).toMatchObject({ reason: "credentials_refused" });
  });
});
