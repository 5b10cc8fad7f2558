import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeStripe, type FakeStripe } from "@/testing/stripe/fake";

// The fake itself: its wire format spoken over raw HTTP, its hosted pages, and the test controls
// with the events they build. The real client against it is covered in client.test.ts.

const KEY = "sk_test_portico_fake";
const SECRET = "whsec_portico_fake_secret";
const auth = { Authorization: `Bearer ${KEY}` };

type Received = { event: Stripe.Event; raw: string };

/** Records what arrives, verified with the SDK as a route would. */
async function startReceiver(status = 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      try {
        const event = Stripe.webhooks.constructEvent(
          raw,
          String(req.headers["stripe-signature"]),
          SECRET,
        );
        received.push({ event, raw });
        res.writeHead(status).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    types: () => received.map((r) => r.event.type),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let fake: FakeStripe;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
  fake = await startFakeStripe({
    secretKey: KEY,
    webhookSecret: SECRET,
    webhookUrl: receiver.url,
  });
});
afterEach(async () => {
  await fake.close();
  await receiver.close();
});

async function call(
  method: "GET" | "POST",
  path: string,
  body?: string,
  headers: Record<string, string> = auth,
) {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      ...headers,
      ...(body !== undefined && {
        "Content-Type": "application/x-www-form-urlencoded",
      }),
    },
    body,
  });
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as Record<string, unknown> & {
      error?: { type: string; message: string; param?: string; code?: string };
    },
  };
}

const form = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&");

const paymentForm = {
  mode: "payment",
  "line_items[0][quantity]": 1,
  "line_items[0][price_data][currency]": "eur",
  "line_items[0][price_data][unit_amount]": 2000,
  "line_items[0][price_data][product_data][name]": "Web hosting set-up",
  "payment_intent_data[metadata][orderId]": "o-7",
  client_reference_id: "o-7",
  customer_creation: "always",
  success_url: "http://portal.test/ok?session_id={CHECKOUT_SESSION_ID}",
  cancel_url: "http://portal.test/cart",
};

const subscriptionForm = {
  mode: "subscription",
  "line_items[0][quantity]": 2,
  "line_items[0][price_data][currency]": "eur",
  "line_items[0][price_data][unit_amount]": 700,
  "line_items[0][price_data][recurring][interval]": "month",
  "line_items[0][price_data][product_data][name]": "Mailbox",
  "subscription_data[metadata][orderId]": "o-8",
  "subscription_data[metadata][serviceId]": "svc-1",
  customer_email: "sam@example.net",
  success_url: "http://portal.test/ok?session_id={CHECKOUT_SESSION_ID}",
  cancel_url: "http://portal.test/cart",
};

async function createSession(fields: Record<string, string | number>) {
  const res = await call("POST", "/v1/checkout/sessions", form(fields));
  if (res.status !== 200) throw new Error(JSON.stringify(res.json));
  return res.json as unknown as Stripe.Checkout.Session;
}

async function subscribed() {
  const session = await createSession(subscriptionForm);
  await fake.completeSession(session.id);
  const subscriptionId = String(fake.getSession(session.id)?.subscription);
  receiver.received.length = 0;
  return subscriptionId;
}

