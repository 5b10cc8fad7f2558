import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { connectToFake } from "@/testing/shopify/connect";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";
import {
  linkOrderToTicket,
  linkShopifyOrderToTicket,
  mentionedShopifyOrder,
} from "@/lib/customers/order-links";
import { recordFromWebhook, recordShopifyOrder } from "@/lib/shopify/orders";

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

const shopify = () => connectToFake(fake);

async function stored(order: { legacyId: string }) {
  const w = fake.signedOrderWebhook("orders/create", order.legacyId);
  const r = recordFromWebhook(JSON.parse(w.body));
  if (!r.ok) throw new Error(r.error);
  await recordShopifyOrder(t.db, r.record);
  const [row] = await t.db
    .select()
    .from(s.orders)
    .where(eq(s.orders.externalId, `gid://shopify/Order/${order.legacyId}`));
  return row!;
}

describe("linking a Shopify order to a ticket", () => {
  it("finds the order a customer names in their mail, and one click gives it to them for good", async () => {
    const customer = await buildUser(t.db, { email: "cora@example.test" });
    const agent = await buildUser(t.db, { role: "agent" });
    // Bought with a work address Portico does not know.
    const shopOrder = fake.addOrder({ email: "cora@work.example.test" });
    const order = await stored(shopOrder);
    expect(order.customerId).toBeNull();
    const ticket = await buildTicket(t.db, {
      customer,
      messages: [
        {
          kind: "customer",
          text: `Hello, about ${order.number}: it never arrived.`,
        },
      ],
    });
    const mentioned = await mentionedShopifyOrder(t.db, ticket);
    expect(mentioned?.number).toBe(order.number);

    const linked = await linkOrderToTicket(t.db, agent.viewer, {
      number: ticket.number,
      orderId: order.id,
    });
    expect(linked.ok).toBe(true);
    const [after] = await t.db
      .select()
      .from(s.orders)
      .where(eq(s.orders.id, order.id));
    expect(after?.customerId).toBe(customer.id);
    expect(
      await mentionedShopifyOrder(t.db, { ...ticket, orderId: order.id }),
    ).toBeNull();

    // A later update from Shopify keeps the hand link, whatever the order's email says.
    fake.updateOrder(shopOrder.legacyId, { fulfillmentStatus: "FULFILLED" });
    await stored(shopOrder);
    const [synced] = await t.db
      .select()
      .from(s.orders)
      .where(eq(s.orders.id, order.id));
    expect(synced).toMatchObject({
      customerId: customer.id,
      status: "fulfilled",
    });
  });

  it("refuses another customer's order, and a customer linking anything", async () => {
    const owner = await buildUser(t.db, { email: "owner@example.test" });
    const other = await buildUser(t.db);
    const agent = await buildUser(t.db, { role: "agent" });
    const order = await stored(fake.addOrder({ email: owner.email }));
    const ticket = await buildTicket(t.db, { customer: other });
    const refused = await linkOrderToTicket(t.db, agent.viewer, {
      number: ticket.number,
      orderId: order.id,
    });
    expect(!refused.ok && refused.error.message).toMatch(/another customer/);
    const byCustomer = await linkOrderToTicket(t.db, other.viewer, {
      number: ticket.number,
      orderId: order.id,
    });
    expect(byCustomer.ok).toBe(false);
  });

  it("stores and links an order known only to the store, and says when the store refuses", async () => {
    const customer = await buildUser(t.db, { email: "live@example.test" });
    const agent = await buildUser(t.db, { role: "agent" });
    const ticket = await buildTicket(t.db, { customer });
    const shopOrder = fake.addOrder({
      email: "live@example.test",
      lineItems: [{ title: "Keyboard", price: "64.50" }],
    });
    const gid = `gid://shopify/Order/${shopOrder.legacyId}`;
    const linked = await linkShopifyOrderToTicket(
      t.db,
      shopify(),
      agent.viewer,
      {
        number: ticket.number,
        gid,
      },
    );
    expect(linked.ok && linked.value.orderNumber).toBe(`#${shopOrder.number}`);
    const [row] = await t.db
      .select()
      .from(s.tickets)
      .innerJoin(s.orders, eq(s.orders.id, s.tickets.orderId))
      .where(eq(s.tickets.id, ticket.id));
    expect(row?.orders).toMatchObject({ externalId: gid, totalAmount: 6450 });

    fake.setTokenRefused(true);
    try {
      const refused = await linkShopifyOrderToTicket(
        t.db,
        shopify(),
        agent.viewer,
        {
          number: ticket.number,
          gid,
        },
      );
      expect(!refused.ok && refused.error.message).toMatch(/refused/);
    } finally {
      fake.setTokenRefused(false);
    }
  });
});
