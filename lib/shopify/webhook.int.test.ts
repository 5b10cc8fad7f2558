import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";
import { signUp } from "@/lib/auth/sign-up";
import { signUpInput } from "@/lib/auth/schemas";
import { spendEmailLink } from "@/lib/auth/email-verification";
import { openSecrets } from "@/lib/mail/sealed";
import { listOrdersForCustomer } from "@/lib/orders/queries";
import { liveShopifyOrders } from "@/lib/shopify/live";
import { receiveShopifyWebhook } from "@/lib/shopify/webhook";
import { connectToFake } from "@/testing/shopify/connect";
import {
  refundWebhookPayload,
  signedWebhook,
} from "@/testing/shopify/webhooks";

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

const config = () => ({
  shopDomain: fake.shopDomain,
  webhookSecret: fake.webhookSecret,
});

type Webhook = ReturnType<FakeShopify["signedOrderWebhook"]>;
const deliver = (w: Webhook) =>
  receiveShopifyWebhook(t.db, config(), w.body, new Headers(w.headers));

const storedByGid = async (gid: string) =>
  t.db
    .select()
    .from(s.orders)
    .leftJoin(s.shopifyOrders, eq(s.shopifyOrders.orderId, s.orders.id))
    .where(eq(s.orders.externalId, gid));