describe("the wire format", () => {
  it("refuses a missing key, a wrong key and a live key with Stripe's 401", async () => {
    const none = await call("GET", "/v1/customers/cus_x", undefined, {});
    expect(none.status).toBe(401);
    expect(none.json.error?.message).toMatch(/^You did not provide an API key/);
    const wrong = await call("GET", "/v1/customers/cus_x", undefined, {
      Authorization: "Bearer sk_test_wrong_key_1234",
    });
    expect(wrong.json.error).toEqual({
      type: "invalid_request_error",
      message: "Invalid API Key provided: sk_test_**********1234",
    });
    const live = await call("GET", "/v1/customers/cus_x", undefined, {
      Authorization: `Bearer ${KEY.replace("test", "live")}`,
    });
    expect(live.status).toBe(401);
  });

  it("accepts any sk_test_ key when none is configured", async () => {
    const open = await startFakeStripe({ webhookSecret: SECRET });
    try {
      const res = await fetch(`${open.url}/v1/customers/cus_x`, {
        headers: { Authorization: "Bearer sk_test_anything" },
      });
      expect(res.status).toBe(404);
    } finally {
      await open.close();
    }
  });

  it("answers every API call with a Request-Id", async () => {
    const res = await call("GET", "/v1/checkout/sessions/cs_test_none");
    expect(res.status).toBe(404);
    expect(res.headers.get("request-id")).toMatch(/^req_[0-9a-f]{24}$/);
    expect(res.json.error).toMatchObject({
      code: "resource_missing",
      message: "No such checkout.session: 'cs_test_none'",
    });
  });

  it("parses indexed and empty brackets alike, in bodies and query strings", async () => {
    const body = [
      "mode=subscription",
      "line_items[][quantity]=1",
      "line_items[0][price_data][currency]=EUR",
      "line_items[0][price_data][unit_amount]=1500",
      "line_items[0][price_data][recurring][interval]=year",
      "line_items[0][price_data][product_data][name]=Domain%20%2B%20DNS",
      "metadata[orderId]=o%261",
      "expand[]=line_items",
      `success_url=${encodeURIComponent("http://portal.test/ok?session_id={CHECKOUT_SESSION_ID}")}`,
      "cancel_url=http%3A%2F%2Fportal.test%2Fcart",
    ].join("&");
    const created = await call("POST", "/v1/checkout/sessions", body);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      currency: "eur",
      metadata: { orderId: "o&1" },
      success_url: "http://portal.test/ok?session_id={CHECKOUT_SESSION_ID}",
      line_items: {
        data: [{ description: "Domain + DNS", amount_total: 1500 }],
      },
    });
    const got = await call(
      "GET",
      `/v1/checkout/sessions/${String(created.json.id)}?expand[0]=line_items`,
    );
    expect(got.json.line_items).toMatchObject({
      object: "list",
      has_more: false,
    });
    const plain = await call(
      "GET",
      `/v1/checkout/sessions/${String(created.json.id)}`,
    );
    expect(plain.json).not.toHaveProperty("line_items");
  });

  it("refuses unknown parameters on reads too, and unknown expansions", async () => {
    const session = await createSession(paymentForm);
    const unknown = await call(
      "GET",
      `/v1/checkout/sessions/${session.id}?colour=red`,
    );
    expect(unknown.json.error).toMatchObject({
      message: "Received unknown parameter: colour",
      param: "colour",
    });
    const expand = await call(
      "GET",
      `/v1/checkout/sessions/${session.id}?expand[0]=payment_intent.latest_charge`,
    );
    expect(expand.status).toBe(400);
    expect(expand.json.error?.param).toBe("expand");
  });

  it("names the first bad value the way Stripe does", async () => {
    const cases: [Record<string, string | number>, string, string][] = [
      [
        { ...paymentForm, "line_items[0][quantity]": "two" },
        "line_items[0][quantity]",
        "Invalid integer: two",
      ],
      [
        { ...paymentForm, mode: "donation" },
        "mode",
        "Invalid mode: must be one of payment, setup, subscription",
      ],
      [
        { ...paymentForm, "line_items[0][price_data][currency]": "euro" },
        "line_items[0][price_data][currency]",
        "Invalid currency: euro",
      ],
      [
        { ...paymentForm, "automatic_tax[enabled]": "yes" },
        "automatic_tax[enabled]",
        "Invalid boolean: yes",
      ],
      [
        { ...paymentForm, "line_items[0][price_data][unit_amount]": 20 },
        "line_items",
        "The Checkout Session's total amount due must add up to at least €0.50",
      ],
      [
        { ...paymentForm, "subscription_data[trial_period_days]": 14 },
        "subscription_data[trial_period_days]",
        "The fake Stripe does not model `subscription_data[trial_period_days]`; extend it before relying on this parameter.",
      ],
    ];
    for (const [fields, param, message] of cases) {
      const res = await call("POST", "/v1/checkout/sessions", form(fields));
      expect([
        res.status,
        res.json.error?.param,
        res.json.error?.message,
      ]).toEqual([400, param, message]);
    }
  });

  it("accepts expires_at only between 30 minutes and 24 hours ahead", async () => {
    const now = Math.floor(Date.now() / 1000);
    const soon = await call(
      "POST",
      "/v1/checkout/sessions",
      form({ ...paymentForm, expires_at: now + 600 }),
    );
    expect(soon.json.error?.param).toBe("expires_at");
    const fine = await createSession({
      ...paymentForm,
      expires_at: now + 3600,
    });
    expect(fine.expires_at).toBe(now + 3600);
  });

  it("replays a stored answer and marks it as replayed", async () => {
    const headers = { ...auth, "Idempotency-Key": "same" };
    const first = await call(
      "POST",
      "/v1/checkout/sessions",
      form(paymentForm),
      headers,
    );
    const second = await call(
      "POST",
      "/v1/checkout/sessions",
      form(paymentForm),
      headers,
    );
    expect(second.json.id).toBe(first.json.id);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("original-request")).toBe(
      first.headers.get("request-id"),
    );
    const changed = await call(
      "POST",
      "/v1/checkout/sessions",
      form({ ...paymentForm, client_reference_id: "o-9" }),
      headers,
    );
    expect(changed.status).toBe(400);
    expect(changed.json.error?.type).toBe("idempotency_error");
  });

  it("does not keep a refused request under its key", async () => {
    const headers = { ...auth, "Idempotency-Key": "fix-and-retry" };
    const bad = await call(
      "POST",
      "/v1/checkout/sessions",
      form({ ...paymentForm, mode: "x" }),
      headers,
    );
    expect(bad.status).toBe(400);
    const good = await call(
      "POST",
      "/v1/checkout/sessions",
      form(paymentForm),
      headers,
    );
    expect(good.status).toBe(200);
  });

  it("answers an unknown route like Stripe", async () => {
    const res = await call("GET", "/v1/payment_links");
    expect(res.status).toBe(404);
    expect(res.json.error?.message).toMatch(
      /^Unrecognized request URL \(GET: \/v1\/payment_links\)/,
    );
  });

  it("logs each call with its key and status", async () => {
    fake.failNext(429);
    await call("POST", "/v1/refunds", "payment_intent=pi_x", {
      ...auth,
      "Idempotency-Key": "r",
    });
    await call("GET", "/v1/subscriptions/sub_x");
    expect(fake.requests).toEqual([
      { method: "POST", path: "/v1/refunds", idempotencyKey: "r", status: 429 },
      {
        method: "GET",
        path: "/v1/subscriptions/sub_x",
        idempotencyKey: null,
        status: 404,
      },
    ]);
  });
});

