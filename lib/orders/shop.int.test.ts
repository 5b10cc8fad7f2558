import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import type Stripe from "stripe";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import * as s from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { addToCart, getCart } from "@/lib/cart/cart";
import { checkout, payOrder, type CheckoutDeps } from "@/lib/orders/checkout";
import { runMailJob } from "@/lib/jobs/mail-job";
import { numberInvoicesNow } from "@/lib/orders/invoices";
import { markOrderPaid, refundOrder } from "@/lib/orders/manage";
import { lockOrder, recordPayment } from "@/lib/orders/payments";
import { createStripeClient, type StripeClient } from "@/lib/stripe/client";
import { startFakeStripe, type FakeStripe } from "@/testing/stripe/fake";
import { receiveStripeWebhook } from "@/lib/stripe/deliveries";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

// The shop end to end below the browser: the real `stripe` client against the project's fake
// Stripe over loopback, whose signed events reach the same webhook code the route runs.

const SECRET = "whsec_shop_integration_test_secret";
const KEY = "sk_test_shop_integration";
const APP = "https://portal.test";

let t: TestDb;
let db: Db;
let fake: FakeStripe;
let stripe: StripeClient;
let receiver: http.Server;
let admin: Viewer;
let webhookUrl: string;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  receiver = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      void receiveStripeWebhook(
        db,
        stripe,
        raw,
        req.headers["stripe-signature"]?.toString() ?? null,
        new Date(),
      ).then(
        (answer) => {
          res.writeHead(answer.status, { "content-type": "application/json" });
          res.end(JSON.stringify(answer.body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;
  webhookUrl = `http://127.0.0.1:${port}/api/webhooks/stripe`;
  fake = await startFakeStripe({
    secretKey: KEY,
    webhookSecret: SECRET,
    webhookUrl,
  });
  stripe = createStripeClient(
    {
      secretKey: KEY,
      webhookSecret: SECRET,
      apiUrl: fake.url,
      automaticTax: false,
    },
    { maxNetworkRetries: 0 },
  );
  admin = (await buildUser(db, { role: "admin", name: "Ada Admin" })).viewer;
});

afterAll(async () => {
  await fake?.close();
  await new Promise((r) => receiver?.close(r));
  await t?.close();
});

beforeEach(() => fake.setDelivery(true));

const deps = (over: Partial<CheckoutDeps> = {}): CheckoutDeps => ({
  stripe,
  appUrl: APP,
  automaticTax: false,
  bankTransferDetails: "IBAN XX00 TEST",
  now: new Date(),
  ...over,
});

async function product(
  kind: "product" | "service",
  price: { amount: number; interval?: "month" | "year" },
) {
  const slug = `p-${Math.random().toString(36).slice(2, 10)}`;
  const [p] = await db
    .insert(s.products)
    .values({ slug, name: `Product ${slug}`, kind })
    .returning();
  const [pr] = await db
    .insert(s.prices)
    .values({
      productId: p!.id,
      currency: "EUR",
      unitAmount: price.amount,
      type: price.interval ? "recurring" : "one_time",
      interval: price.interval ?? null,
      intervalCount: price.interval ? 1 : null,
    })
    .returning();
  return { product: p!, price: pr! };
}

async function customer() {
  return (await buildUser(db, { name: "Carla Customer" })).viewer;
}

/** A card payment committed on its own: the order is paid and due, its invoice not numbered yet. */
async function payWithoutNumbering(
  orderId: string,
  amount: number,
  externalId: string,
) {
  await db.transaction(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    await recordPayment(tx, locked!, {
      provider: "stripe",
      externalId,
      amount,
      currency: "EUR",
      actor: { kind: "system" },
      now: new Date(),
    });
  });
}

async function orderOf(id: string) {
  const [o] = await db.select().from(s.orders).where(eq(s.orders.id, id));
  return o!;
}

const mailsTo = (email: string, kind: string) =>
  db
    .select()
    .from(s.outboundMail)
    .where(
      and(eq(s.outboundMail.toAddress, email), eq(s.outboundMail.kind, kind)),
    );

const paymentsOf = (orderId: string) =>
  db.select().from(s.payments).where(eq(s.payments.orderId, orderId));

/** A customer with a cart of one-off products, checked out to a Stripe session. */
async function checkedOut(lines: Array<{ amount: number; qty: number }>) {
  const viewer = await customer();
  for (const line of lines) {
    const { price } = await product("product", { amount: line.amount });
    expect(
      (
        await addToCart(
          db,
          { userId: viewer.id },
          {
            priceId: price.id,
            quantity: line.qty,
          },
        )
      ).ok,
    ).toBe(true);
  }
  const done = await checkout(db, viewer, deps());
  if (!done.ok) throw new Error(done.error.message);
  if (done.value.kind !== "redirect") throw new Error("expected a redirect");
  const order = await orderOf(done.value.orderId);
  return {
    viewer,
    order,
    url: done.value.url,
    sessionId: order.checkoutSessionId!,
  };
}

/** A customer with a monthly service checked out to a Stripe subscription session. */
async function subscribed() {
  const viewer = await customer();
  const { price } = await product("service", {
    amount: 590,
    interval: "month",
  });
  await addToCart(
    db,
    { userId: viewer.id },
    { priceId: price.id, quantity: 3 },
  );
  const done = await checkout(db, viewer, deps());
  if (!done.ok) throw new Error(done.error.message);
  const order = await orderOf(done.value.orderId);
  return { viewer, order, sessionId: order.checkoutSessionId! };
}

const servicesOf = (orderId: string) =>
  db.select().from(s.services).where(eq(s.services.orderId, orderId));

describe("checkout with Stripe", () => {
  it("creates the order from catalogue prices and a session that carries it", async () => {
    const { order, url, sessionId } = await checkedOut([
      { amount: 1250, qty: 2 },
      { amount: 4900, qty: 1 },
    ]);
    expect(order.status).toBe("pending");
    expect(order.totalAmount).toBe(2 * 1250 + 4900);
    expect(url).toContain(sessionId);
    const session = fake.getSession(sessionId)!;
    expect(session.mode).toBe("payment");
    expect(session.client_reference_id).toBe(order.id);
    expect(session.metadata?.orderId).toBe(order.id);
    expect(session.amount_total).toBe(7400);
    expect(session.success_url).toBe(
      `${APP}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    );
    expect(session.customer_email).toMatch(/@example\.test$/);
  });

  it("marks the order paid when the webhook says so, once, however often it arrives", async () => {
    const { viewer, order, sessionId } = await checkedOut([
      { amount: 990, qty: 1 },
    ]);
    const events = await fake.completeSession(sessionId);
    const paid = await orderOf(order.id);
    expect(paid.status).toBe("paid");
    expect(paid.invoiceNumber).toMatch(/^\d{4}-\d{4}$/);
    expect(paid.paymentIntentId).toMatch(/^pi_/);
    expect(await paymentsOf(order.id)).toHaveLength(1);
    expect((await getCart(db, { userId: viewer.id })).lines).toHaveLength(0);
    const [user] = await db
      .select()
      .from(s.users)
      .where(eq(s.users.id, viewer.id));
    expect(user!.stripeCustomerId).toMatch(/^cus_/);

    expect(await fake.deliver(events)).toEqual(events.map(() => 200));
    expect(await fake.deliver(events)).toEqual(events.map(() => 200));
    expect(await paymentsOf(order.id)).toHaveLength(1);
    expect(await mailsTo(viewer.email, "payment_receipt")).toHaveLength(1);
    expect((await orderOf(order.id)).invoiceNumber).toBe(paid.invoiceNumber);
  });

  it("gives paid orders gap-free invoice numbers in order", async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { order, sessionId } = await checkedOut([{ amount: 100, qty: 1 }]);
      await fake.completeSession(sessionId);
      numbers.push(Number((await orderOf(order.id)).invoiceNumber!.slice(5)));
    }
    expect(numbers[1]).toBe(numbers[0]! + 1);
    expect(numbers[2]).toBe(numbers[0]! + 2);
  });

  it("numbers invoices once each and without gaps when payments arrive at once", async () => {
    const carts = [];
    for (let i = 0; i < 6; i++)
      carts.push(await checkedOut([{ amount: 300 + i, qty: 1 }]));
    await Promise.all(carts.map((c) => fake.completeSession(c.sessionId)));
    const paid = await Promise.all(carts.map((c) => orderOf(c.order.id)));
    const numbers = paid.map((o) => Number(o.invoiceNumber!.slice(5)));
    const sorted = [...numbers].sort((a, b) => a - b);
    expect(sorted).toEqual(sorted.map((_, i) => sorted[0]! + i));
    for (const [i, order] of paid.entries()) {
      expect(order.invoiceDueAt).toBeNull();
      const receipts = await mailsTo(carts[i]!.viewer.email, "payment_receipt");
      expect(receipts).toHaveLength(1);
      expect(receipts[0]!.bodyText).toContain(order.invoiceNumber!);
    }
  });

  it("sends the payment receipt only to customers who want order mail", async () => {
    const optedOut = await checkedOut([{ amount: 410, qty: 1 }]);
    await db
      .update(s.users)
      .set({ orderMail: false })
      .where(eq(s.users.id, optedOut.viewer.id));
    const unconfirmed = await checkedOut([{ amount: 420, qty: 1 }]);
    await db
      .update(s.users)
      .set({ emailVerifiedAt: null })
      .where(eq(s.users.id, unconfirmed.viewer.id));
    for (const c of [optedOut, unconfirmed]) {
      await fake.completeSession(c.sessionId);
      const order = await orderOf(c.order.id);
      expect(order.status).toBe("paid");
      expect(order.invoiceNumber).toMatch(/^\d{4}-\d{4}$/);
      expect(await mailsTo(c.viewer.email, "payment_receipt")).toHaveLength(0);
    }
  });

  it("leaves no paid order without its invoice: the scheduled job numbers what a payment left", async () => {
    const { viewer, order } = await checkedOut([{ amount: 430, qty: 1 }]);
    // A payment committed, then the process stopped before numbering it.
    await payWithoutNumbering(order.id, 430, "pi_interrupted");
    const waiting = await orderOf(order.id);
    expect(waiting).toMatchObject({ status: "paid", invoiceNumber: null });
    expect(waiting.invoiceDueAt).not.toBeNull();

    const run = await runMailJob(db, {
      transport: null,
      now: new Date(),
      imap: null,
      mailcow: null,
      sms: null,
    });
    expect(run.ran && run.invoices).toEqual({ numbered: 1 });
    const numbered = await orderOf(order.id);
    expect(numbered.invoiceNumber).toMatch(/^\d{4}-\d{4}$/);
    const [receipt] = await mailsTo(viewer.email, "payment_receipt");
    expect(receipt!.bodyText).toContain(numbered.invoiceNumber!);
  });

  // Only PostgreSQL has a second connection to hold the order while a run passes over it.
  it.skipIf(process.env.TEST_DRIVER !== "postgres")(
    "numbers a paid order a run passed over once it is let go, with nobody asking again",
    async () => {
      const { order } = await checkedOut([{ amount: 440, qty: 1 }]);
      await payWithoutNumbering(order.id, 440, "pi_passed_over");
      // Held by another transaction (a repeat of its webhook event holds it so) while a run comes.
      let letGo!: () => void;
      const released = new Promise<void>((resolve) => (letGo = resolve));
      let isHeld!: () => void;
      const held = new Promise<void>((resolve) => (isHeld = resolve));
      const holder = db.transaction(async (tx) => {
        await lockOrder(tx, order.id);
        isHeld();
        await released;
      });
      await held;
      await numberInvoicesNow(db, new Date());
      expect((await orderOf(order.id)).invoiceNumber).toBeNull();

      letGo();
      await holder;
      await vi.waitFor(
        async () =>
          expect((await orderOf(order.id)).invoiceNumber).toMatch(
            /^\d{4}-\d{4}$/,
          ),
        { timeout: 5_000, interval: 20 },
      );
    },
  );

  it("reuses the order and its open session when the customer checks out again", async () => {
    const { viewer, order, url } = await checkedOut([{ amount: 500, qty: 1 }]);
    const again = await checkout(db, viewer, deps());
    expect(again.ok && again.value).toMatchObject({
      kind: "redirect",
      url,
      orderId: order.id,
    });
    const sessions = fake.requests.filter(
      (r) => r.method === "POST" && r.path === "/v1/checkout/sessions",
    );
    expect(
      sessions.filter((r) =>
        r.idempotencyKey?.startsWith(`checkout:${order.id}:`),
      ),
    ).toHaveLength(1);
  });

  it("makes one order when the checkout button is pressed twice at once", async () => {
    const viewer = await customer();
    const { price } = await product("product", { amount: 650 });
    await addToCart(
      db,
      { userId: viewer.id },
      { priceId: price.id, quantity: 1 },
    );
    const [a, b] = await Promise.all([
      checkout(db, viewer, deps()),
      checkout(db, viewer, deps()),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.value.orderId).toBe(b.value.orderId);
    const orders = await db
      .select()
      .from(s.orders)
      .where(eq(s.orders.customerId, viewer.id));
    expect(orders).toHaveLength(1);
  });

  it("waits for a delayed payment, then follows its success or failure", async () => {
    const ok1 = await checkedOut([{ amount: 700, qty: 1 }]);
    await fake.completeSession(ok1.sessionId, { paymentStatus: "unpaid" });
    expect((await orderOf(ok1.order.id)).status).toBe("processing");
    await fake.succeedAsyncPayment(ok1.sessionId);
    expect((await orderOf(ok1.order.id)).status).toBe("paid");

    const ko = await checkedOut([{ amount: 700, qty: 1 }]);
    await fake.completeSession(ko.sessionId, { paymentStatus: "unpaid" });
    await fake.failAsyncPayment(ko.sessionId);
    expect((await orderOf(ko.order.id)).status).toBe("payment_failed");
    expect(await mailsTo(ko.viewer.email, "payment_failed")).toHaveLength(1);

    // The customer may pay again: a new session, under a new idempotency key.
    const retry = await payOrder(db, ko.viewer, ko.order.id, deps());
    expect(retry.ok).toBe(true);
    const reopened = await orderOf(ko.order.id);
    expect(reopened.status).toBe("pending");
    expect(reopened.checkoutSessionId).not.toBe(ko.sessionId);
    expect(reopened.checkoutAttempt).toBe(2);
    await fake.completeSession(reopened.checkoutSessionId!);
    expect((await orderOf(ko.order.id)).status).toBe("paid");
  });

  it("expires an unpaid order, but never a paid one nor one that has a newer session", async () => {
    const a = await checkedOut([{ amount: 300, qty: 1 }]);
    await fake.expireSession(a.sessionId);
    expect((await orderOf(a.order.id)).status).toBe("expired");

    const b = await checkedOut([{ amount: 300, qty: 1 }]);
    fake.setDelivery(false);
    const expired = await fake.expireSession(b.sessionId);
    fake.setDelivery(true);
    // The customer came back through a fresh session before the expiry arrived.
    await db
      .update(s.orders)
      .set({ checkoutExpiresAt: new Date(0) })
      .where(eq(s.orders.id, b.order.id));
    const fresh = await payOrder(db, b.viewer, b.order.id, deps());
    expect(fresh.ok).toBe(true);
    expect(await fake.deliver(expired)).toEqual([200]);
    expect((await orderOf(b.order.id)).status).toBe("pending");

    // An expiry that arrives after the payment changes nothing.
    const c = await checkedOut([{ amount: 300, qty: 1 }]);
    await fake.completeSession(c.sessionId);
    const template = fake.events.find(
      (e) => e.type === "checkout.session.expired",
    );
    const lateExpiry = {
      ...template!,
      id: `${template!.id}_late`,
      data: {
        object: {
          ...(template!.data.object as object),
          id: c.sessionId,
          client_reference_id: c.order.id,
        },
      },
    } as unknown as (typeof fake.events)[number];
    expect(await fake.deliver([lateExpiry])).toEqual([200]);
    expect((await orderOf(c.order.id)).status).toBe("paid");
  });

  it("refunds in part and in full through Stripe, and the order follows the webhook", async () => {
    const { viewer, order, sessionId } = await checkedOut([
      { amount: 5000, qty: 1 },
    ]);
    await fake.completeSession(sessionId);

    const tooMuch = await refundOrder(db, stripe, admin, order.id, {
      amount: 5001,
      now: new Date(),
    });
    expect(tooMuch.ok).toBe(false);
    if (!tooMuch.ok) expect(tooMuch.error.fields?.amount).toBeDefined();
    expect((await orderOf(order.id)).refundedAmount).toBe(0);

    const agent = (await buildUser(db, { role: "agent" })).viewer;
    const notAdmin = await refundOrder(db, stripe, agent, order.id, {
      amount: 100,
      now: new Date(),
    });
    expect(notAdmin.ok).toBe(false);

    const part = await refundOrder(db, stripe, admin, order.id, {
      amount: 1500,
      now: new Date(),
    });
    expect(part.ok).toBe(true);
    await fake.idle();
    let current = await orderOf(order.id);
    expect(current.status).toBe("partially_refunded");
    expect(current.refundedAmount).toBe(1500);

    const rest = await refundOrder(db, stripe, admin, order.id, {
      amount: 3500,
      now: new Date(),
    });
    expect(rest.ok).toBe(true);
    await fake.idle();
    current = await orderOf(order.id);
    expect(current.status).toBe("refunded");
    expect(current.refundedAmount).toBe(5000);
    const rows = await db
      .select()
      .from(s.refunds)
      .where(eq(s.refunds.orderId, order.id))
      // Not by time: a row the webhook wrote first has Stripe's whole-second time.
      .orderBy(asc(s.refunds.amount));
    expect(
      rows.map((r) => [r.amount, r.externalId?.startsWith("re_")]),
    ).toEqual([
      [1500, true],
      [3500, true],
    ]);
    expect(await mailsTo(viewer.email, "refund_notice")).toHaveLength(2);

    // A late "completed" cannot undo the refund.
    const replay = fake.events.filter(
      (e) =>
        e.type === "checkout.session.completed" &&
        (e.data.object as { id: string }).id === sessionId,
    );
    await fake.deliver(replay.map((e) => ({ ...e, id: `${e.id}_again` })));
    expect((await orderOf(order.id)).status).toBe("refunded");
  });

  it("applies a dashboard refund that arrives before the payment's own event", async () => {
    const { order, sessionId } = await checkedOut([{ amount: 2000, qty: 1 }]);
    fake.setDelivery(false);
    const completed = await fake.completeSession(sessionId);
    const session = fake.getSession(sessionId)!;
    const refunded = await fake.refund(String(session.payment_intent), 500);
    fake.setDelivery(true);
    expect(await fake.deliver(refunded)).toEqual(refunded.map(() => 200));
    expect(await fake.deliver(completed)).toEqual(completed.map(() => 200));
    const current = await orderOf(order.id);
    expect(current.status).toBe("partially_refunded");
    expect(current.refundedAmount).toBe(500);
    expect(current.invoiceNumber).not.toBeNull();
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it("refuses a bad signature with 400 and changes nothing", async () => {
    const { order, sessionId } = await checkedOut([{ amount: 800, qty: 1 }]);
    fake.setDelivery(false);
    const events = await fake.completeSession(sessionId);
    expect(await fake.deliver(events, { secret: "whsec_wrong" })).toEqual(
      events.map(() => 400),
    );
    expect(
      await fake.deliver(events, {
        mangle: (b) => b.replace("paid", "pai\u0064") + " ",
      }),
    ).toEqual(events.map(() => 400));
    expect(
      await fake.deliver(events, {
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      }),
    ).toEqual(events.map(() => 400));
    expect((await orderOf(order.id)).status).toBe("pending");
    const recorded = await db
      .select()
      .from(s.webhookEvents)
      .where(eq(s.webhookEvents.eventId, events[0]!.id));
    expect(recorded).toHaveLength(0);
    expect(await fake.deliver(events)).toEqual(events.map(() => 200));
    expect((await orderOf(order.id)).status).toBe("paid");
  });

  it("answers 200 to event types it does not act on, and records them", async () => {
    const event = {
      ...fake.events[0]!,
      id: "evt_test_unknown_type",
      type: "customer.created",
    } as unknown as (typeof fake.events)[number];
    expect(await fake.deliver([event])).toEqual([200]);
    const [row] = await db
      .select()
      .from(s.webhookEvents)
      .where(eq(s.webhookEvents.eventId, "evt_test_unknown_type"));
    expect(row?.processedAt).not.toBeNull();
  });

  it("keeps the order pending when Stripe fails, and retries under the same idempotency key", async () => {
    const viewer = await customer();
    const { price } = await product("product", { amount: 1500 });
    await addToCart(
      db,
      { userId: viewer.id },
      { priceId: price.id, quantity: 1 },
    );
    // The SDK tries a dropped connection once more by itself, even with retries off.
    for (const [failure, times] of [
      [500, 1],
      ["drop", 2],
    ] as const) {
      fake.failNext(failure, times);
      const down = await checkout(db, viewer, deps());
      expect(down.ok).toBe(false);
      if (!down.ok) {
        expect(down.error.code).toBe("upstream_failed");
        expect(down.error.message).toMatch(/try again/i);
      }
    }
    const [pending] = await db
      .select()
      .from(s.orders)
      .where(eq(s.orders.customerId, viewer.id));
    expect(pending!.status).toBe("pending");
    expect((await getCart(db, { userId: viewer.id })).lines).toHaveLength(1);

    const up = await checkout(db, viewer, deps());
    expect(up.ok).toBe(true);
    const keys = fake.requests
      .filter((r) => r.path === "/v1/checkout/sessions" && r.method === "POST")
      .map((r) => r.idempotencyKey)
      .filter((k) => k?.startsWith(`checkout:${pending!.id}:`));
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys)).toEqual(new Set([`checkout:${pending!.id}:1`]));
    const orders = await db
      .select()
      .from(s.orders)
      .where(eq(s.orders.customerId, viewer.id));
    expect(orders).toHaveLength(1);
  });

  it("never takes a price from the browser", async () => {
    const viewer = await customer();
    const { price, product: p } = await product("product", { amount: 2500 });
    // A crafted post with an amount: the schema drops it, the catalogue's price is used.
    await addToCart(db, { userId: viewer.id }, {
      priceId: price.id,
      quantity: 1,
      unitAmount: 1,
    } as never);
    // The catalogue changes after the cart was filled: the old price is gone.
    await db
      .update(s.prices)
      .set({ isActive: false })
      .where(eq(s.prices.id, price.id));
    const [newer] = await db
      .insert(s.prices)
      .values({
        productId: p.id,
        currency: "EUR",
        unitAmount: 2900,
        type: "one_time",
      })
      .returning();
    const refused = await checkout(db, viewer, deps());
    expect(refused.ok).toBe(false);
    await db.delete(s.cartItems).where(eq(s.cartItems.priceId, price.id));
    await addToCart(
      db,
      { userId: viewer.id },
      { priceId: newer!.id, quantity: 1 },
    );
    const done = await checkout(db, viewer, deps());
    expect(done.ok).toBe(true);
    if (done.ok) {
      const order = await orderOf(done.value.orderId);
      expect(order.totalAmount).toBe(2900);
      expect(fake.getSession(order.checkoutSessionId!)!.amount_total).toBe(
        2900,
      );
    }
  });
});

describe("subscriptions", () => {
  it("starts the service when its first invoice is paid, whichever event comes first", async () => {
    const { order, sessionId } = await subscribed();
    expect(fake.getSession(sessionId)!.mode).toBe("subscription");
    const [line] = await db
      .select()
      .from(s.orderItems)
      .where(eq(s.orderItems.orderId, order.id));
    expect(line!.quantity).toBe(1); // a service is held once per billing period
    await fake.completeSession(sessionId);
    const paid = await orderOf(order.id);
    expect(paid.status).toBe("paid");
    expect(paid.subscriptionId).toMatch(/^sub_/);
    expect(await paymentsOf(order.id)).toHaveLength(1);
    const [service] = await servicesOf(order.id);
    expect(service!.status).toBe("active");
    expect(service!.stripeSubscriptionId).toBe(paid.subscriptionId);
    expect(service!.currentPeriodEnd!.getTime()).toBeGreaterThan(Date.now());
  });

  it("renews, fails a renewal and cancels, whatever order the events arrive in", async () => {
    const { viewer, order, sessionId } = await subscribed();
    await fake.completeSession(sessionId);
    const subscriptionId = (await orderOf(order.id)).subscriptionId!;
    const [before] = await servicesOf(order.id);

    await fake.renewSubscription(subscriptionId);
    const [renewed] = await servicesOf(order.id);
    expect(renewed!.currentPeriodEnd!.getTime()).toBeGreaterThan(
      before!.currentPeriodEnd!.getTime(),
    );
    expect(await paymentsOf(order.id)).toHaveLength(2);
    expect(await mailsTo(viewer.email, "payment_receipt")).toHaveLength(2);

    await fake.failRenewal(subscriptionId);
    expect((await servicesOf(order.id))[0]!.status).toBe("past_due");
    expect(await mailsTo(viewer.email, "renewal_failed")).toHaveLength(1);

    fake.setDelivery(false);
    const renewedAgain = await fake.renewSubscription(subscriptionId);
    const cancelled = await fake.cancelSubscription(subscriptionId);
    fake.setDelivery(true);
    // Cancellation first, the older "active" state after it: the service stays cancelled.
    await fake.deliver(cancelled);
    await fake.deliver(renewedAgain.filter((e) => e.type !== "invoice.paid"));
    expect((await servicesOf(order.id))[0]!.status).toBe("cancelled");
  });
});

describe("bank transfer (no Stripe)", () => {
  it("places the order awaiting payment with instructions; staff mark it paid", async () => {
    const viewer = await customer();
    const { price } = await product("service", {
      amount: 1200,
      interval: "year",
    });
    await addToCart(
      db,
      { userId: viewer.id },
      { priceId: price.id, quantity: 1 },
    );
    const done = await checkout(db, viewer, deps({ stripe: null }));
    expect(done.ok && done.value.kind).toBe("placed");
    if (!done.ok) return;
    const order = await orderOf(done.value.orderId);
    expect(order.status).toBe("awaiting_payment");
    expect(order.provider).toBe("manual");
    const [mail] = await mailsTo(viewer.email, "order_confirmation");
    expect(mail!.bodyText).toContain("IBAN XX00 TEST");
    expect(mail!.bodyText).toContain(order.number);
    expect((await getCart(db, { userId: viewer.id })).lines).toHaveLength(0);

    const agent = (await buildUser(db, { role: "agent" })).viewer;
    const paid = await markOrderPaid(db, agent, order.id, { now: new Date() });
    expect(paid.ok).toBe(true);
    const after = await orderOf(order.id);
    expect(after.status).toBe("paid");
    expect(after.invoiceNumber).toMatch(/^\d{4}-\d{4}$/);
    const [service] = await db
      .select()
      .from(s.services)
      .where(eq(s.services.orderId, order.id));
    expect(service!.status).toBe("active");
    expect(service!.currentPeriodEnd!.getTime()).toBeGreaterThan(
      Date.now() + 360 * 86_400_000,
    );
    expect(
      (await markOrderPaid(db, agent, order.id, { now: new Date() })).ok,
    ).toBe(false);
  });
});

describe("deliveries that arrive together", () => {
  // Deliveries that wait while others are applied are applied in one transaction
  // (lib/stripe/deliveries.ts): each must still come out as if it had arrived alone.
  // Each on its own connection, all sent before any is answered (the fake delivers one by one).
  const deliverAtOnce = (events: Stripe.Event[]) =>
    Promise.all(
      events.map(async (event) => {
        const { body, headers } = fake.signedRequest(event);
        const res = await fetch(webhookUrl, { method: "POST", headers, body });
        await res.arrayBuffer();
        return res.status;
      }),
    );
  const paidMoves = (orderId: string) =>
    db
      .select()
      .from(s.orderEvents)
      .where(
        and(
          eq(s.orderEvents.orderId, orderId),
          eq(s.orderEvents.status, "paid"),
        ),
      );

  it("applies each event once, with duplicates and two events of one order among them", async () => {
    fake.setDelivery(false);
    const carts = [];
    for (let i = 0; i < 6; i++)
      carts.push(await checkedOut([{ amount: 700 + i, qty: 1 }]));
    const service = await subscribed();
    const events: Stripe.Event[] = [];
    for (const cart of carts)
      events.push(...(await fake.completeSession(cart.sessionId)));
    // A subscription's session and its first invoice: two events of one order.
    events.push(...(await fake.completeSession(service.sessionId)));
    expect(events.map((e) => e.type)).toContain("invoice.paid");

    const all = [...events, ...events];
    expect(await deliverAtOnce(all)).toEqual(all.map(() => 200));
    const paid = [...carts, service];
    // A group is answered at its commit; its invoices are numbered just after, unasked.
    await vi.waitFor(
      async () => {
        for (const { order } of paid)
          expect((await orderOf(order.id)).invoiceNumber).not.toBeNull();
      },
      { timeout: 10_000, interval: 20 },
    );
    const numbers: number[] = [];
    for (const { viewer, order } of paid) {
      const now = await orderOf(order.id);
      expect(now.status).toBe("paid");
      expect(await paymentsOf(order.id)).toHaveLength(1);
      expect(await paidMoves(order.id)).toHaveLength(1);
      expect(await mailsTo(viewer.email, "payment_receipt")).toHaveLength(1);
      numbers.push(Number(now.invoiceNumber!.slice(5)));
    }
    const sorted = [...numbers].sort((x, y) => x - y);
    expect(sorted).toEqual(sorted.map((_, i) => sorted[0]! + i));
    const [started] = await servicesOf(service.order.id);
    expect(started!.status).toBe("active");
  });

  it("answers 500 only for an event whose order is not there yet, and applies the rest", async () => {
    fake.setDelivery(false);
    const carts = [];
    for (let i = 0; i < 4; i++)
      carts.push(await checkedOut([{ amount: 800 + i, qty: 1 }]));
    const events: Stripe.Event[] = [];
    for (const cart of carts)
      events.push(...(await fake.completeSession(cart.sessionId)));
    const template = events[0]!;
    const session = template.data.object as Stripe.Checkout.Session;
    const unknown = randomUUID();
    const early = {
      ...template,
      id: `evt_early_${unknown.slice(0, 8)}`,
      data: {
        object: {
          ...session,
          client_reference_id: unknown,
          metadata: { orderId: unknown },
        },
      },
    } as Stripe.Event;

    expect(await deliverAtOnce([...events, early])).toEqual([
      ...events.map(() => 200),
      500,
    ]);
    for (const { order } of carts) {
      expect((await orderOf(order.id)).status).toBe("paid");
      expect(await paymentsOf(order.id)).toHaveLength(1);
      expect(await paidMoves(order.id)).toHaveLength(1);
    }
    // Not recorded, so Stripe's next attempt applies it.
    const recorded = await db
      .select()
      .from(s.webhookEvents)
      .where(eq(s.webhookEvents.eventId, early.id));
    expect(recorded).toHaveLength(0);
  });
});