describe("Shopify order webhooks", () => {
  it("puts an order beside the customer with the same email, whatever its letter case", async () => {
    const customer = await buildUser(t.db, {
      email: "nora.store@example.test",
    });
    const order = fake.addOrder({
      email: "Nora.Store@Example.TEST",
      lineItems: [
        { title: "USB-C dock", price: "89.90", quantity: 2 },
        { title: "Cable", price: "9.99" },
      ],
    });
    const answer = await deliver(
      fake.signedOrderWebhook("orders/create", order.legacyId),
    );
    expect(answer).toMatchObject({ status: 200, body: { outcome: "created" } });
    const mine = await listOrdersForCustomer(t.db, customer.viewer);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      provider: "shopify",
      number: `#${order.number}`,
      status: "paid",
      currency: "EUR",
      totalAmount: 18979,
    });
    const items = await t.db
      .select()
      .from(s.orderItems)
      .where(eq(s.orderItems.orderId, mine[0]!.id));
    expect(
      items.map((i) => [i.description, i.quantity, i.totalAmount]),
    ).toEqual(
      expect.arrayContaining([
        ["USB-C dock", 2, 17980],
        ["Cable", 1, 999],
      ]),
    );
    const timeline = await t.db
      .select()
      .from(s.orderEvents)
      .where(eq(s.orderEvents.orderId, mine[0]!.id));
    expect(timeline.map((e) => [e.status, e.note])).toEqual([
      ["paid", "Placed in the Shopify store"],
    ]);
    const [stored] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(stored?.shopify_orders?.financialStatus).toBe("PAID");
  });

  it("keeps an order for an unknown email and gives it to that person when they sign up", async () => {
    const order = fake.addOrder({ email: "later.customer@example.test" });
    await deliver(fake.signedOrderWebhook("orders/create", order.legacyId));
    const [kept] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(kept?.orders.customerId).toBeNull();

    const signed = await signUp(
      t.db,
      signUpInput.parse({
        name: "Later Customer",
        email: "Later.Customer@example.test",
        password: "a long enough passphrase 42",
      }),
    );
    expect(signed.ok).toBe(true);
    // Anyone can sign up as any address: the order waits until the address is proven.
    const [waiting] = await storedByGid(
      `gid://shopify/Order/${order.legacyId}`,
    );
    expect(waiting?.orders.customerId).toBeNull();
    const [mail] = await t.db
      .select()
      .from(s.outboundMail)
      .where(eq(s.outboundMail.kind, "verify_email"));
    const token = /verify-email\/([\w-]+)/.exec(
      openSecrets(mail!.bodyText)!,
    )![1]!;
    expect((await spendEmailLink(t.db, token)).ok).toBe(true);
    const [claimed] = await storedByGid(
      `gid://shopify/Order/${order.legacyId}`,
    );
    expect(claimed?.orders.customerId).toBe(
      signed.ok && signed.value.subject?.id,
    );
  });

  it("does not give an order to an account that has not proven the address", async () => {
    const squatter = await buildUser(t.db, {
      email: "not.yet.proven@example.test",
      emailVerifiedAt: null,
    });
    const order = fake.addOrder({ email: "not.yet.proven@example.test" });
    await deliver(fake.signedOrderWebhook("orders/create", order.legacyId));
    const [kept] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(kept?.orders.customerId).toBeNull();
    expect(await listOrdersForCustomer(t.db, squatter.viewer)).toEqual([]);
  });

  it("applies an event once, and never lets an older version overwrite a newer one", async () => {
    const order = fake.addOrder({ email: "twice@example.test" });
    const created = fake.signedOrderWebhook("orders/create", order.legacyId, {
      eventId: "event-create-1",
    });
    expect((await deliver(created)).body).toMatchObject({ outcome: "created" });
    expect((await deliver(created)).body).toEqual({ duplicate: true });

    const old = fake.signedOrderWebhook("orders/updated", order.legacyId);
    fake.updateOrder(order.legacyId, { fulfillmentStatus: "FULFILLED" });
    const newer = fake.signedOrderWebhook("orders/updated", order.legacyId);
    // The newer one arrives first; the older one then changes nothing.
    expect((await deliver(newer)).body).toMatchObject({ outcome: "updated" });
    expect((await deliver(newer)).body).toEqual({ duplicate: true });
    expect((await deliver(old)).body).toMatchObject({ outcome: "stale" });
    expect((await deliver(old)).body).toEqual({ duplicate: true });
    const [row] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(row?.orders.status).toBe("fulfilled");
    expect(row?.shopify_orders?.fulfillmentStatus).toBe("FULFILLED");
  });

  it("takes an update that arrives before the order's creation", async () => {
    const order = fake.addOrder({ email: "early@example.test" });
    fake.updateOrder(order.legacyId, { fulfillmentStatus: "FULFILLED" });
    const update = fake.signedOrderWebhook("orders/updated", order.legacyId);
    expect((await deliver(update)).body).toMatchObject({ outcome: "created" });
    const late = fake.signedOrderWebhook("orders/create", order.legacyId);
    // Built from the same (current) order: same version, applied again harmlessly.
    expect((await deliver(late)).status).toBe(200);
    expect(
      await storedByGid(`gid://shopify/Order/${order.legacyId}`),
    ).toHaveLength(1);
  });

  it("replaces an order's items and notes its new status when an update brings them", async () => {
    const order = fake.addOrder({
      email: "changed.items@example.test",
      lineItems: [
        { title: "Desk lamp", price: "30.00", quantity: 2 },
        { title: "Bulb", price: "4.50" },
      ],
    });
    await deliver(fake.signedOrderWebhook("orders/create", order.legacyId));
    fake.updateOrder(order.legacyId, {
      lineItems: [{ ...order.lineItems[0]!, quantity: 3, currentQuantity: 3 }],
      fulfillmentStatus: "FULFILLED",
    });
    const answer = await deliver(
      fake.signedOrderWebhook("orders/updated", order.legacyId),
    );
    expect(answer.body).toMatchObject({ outcome: "updated" });
    const [row] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    const items = await t.db
      .select()
      .from(s.orderItems)
      .where(eq(s.orderItems.orderId, row!.orders.id));
    expect(
      items.map((i) => [i.description, i.quantity, i.totalAmount]),
    ).toEqual([["Desk lamp", 3, 9000]]);
    const timeline = await t.db
      .select()
      .from(s.orderEvents)
      .where(eq(s.orderEvents.orderId, row!.orders.id));
    expect(timeline.map((e) => [e.status, e.note])).toEqual(
      expect.arrayContaining([["fulfilled", "Updated in Shopify"]]),
    );
  });

  it("stores a new order once when two of its deliveries arrive together", async () => {
    const order = fake.addOrder({ email: "together@example.test" });
    const answers = await Promise.all([
      deliver(fake.signedOrderWebhook("orders/create", order.legacyId)),
      deliver(fake.signedOrderWebhook("orders/updated", order.legacyId)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.outcome).sort()).toEqual([
      "created",
      "updated",
    ]);
    const rows = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(rows).toHaveLength(1);
    const items = await t.db
      .select()
      .from(s.orderItems)
      .where(eq(s.orderItems.orderId, rows[0]!.orders.id));
    expect(items).toHaveLength(order.lineItems.length);
  });

  it("adopts an order recorded under the same name before the store was connected", async () => {
    const order = fake.addOrder({ email: "adopted@example.test" });
    await t.db.insert(s.orders).values({
      number: `#${order.number}`,
      email: "adopted@example.test",
      status: "paid",
      currency: "EUR",
      totalAmount: 2500,
      provider: "shopify",
      externalId: `shopify_manual_${order.number}`,
    });
    const answer = await deliver(
      fake.signedOrderWebhook("orders/updated", order.legacyId),
    );
    expect(answer.status).toBe(200);
    const rows = await t.db
      .select()
      .from(s.orders)
      .where(eq(s.orders.number, `#${order.number}`));
    expect(rows.map((r) => r.externalId)).toEqual([
      `gid://shopify/Order/${order.legacyId}`,
    ]);
  });

  it("shows a new order beside the customer's ticket at once, despite the short cache", async () => {
    const email = "cached@example.test";
    const shopify = connectToFake(fake);
    fake.addOrder({ email });
    const before = await liveShopifyOrders(shopify, email);
    expect(before.kind === "ok" && before.orders).toHaveLength(1);
    const order = fake.addOrder({ email });
    // Within the cache's minute, without a webhook, the list is the one read before.
    const cached = await liveShopifyOrders(shopify, email);
    expect(cached.kind === "ok" && cached.orders).toHaveLength(1);
    await deliver(fake.signedOrderWebhook("orders/create", order.legacyId));
    const after = await liveShopifyOrders(shopify, email);
    expect(after.kind === "ok" && after.orders.map((o) => o.name)).toContain(
      `#${order.number}`,
    );
  });

  it("keeps an order cancelled before payment unpaid", async () => {
    const order = fake.addOrder({
      email: "never.paid@example.test",
      financialStatus: "PENDING",
    });
    fake.updateOrder(order.legacyId, { cancelledAt: new Date() });
    await deliver(fake.signedOrderWebhook("orders/cancelled", order.legacyId));
    const [row] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(row?.orders).toMatchObject({ status: "cancelled", paidAt: null });
  });

  it("keys an order whose id is above 2^53 by its exact gid", async () => {
    const legacyId = "9007199254740993";
    fake.addOrder({ legacyId, email: "big.id@example.test" });
    const webhook = fake.signedOrderWebhook("orders/create", legacyId);
    expect(webhook.body).toContain(`"id":${legacyId}`);
    await deliver(webhook);
    expect(await storedByGid(`gid://shopify/Order/${legacyId}`)).toHaveLength(
      1,
    );
    // The neighbouring id JSON.parse would round it to is not there.
    expect(
      await storedByGid("gid://shopify/Order/9007199254740992"),
    ).toHaveLength(0);
  });

  it("refuses a bad HMAC, a missing webhook id and another shop's domain, storing nothing", async () => {
    const order = fake.addOrder({ email: "refused@example.test" });
    const gid = `gid://shopify/Order/${order.legacyId}`;
    const cases = [
      fake.signedOrderWebhook("orders/create", order.legacyId, {
        secret: "wrong",
      }),
      fake.signedOrderWebhook("orders/create", order.legacyId, {
        omitHeaders: ["X-Shopify-Webhook-Id"],
      }),
      fake.signedOrderWebhook("orders/create", order.legacyId, {
        shopDomain: "someone-else.myshopify.com",
      }),
    ];
    for (const w of cases) expect((await deliver(w)).status).toBe(401);
    // A body changed after signing fails too.
    const good = fake.signedOrderWebhook("orders/create", order.legacyId);
    const tampered = {
      ...good,
      body: good.body.replace("refused@", "attacker@"),
    };
    expect((await deliver(tampered)).status).toBe(401);
    expect(await storedByGid(gid)).toHaveLength(0);
    const events = await t.db
      .select()
      .from(s.webhookEvents)
      .where(eq(s.webhookEvents.provider, "shopify"));
    expect(
      events.some((e) => (e.payload as { gid?: string }).gid === gid),
    ).toBe(false);
  });

  it("follows a refund and a cancellation made in Shopify", async () => {
    const customer = await buildUser(t.db, { email: "refunds@example.test" });
    const order = fake.addOrder({
      email: customer.email,
      lineItems: [{ title: "Router", price: "120.00" }],
    });
    await deliver(fake.signedOrderWebhook("orders/create", order.legacyId));
    // Refunded in the shop admin: Shopify sends orders/updated with the new totals.
    await fake.refundOrder(order.legacyId, "20.00");
    const refund = signedWebhook(
      fake.state,
      fake.webhookSecret,
      "refunds/create",
      refundWebhookPayload(fake.state, order, order.refunds[0]!),
    );
    expect((await deliver(refund)).body).toEqual({
      received: true,
      outcome: "noted",
    });
    expect((await deliver(refund)).body).toEqual({ duplicate: true });
    const updated = fake.signedOrderWebhook("orders/updated", order.legacyId);
    await deliver(updated);
    let [row] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(row?.orders).toMatchObject({
      status: "partially_refunded",
      refundedAmount: 2000,
    });
    fake.updateOrder(order.legacyId, {
      cancelledAt: new Date(),
      cancelReason: "CUSTOMER",
    });
    await deliver(fake.signedOrderWebhook("orders/cancelled", order.legacyId));
    [row] = await storedByGid(`gid://shopify/Order/${order.legacyId}`);
    expect(row?.orders.cancelledAt).not.toBeNull();
  });
});