describe("the hosted checkout page", () => {
  it("shows the items, the tax and the total, with the four buttons", async () => {
    const session = await createSession({
      ...paymentForm,
      "automatic_tax[enabled]": "true",
    });
    const html = await (await fetch(String(session.url))).text();
    expect(html).toContain("Web hosting set-up");
    expect(html).toContain("Tax: €3.80");
    expect(html).toContain("Total: €23.80");
    for (const label of ["Pay", "Pay later (bank debit)", "Fail", "Cancel"])
      expect(html).toContain(`>${label}</button>`);
  });

  it("says a completed or expired session can no longer be paid", async () => {
    const paid = await createSession(paymentForm);
    await fake.completeSession(paid.id);
    const page = await fetch(`${fake.url}/checkout/${paid.id}`);
    expect(await page.text()).toContain("This Checkout Session is complete.");
    const again = await fetch(`${fake.url}/checkout/${paid.id}/pay`, {
      method: "POST",
    });
    expect(again.status).toBe(409);
    const stale = await createSession(paymentForm);
    await fake.expireSession(stale.id);
    expect(
      await (await fetch(`${fake.url}/checkout/${stale.id}`)).text(),
    ).toContain("has expired");
    expect(receiver.types()).toEqual([
      "checkout.session.completed",
      "checkout.session.expired",
    ]);
  });
});

