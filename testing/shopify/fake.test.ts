import http from "node:http";
import type { AddressInfo } from "node:net";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";

// The fake itself, spoken to over raw HTTP: schema validation, cost and throttling, the token check,
// the client-credentials grant and signed webhooks. The real library against it is covered in
// lib/shopify/*.test.ts.

let fake: FakeShopify;
let clock: number;
beforeEach(async () => {
  clock = Date.parse("2026-11-21T10:00:00Z");
  fake = await startFakeShopify({ now: () => new Date(clock) });
});
afterEach(async () => {
  await fake.close();
});

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  token = fake.adminAccessToken,
) {
  const response = await fetch(`${fake.url}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Access-Token": token,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as {
      data?: unknown;
      errors?: {
        message: string;
        locations?: unknown;
        extensions?: Record<string, unknown>;
      }[];
      extensions?: {
        cost: {
          requestedQueryCost: number;
          actualQueryCost: number | null;
          throttleStatus: {
            maximumAvailable: number;
            currentlyAvailable: number;
            restoreRate: number;
          };
        };
      };
    },
  };
}

const ORDERS = `query($q: String) { orders(first: 10, query: $q, sortKey: CREATED_AT, reverse: true) {
  nodes { id name email totalPriceSet { shopMoney { amount currencyCode } }
    lineItems(first: 5) { nodes { title quantity originalUnitPriceSet { shopMoney { amount } } } } }
  pageInfo { hasNextPage endCursor } } }`;

describe("GraphQL endpoint", () => {
  it("answers an unknown field with HTTP 200, a located error with a code, and no data", async () => {
    const { status, body } = await gql("{ shop { name nonsense } }");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining("nonsense") as unknown,
      locations: [{ line: 1, column: 15 }],
      extensions: { code: "undefinedField" },
    });
  });

  it("finds orders by email in any letter case, newest first, with money as decimal strings", async () => {
    fake.addOrder({
      email: "Alice@Example.com",
      createdAt: new Date(clock - 3_600_000),
      lineItems: [{ title: "Hosting", price: "59.99", quantity: 2 }],
    });
    fake.addOrder({ email: "alice@example.com", createdAt: new Date(clock) });
    fake.addOrder({ email: "bob@example.com" });
    const { body } = await gql(ORDERS, { q: 'email:"ALICE@example.com"' });
    const orders = (
      body.data as {
        orders: {
          nodes: {
            name: string;
            totalPriceSet: { shopMoney: { amount: string } };
          }[];
        };
      }
    ).orders.nodes;
    expect(orders.map((o) => o.name)).toEqual(["#1002", "#1001"]);
    expect(orders[1]?.totalPriceSet.shopMoney.amount).toBe("119.98");
    expect(body.extensions?.cost.requestedQueryCost).toBeLessThan(1000);
  });

  it("pages with opaque cursors and filters on updated_at:>=", async () => {
    for (let i = 0; i < 5; i++)
      fake.addOrder({
        email: `c${i}@example.com`,
        createdAt: new Date(clock - (5 - i) * 60_000),
      });
    const query = `query($after: String, $q: String) { orders(first: 2, after: $after, query: $q, sortKey: UPDATED_AT) {
      nodes { name } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      orders: {
        nodes: { name: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body }: { body: { data?: unknown } } = await gql(query, {
        after,
        q: `updated_at:>='${new Date(clock - 4 * 60_000).toISOString()}'`,
      });
      const page = (body.data as Page).orders;
      names.push(...page.nodes.map((n) => n.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(names).toEqual(["#1002", "#1003", "#1004", "#1005"]);
  });

  it("prices a query, reports the bucket on every answer, and throttles when it is empty", async () => {
    fake.addOrder({ email: "a@example.com" });
    const first = await gql(ORDERS);
    const cost = first.body.extensions?.cost;
    // 10 × (order 1 + money 2 + 5 lines × (1 + money 2)) + 2 + 2 per connection.
    expect(cost?.requestedQueryCost).toBe(2 + 10 * (1 + 2 + 2 + 5 * 3));
    expect(cost?.actualQueryCost).toBeLessThan(cost?.requestedQueryCost ?? 0);
    expect(cost?.throttleStatus).toMatchObject({
      maximumAvailable: 1000,
      restoreRate: 100,
    });

    fake.drainBucket(10);
    const throttled = await gql(ORDERS);
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([
      {
        message: "Throttled",
        extensions: {
          code: "THROTTLED",
          documentation: "https://shopify.dev/api/usage/rate-limits",
        },
      },
    ]);
    expect(throttled.body.extensions?.cost).toMatchObject({
      requestedQueryCost: cost?.requestedQueryCost,
      actualQueryCost: null,
      throttleStatus: { currentlyAvailable: 10 },
    });

    clock += 3_000; // 100 points a second
    expect((await gql(ORDERS)).body.errors).toBeUndefined();
  });

  it("refuses a query over 1000 points with MAX_COST_EXCEEDED", async () => {
    const { status, body } = await gql(`{ orders(first: 20) { nodes { id
      lineItems(first: 50) { nodes { originalUnitPriceSet { shopMoney { amount } } variant { id } product { id } } } } } }`);
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: "MAX_COST_EXCEEDED",
      maxCost: 1000,
    });
    expect(body.extensions?.cost.requestedQueryCost).toBeGreaterThan(1000);
  });

  it("answers a wrong token with 401 and Shopify's body", async () => {
    const { status, body } = await gql("{ shop { name } }", {}, "shpat_wrong");
    expect(status).toBe(401);
    expect(body).toEqual({
      errors:
        "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  });

  it("keeps answering 401 while the token is refused, over HTTP too", async () => {
    await fetch(`${fake.url}/__fake/token-refused`, {
      method: "POST",
      body: JSON.stringify({ refused: true }),
    });
    expect((await gql("{ shop { name } }")).status).toBe(401);
    expect((await gql("{ shop { name } }")).status).toBe(401);
    fake.setTokenRefused(false);
    expect((await gql("{ shop { name } }")).status).toBe(200);
  });

  it("enforces scopes and withholds protected customer data", async () => {
    fake.state.grantedScopes = ["read_products"];
    const denied = await gql("{ orders(first: 1) { nodes { id } } }");
    expect(denied.body.errors?.[0]?.extensions).toMatchObject({
      code: "ACCESS_DENIED",
      requiredAccess: "`read_orders` access scope.",
    });
    fake.state.grantedScopes = ["read_orders", "read_customers"];
    fake.state.protectedCustomerData = false;
    fake.addOrder({ email: "a@example.com" });
    const withheld = await gql(
      "{ orders(first: 1) { nodes { email customer { id } } } }",
    );
    expect(withheld.body.data).toEqual({
      orders: { nodes: [{ email: null, customer: null }] },
    });
    expect(withheld.body.errors?.[0]?.message).toMatch(/not approved/);
  });

  it("arms one-off failures: 429 with Retry-After, 500, 503, then normal service", async () => {
    fake.failNext(429, { retryAfter: 3 });
    fake.failNext(500);
    fake.failNext(503);
    const a = await gql("{ shop { name } }");
    expect([a.status, a.headers.get("retry-after")]).toEqual([429, "3"]);
    expect((await gql("{ shop { name } }")).status).toBe(500);
    expect((await gql("{ shop { name } }")).status).toBe(503);
    expect((await gql("{ shop { name } }")).status).toBe(200);
  });

  it("drops the connection for an armed network error", async () => {
    fake.failNext("network");
    await expect(gql("{ shop { name } }")).rejects.toThrow();
  });

  it("flags deprecated fields in X-Shopify-API-Deprecated-Reason", async () => {
    const { headers } = await gql(
      "{ customers(first: 1) { nodes { email } } }",
    );
    expect(headers.get("x-shopify-api-deprecated-reason")).toMatch(/^https:/);
  });
});

describe("client-credentials grant", () => {
  const grant = (body: unknown) =>
    fetch(`${fake.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("issues an expiring token that the API then accepts", async () => {
    const response = await grant({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      grant_type: "client_credentials",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      access_token: string;
      scope: string;
      expires_in: number;
    };
    expect(body.scope).toBe("read_customers,read_orders,read_products");
    expect(body.expires_in).toBe(86_399);
    expect((await gql("{ shop { name } }", {}, body.access_token)).status).toBe(
      200,
    );
    clock += 86_400_000;
    expect((await gql("{ shop { name } }", {}, body.access_token)).status).toBe(
      401,
    );
  });

  it("refuses a wrong secret with 401 and a missing grant type with 400", async () => {
    const wrong = await grant({
      client_id: fake.clientId,
      client_secret: "nope",
      grant_type: "client_credentials",
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
    expect((await grant({ client_id: fake.clientId })).status).toBe(400);
  });
});

describe("webhooks", () => {
  async function startReceiver() {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/api/webhooks/shopify`,
      received,
      close: () =>
        new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it("signs the exact body like the library's getHmac, with every required header", async () => {
    const receiver = await startReceiver();
    try {
      const order = fake.addOrder({
        legacyId: "9007199254740993", // above 2^53
        email: "alice@example.com",
        lineItems: [{ title: "Hosting", price: "59.99" }],
      });
      const delivery = await fake.sendOrderWebhook(
        "orders/create",
        order.legacyId,
        { url: receiver.url },
      );
      expect(delivery.status).toBe(200);
      const got = receiver.received[0];
      expect(got?.headers["x-shopify-hmac-sha256"]).toBe(
        getHmac(got?.body ?? "", fake.webhookSecret),
      );
      expect(got?.headers).toMatchObject({
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": fake.shopDomain,
        "x-shopify-api-version": "2026-07",
      });
      expect(got?.headers["x-shopify-webhook-id"]).toBeTruthy();
      expect(got?.headers["x-shopify-event-id"]).toBeTruthy();
      expect(got?.headers["x-shopify-triggered-at"]).toBeTruthy();
      expect(got?.body).toContain('"id":9007199254740993,');
      expect(JSON.parse(got?.body ?? "{}")).toMatchObject({
        admin_graphql_api_id: "gid://shopify/Order/9007199254740993",
        email: "alice@example.com",
        financial_status: "paid",
        total_price: "59.99",
        line_items: [{ title: "Hosting", price: "59.99", quantity: 1 }],
      });
    } finally {
      await receiver.close();
    }
  });

  it("sends refunds/create and orders/updated for a refund, and creates orders over HTTP", async () => {
    const receiver = await startReceiver();
    try {
      fake.setWebhookUrl(receiver.url);
      const created = await fetch(`${fake.url}/__fake/webhooks`, {
        method: "POST",
        body: JSON.stringify({ email: "carol@example.com", total: "20.00" }),
      });
      const { orderId } = (await created.json()) as { orderId: string };
      clock += 60_000;
      await fake.refundOrder(orderId, "5.00");
      expect(
        receiver.received.map((r) => r.headers["x-shopify-topic"]),
      ).toEqual(["orders/create", "refunds/create", "orders/updated"]);
      expect(JSON.parse(receiver.received[2]?.body ?? "{}")).toMatchObject({
        financial_status: "partially_refunded",
        current_total_price: "15.00",
      });
    } finally {
      await receiver.close();
    }
  });

  it("leaves out headers and signs with another key when asked", () => {
    const order = fake.addOrder({ email: "a@example.com" });
    const webhook = fake.signedOrderWebhook("orders/updated", order.legacyId, {
      omitHeaders: ["X-Shopify-Webhook-Id"],
      secret: "other",
    });
    expect(webhook.headers["X-Shopify-Webhook-Id"]).toBeUndefined();
    expect(webhook.headers["X-Shopify-Hmac-Sha256"]).toBe(
      getHmac(webhook.body, "other"),
    );
  });
});
