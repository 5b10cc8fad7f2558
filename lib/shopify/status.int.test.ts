import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/testing/db";
import { connectToFake } from "@/testing/shopify/connect";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";
import { shopifyStatus } from "@/lib/shopify/status";
import { receiveShopifyWebhook } from "@/lib/shopify/webhook";

let t: TestDb;
let fake: FakeShopify;
beforeAll(async () => {
  t = await createTestDb();
  fake = await startFakeShopify();
});
afterAll(async () => {
  await fake.close();
  await t.close();
});

const connect = () => connectToFake(fake);

describe("the Shopify settings status", () => {
  it("says what a missing scope costs, and names a refused webhook's likely cause", async () => {
    fake.state.grantedScopes = ["read_customers", "read_products"];
    let status = await shopifyStatus(t.db, connect());
    expect(status.shop.ok).toBe(true);
    expect(status.apiVersion).toBe("2026-07");
    expect(status.problems.join(" ")).toMatch(
      /lacks read_orders, so orders cannot be read/,
    );
    expect(status.problems.join(" ")).toMatch(/last 60 days/);
    expect(status.lastWebhook).toBeNull();

    const order = fake.addOrder({ email: "status@example.test" });
    const wrong = fake.signedOrderWebhook("orders/create", order.legacyId, {
      secret: "a key from the store admin",
    });
    await receiveShopifyWebhook(
      t.db,
      { shopDomain: fake.shopDomain, webhookSecret: fake.webhookSecret },
      wrong.body,
      new Headers(wrong.headers),
    );
    status = await shopifyStatus(t.db, connect());
    expect(status.lastRefused?.reason).toMatch(/HMAC does not match/);
    expect(status.problems.join(" ")).toMatch(/SHOPIFY_WEBHOOK_SECRET/);

    // A good delivery afterwards: the refusal is history.
    const good = fake.signedOrderWebhook("orders/create", order.legacyId);
    await receiveShopifyWebhook(
      t.db,
      { shopDomain: fake.shopDomain, webhookSecret: fake.webhookSecret },
      good.body,
      new Headers(good.headers),
      new Date(Date.now() + 1000),
    );
    status = await shopifyStatus(t.db, connect());
    expect(status.lastWebhook?.topic).toBe("orders/create");
    expect(status.lastRefused).toBeNull();
  });

  it("explains a refused token instead of failing", async () => {
    fake.setTokenRefused(true);
    try {
      const status = await shopifyStatus(t.db, connect());
      expect(status.shop).toMatchObject({ ok: false, configuration: true });
      expect(status.problems[0]).toMatch(/refused the portal's access token/);
    } finally {
      fake.setTokenRefused(false);
    }
  });
});