describe("test controls and the events they build", () => {
  it("completeSession in payment mode: a charge carrying payment_intent_data.metadata", async () => {
    const session = await createSession(paymentForm);
    const [completed] = await fake.completeSession(session.id);
    const object = completed?.data.object as Stripe.Checkout.Session;
    expect(object.payment_intent).toMatch(/^pi_test_/);
    expect(object.customer).toMatch(/^cus_test_/);
    const customer = await call(
      "GET",
      `/v1/customers/${String(object.customer)}`,
    );
    expect(customer.json).toMatchObject({
      object: "customer",
      email: "buyer@example.test",
    });
    const [, refunded] = await fake.refund(String(object.payment_intent), 500);
    expect(refunded?.data.object).toMatchObject({
      object: "charge",
      amount: 2000,
      amount_refunded: 500,
      refunded: false,
      payment_intent: object.payment_intent,
      metadata: { orderId: "o-7" },
    });
    expect(refunded?.data.previous_attributes).toEqual({
      amount_refunded: 0,
      refunded: false,
    });
  });

  it("payment mode without customer_creation leaves the customer empty, as Stripe does", async () => {
    const session = await createSession({
      ...paymentForm,
      customer_creation: "if_required",
    });
    const [completed] = await fake.completeSession(session.id);
    expect(completed?.data.object).toMatchObject({
      customer: null,
      customer_details: { email: "buyer@example.test" },
    });
  });

  it("refund refuses more than what is left", async () => {
    const session = await createSession(paymentForm);
    await fake.completeSession(session.id);
    const pi = String(fake.getSession(session.id)?.payment_intent);
    await fake.refund(pi);
    await expect(fake.refund(pi, 1)).rejects.toThrow(
      /has already been refunded/,
    );
    const charge = receiver.received.at(-1)?.event.data.object as Stripe.Charge;
    expect([charge.amount_refunded, charge.refunded]).toEqual([2000, true]);
  });

  it("a delayed payment can succeed or fail only once", async () => {
    const session = await createSession(paymentForm);
    await fake.completeSession(session.id, { paymentStatus: "unpaid" });
    await fake.failAsyncPayment(session.id);
    await expect(fake.succeedAsyncPayment(session.id)).rejects.toThrow(
      /no delayed payment/,
    );
    expect(receiver.types()).toEqual([
      "checkout.session.completed",
      "checkout.session.async_payment_failed",
    ]);
  });

  it("a delayed subscription payment activates the subscription when it clears", async () => {
    const session = await createSession(subscriptionForm);
    await fake.completeSession(session.id, { paymentStatus: "unpaid" });
    const subscriptionId = String(fake.getSession(session.id)?.subscription);
    expect(fake.getSubscription(subscriptionId)?.status).toBe("incomplete");
    await fake.succeedAsyncPayment(session.id);
    expect(receiver.types()).toEqual([
      "checkout.session.completed",
      "invoice.paid",
      "customer.subscription.updated",
      "checkout.session.async_payment_succeeded",
    ]);
    expect(fake.getSubscription(subscriptionId)?.status).toBe("active");
  });

  it("renewSubscription: a paid cycle invoice for the next period, then the updated subscription", async () => {
    const subscriptionId = await subscribed();
    const before = fake.getSubscription(subscriptionId)?.items.data[0];
    const events = await fake.renewSubscription(subscriptionId);
    expect(events.map((e) => e.type)).toEqual([
      "invoice.paid",
      "customer.subscription.updated",
    ]);
    const invoice = events[0]?.data.object as Stripe.Invoice;
    const line = invoice.lines.data[0];
    expect(invoice).toMatchObject({
      billing_reason: "subscription_cycle",
      amount_paid: 1400,
      status: "paid",
      period_end: before?.current_period_end,
      parent: {
        subscription_details: {
          subscription: subscriptionId,
          metadata: { orderId: "o-8", serviceId: "svc-1" },
        },
      },
    });
    expect(line?.period.start).toBe(before?.current_period_end);
    const subscription = events[1]?.data.object as Stripe.Subscription;
    expect(subscription.items.data[0]?.current_period_start).toBe(
      before?.current_period_end,
    );
    expect(subscription.items.data[0]?.current_period_end).toBe(
      line?.period.end,
    );
    expect(subscription.latest_invoice).toBe(invoice.id);
    expect(events[1]?.data.previous_attributes).toHaveProperty(
      "latest_invoice",
    );
    expect(receiver.types()).toEqual([
      "invoice.paid",
      "customer.subscription.updated",
    ]);
  });

  it("failRenewal: invoice.payment_failed and past_due; a later renewal pays that invoice", async () => {
    const subscriptionId = await subscribed();
    const failed = await fake.failRenewal(subscriptionId);
    expect(failed.map((e) => e.type)).toEqual([
      "invoice.payment_failed",
      "customer.subscription.updated",
    ]);
    const invoice = failed[0]?.data.object as Stripe.Invoice;
    expect(invoice).toMatchObject({
      billing_reason: "subscription_cycle",
      status: "open",
      amount_paid: 0,
      amount_remaining: 1400,
      attempt_count: 1,
    });
    expect(failed[1]?.data).toMatchObject({
      object: { status: "past_due" },
      previous_attributes: { status: "active" },
    });
    const renewed = await fake.renewSubscription(subscriptionId);
    expect(renewed[0]?.data.object).toMatchObject({
      id: invoice.id,
      status: "paid",
    });
    expect(fake.getSubscription(subscriptionId)?.status).toBe("active");
  });

  it("cancelSubscription sends customer.subscription.deleted", async () => {
    const subscriptionId = await subscribed();
    const [deleted] = await fake.cancelSubscription(subscriptionId);
    expect(deleted).toMatchObject({
      type: "customer.subscription.deleted",
      data: { object: { id: subscriptionId, status: "canceled" } },
    });
    await expect(fake.renewSubscription(subscriptionId)).rejects.toThrow(
      /canceled/,
    );
  });

  it("the billing portal's Cancel at period end, then the period end cancels instead of renewing", async () => {
    const subscriptionId = await subscribed();
    const customer = String(fake.getSubscription(subscriptionId)?.customer);
    const portal = await call(
      "POST",
      "/v1/billing_portal/sessions",
      form({ customer, return_url: "http://portal.test/account" }),
    );
    const url = String(portal.json.url);
    const page = await (await fetch(url)).text();
    expect(page).toContain(">Cancel at period end</button>");
    const pressed = await fetch(
      `${url}/subscriptions/${subscriptionId}/cancel`,
      {
        method: "POST",
        redirect: "manual",
      },
    );
    expect([pressed.status, pressed.headers.get("location")]).toEqual([
      303,
      url,
    ]);
    expect(receiver.received[0]?.event).toMatchObject({
      type: "customer.subscription.updated",
      data: {
        object: { cancel_at_period_end: true, status: "active" },
        previous_attributes: { cancel_at_period_end: false },
      },
    });
    expect(await (await fetch(url)).text()).toContain("Cancels on");
    const ended = await fake.renewSubscription(subscriptionId);
    expect(ended.map((e) => e.type)).toEqual(["customer.subscription.deleted"]);
  });

  it("an API expiry is delivered after the answer, with the request's id and key", async () => {
    const session = await createSession(paymentForm);
    const res = await call(
      "POST",
      `/v1/checkout/sessions/${session.id}/expire`,
      "",
      {
        ...auth,
        "Idempotency-Key": "expire-1",
      },
    );
    expect(res.json).toMatchObject({ status: "expired", url: null });
    await fake.idle();
    expect(receiver.received[0]?.event).toMatchObject({
      type: "checkout.session.expired",
      request: {
        id: res.headers.get("request-id"),
        idempotency_key: "expire-1",
      },
    });
    const twice = await call(
      "POST",
      `/v1/checkout/sessions/${session.id}/expire`,
      "",
    );
    expect(twice.status).toBe(400);
  });
});

describe("delivery", () => {
  it("signs the exact pretty-printed bytes with the whole secret", async () => {
    const session = await createSession(paymentForm);
    await fake.completeSession(session.id);
    const [{ raw, event } = { raw: "", event: undefined }] = receiver.received;
    expect(raw).toBe(JSON.stringify(event, null, 2));
    expect(fake.deliveries).toEqual([
      { eventId: event?.id, type: "checkout.session.completed", status: 200 },
    ]);
  });

  it("with delivery off, controls only build events; deliver sends them in any order, twice", async () => {
    fake.setDelivery(false);
    const session = await createSession(subscriptionForm);
    const events = await fake.completeSession(session.id);
    expect(receiver.received).toEqual([]);
    expect(fake.events).toEqual(events);
    const reversed = [...events].reverse();
    expect(await fake.deliver([...reversed, ...reversed.slice(0, 1)])).toEqual([
      200, 200, 200,
    ]);
    expect(receiver.types()).toEqual([
      "checkout.session.completed",
      "invoice.paid",
      "checkout.session.completed",
    ]);
  });

  it("records an endpoint that fails or is gone", async () => {
    const failing = await startReceiver(500);
    fake.setWebhookUrl(failing.url);
    const session = await createSession(paymentForm);
    await fake.completeSession(session.id);
    await failing.close();
    expect(await fake.deliver(fake.events)).toEqual([0]);
    expect(fake.deliveries.map((d) => d.status)).toEqual([500, 0]);
  });
});
