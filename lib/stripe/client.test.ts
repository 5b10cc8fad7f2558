import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createStripeClient,
  describeStripeError,
  isSignatureError,
  type StripeClient,
} from "@/lib/stripe/client";
import { startFakeStripe, type FakeStripe } from "@/testing/stripe/fake";

// The real client, and the SDK under it, against the fake over loopback HTTP.

const SECRET_KEY = "sk_test_portico_unit";
const WEBHOOK_SECRET = "whsec_portico_unit_secret";

type Receiver = {
  url: string;
  events: Stripe.Event[];
  rejected: number;
  close: () => Promise<void>;
};

/** A tiny webhook endpoint that accepts only what the client's constructEvent verifies. */
async function startReceiver(client: StripeClient): Promise<Receiver> {
  const receiver = { events: [] as Stripe.Event[], rejected: 0 };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      try {
        const signature = req.headers["stripe-signature"];
        receiver.events.push(client.constructEvent(raw, String(signature)));
        res.writeHead(200).end();
      } catch (error) {
        receiver.rejected += 1;
        res.writeHead(isSignatureError(error) ? 400 : 500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let fake: FakeStripe;
let client: StripeClient;
let receiver: Receiver;

beforeEach(async () => {
  fake = await startFakeStripe({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
  });
  client = clientFor(fake.url);
  receiver = await startReceiver(client);
  fake.setWebhookUrl(receiver.url);
});
afterEach(async () => {
  await fake.close();
  await receiver.close();
});

function clientFor(
  apiUrl: string,
  options: { secretKey?: string; maxNetworkRetries?: number } = {},
) {
  return createStripeClient(
    {
      secretKey: options.secretKey ?? SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiUrl,
      automaticTax: false,
    },
    { maxNetworkRetries: options.maxNetworkRetries ?? 0, timeoutMs: 5_000 },
  );
}

const oneOff = (
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  client_reference_id: "order-1",
  metadata: { orderId: "order-1", userId: "user-1" },
  customer_email: "jane@example.net",
  customer_creation: "always",
  line_items: [
    {
      quantity: 2,
      price_data: {
        currency: "eur",
        unit_amount: 1250,
        product_data: { name: "Domain", metadata: { productId: "p-1" } },
      },
    },
    {
      quantity: 1,
      price_data: {
        currency: "eur",
        unit_amount: 499,
        product_data: { name: "Set-up fee" },
      },
    },
  ],
  payment_intent_data: { metadata: { orderId: "order-1" } },
  success_url:
    "http://portal.test/checkout/success?session_id={CHECKOUT_SESSION_ID}",
  cancel_url: "http://portal.test/cart",
  ...overrides,
});

const monthly = (
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams => ({
  mode: "subscription",
  client_reference_id: "order-2",
  metadata: { orderId: "order-2" },
  customer_email: "jane@example.net",
  line_items: [
    {
      quantity: 1,
      price_data: {
        currency: "eur",
        unit_amount: 900,
        recurring: { interval: "month" },
        product_data: { name: "Mailbox" },
      },
    },
    {
      quantity: 1,
      price_data: {
        currency: "eur",
        unit_amount: 1500,
        product_data: { name: "Migration" },
      },
    },
  ],
  subscription_data: { metadata: { orderId: "order-2", serviceId: "svc-9" } },
  success_url:
    "http://portal.test/checkout/success?session_id={CHECKOUT_SESSION_ID}",
  cancel_url: "http://portal.test/cart",
  ...overrides,
});

/** What a browser does with the hosted page's buttons. */
async function press(
  url: string,
  action: "pay" | "pay-async" | "fail" | "cancel",
) {
  const res = await fetch(`${url}/${action}`, {
    method: "POST",
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("location") };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("createCheckoutSession", () => {
  it("returns an open session with its URL, expiry and computed total", async () => {
    const before = Date.now();
    const session = await client.createCheckoutSession(
      oneOff(),
      "checkout:order-1:1",
    );
    expect(session).toMatchObject({
      status: "open",
      paymentStatus: "unpaid",
      amountTotal: 2 * 1250 + 499,
      currency: "eur",
      mode: "payment",
      clientReferenceId: "order-1",
      customerId: null,
      paymentIntentId: null,
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${fake.url}/checkout/${session.id}`);
    const hours = (session.expiresAt.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24.01);
  });

  it("echoes every field the portal sends, placeholder untouched", async () => {
    const { id } = await client.createCheckoutSession(oneOff(), "k1");
    const session = await client.sdk.checkout.sessions.retrieve(id, {
      expand: ["line_items"],
    });
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      client_reference_id: "order-1",
      metadata: { orderId: "order-1", userId: "user-1" },
      customer: null,
      customer_email: "jane@example.net",
      customer_creation: "always",
      success_url:
        "http://portal.test/checkout/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://portal.test/cart",
      amount_subtotal: 2999,
      total_details: { amount_tax: 0 },
      livemode: false,
    });
    expect(
      session.line_items?.data.map((li) => [
        li.description,
        li.quantity,
        li.amount_total,
      ]),
    ).toEqual([
      ["Domain", 2, 2500],
      ["Set-up fee", 1, 499],
    ]);
    expect(session.lastResponse.requestId).toMatch(/^req_/);
  });

  it("adds a deterministic 19 % tax when automatic tax is on", async () => {
    const session = await client.createCheckoutSession(
      oneOff({ automatic_tax: { enabled: true } }),
      "k-tax",
    );
    expect(session.amountTotal).toBe(2999 + Math.round(2999 * 0.19));
    const raw = await client.sdk.checkout.sessions.retrieve(session.id);
    expect(raw.total_details?.amount_tax).toBe(570);
    expect(raw.amount_subtotal).toBe(2999);
  });

  it("sends an existing customer instead of an email", async () => {
    const first = await client.createCheckoutSession(oneOff(), "k-a");
    await press(first.url, "pay");
    const customerId = fake.getSession(first.id)?.customer;
    expect(customerId).toMatch(/^cus_test_/);
    const second = await client.createCheckoutSession(
      oneOff({
        customer: String(customerId),
        customer_email: undefined,
        customer_creation: undefined,
      }),
      "k-b",
    );
    await press(second.url, "pay");
    expect((await client.retrieveCheckoutSession(second.id)).customerId).toBe(
      customerId,
    );
  });

  const refusals: [string, Stripe.Checkout.SessionCreateParams, string][] = [
    [
      "an unknown parameter (payment_method_types is gone in this API version)",
      {
        ...oneOff(),
        payment_method_types: ["card"],
      } as Stripe.Checkout.SessionCreateParams,
      "payment_method_types",
    ],
    [
      "an unknown nested parameter",
      oneOff({
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 500,
              product_data: { name: "X" },
              colour: "red",
            } as Stripe.Checkout.SessionCreateParams.LineItem.PriceData,
          },
        ],
      }),
      "line_items[0][price_data][colour]",
    ],
    [
      "customer together with customer_email",
      oneOff({ customer: "cus_test_x", customer_creation: undefined }),
      "customer_email",
    ],
    [
      "price together with price_data",
      oneOff({
        line_items: [
          {
            price: "price_test_x",
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 500,
              product_data: { name: "X" },
            },
          },
        ],
      }),
      "line_items[0]",
    ],
    [
      "a fractional amount",
      oneOff({
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 12.5,
              product_data: { name: "X" },
            },
          },
        ],
      }),
      "line_items[0][price_data][unit_amount]",
    ],
    [
      "a missing quantity",
      oneOff({
        line_items: [
          {
            price_data: {
              currency: "eur",
              unit_amount: 500,
              product_data: { name: "X" },
            },
          },
        ],
      }),
      "line_items[0][quantity]",
    ],
    [
      "a missing success_url",
      oneOff({ success_url: undefined }),
      "success_url",
    ],
    [
      "a recurring price in payment mode",
      oneOff({
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 500,
              recurring: { interval: "month" },
              product_data: { name: "X" },
            },
          },
        ],
      }),
      "line_items[0]",
    ],
    [
      "subscription mode without a recurring price",
      monthly({
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 500,
              product_data: { name: "X" },
            },
          },
        ],
      }),
      "line_items",
    ],
    [
      "one subscription with monthly and yearly prices",
      monthly({
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 500,
              recurring: { interval: "month" },
              product_data: { name: "A" },
            },
          },
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: 5000,
              recurring: { interval: "year" },
              product_data: { name: "B" },
            },
          },
        ],
      }),
      "line_items",
    ],
    [
      "customer_creation in subscription mode",
      monthly({ customer_creation: "always" }),
      "customer_creation",
    ],
    [
      "subscription_data in payment mode",
      oneOff({ subscription_data: { metadata: { orderId: "x" } } }),
      "subscription_data",
    ],
  ];

  it.each(refusals)(
    "refuses %s with 400 and the param",
    async (_, params, param) => {
      const error = await caught(
        client.createCheckoutSession(params, `k-${param}`),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, param });
      expect(describeStripeError(error).retryable).toBe(false);
    },
  );

  it("says which parameter is unknown, in Stripe's words", async () => {
    const error = await caught(
      client.createCheckoutSession(
        { ...oneOff(), colour: "red" } as Stripe.Checkout.SessionCreateParams,
        "k",
      ),
    );
    expect(error).toMatchObject({
      message: "Received unknown parameter: colour",
      code: "parameter_unknown",
    });
  });

  it("replays the first session for the same key and parameters", async () => {
    const first = await client.createCheckoutSession(
      oneOff(),
      "checkout:order-1:1",
    );
    const again = await client.createCheckoutSession(
      oneOff(),
      "checkout:order-1:1",
    );
    expect(again.id).toBe(first.id);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([
      "checkout:order-1:1",
      "checkout:order-1:1",
    ]);
  });

  it("refuses the same key with other parameters (StripeIdempotencyError)", async () => {
    await client.createCheckoutSession(oneOff(), "checkout:order-1:1");
    const error = await caught(
      client.createCheckoutSession(
        oneOff({ metadata: { orderId: "order-1", note: "changed" } }),
        "checkout:order-1:1",
      ),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(describeStripeError(error)).toEqual({
      retryable: false,
      message: expect.stringContaining("reload the page") as string,
    });
  });
});

describe("errors the SDK raises, and how they are described", () => {
  it("a wrong key is a 401 StripeAuthenticationError, not worth retrying", async () => {
    const wrong = clientFor(fake.url, { secretKey: "sk_test_someone_else" });
    const error = await caught(wrong.createCheckoutSession(oneOff(), "k"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as Error).message).toContain("****else");
    expect(describeStripeError(error).retryable).toBe(false);
  });

  it("a 500 is a StripeAPIError worth retrying later", async () => {
    fake.failNext(500);
    const error = await caught(client.createCheckoutSession(oneOff(), "k"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(describeStripeError(error)).toEqual({
      retryable: true,
      message: expect.stringContaining("try again") as string,
    });
  });

  it("the SDK retries a 500 itself, under the same key", async () => {
    const retrying = clientFor(fake.url, { maxNetworkRetries: 1 });
    fake.failNext(500);
    const session = await retrying.createCheckoutSession(oneOff(), "k-retry");
    expect(session.status).toBe("open");
    expect(fake.requests.map((r) => [r.status, r.idempotencyKey])).toEqual([
      [500, "k-retry"],
      [200, "k-retry"],
    ]);
  });

  it("but not when Stripe says Stripe-Should-Retry: false", async () => {
    const retrying = clientFor(fake.url, { maxNetworkRetries: 1 });
    fake.failNext("500-should-retry-false");
    const error = await caught(retrying.createCheckoutSession(oneOff(), "k"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(fake.requests).toHaveLength(1);
  });

  it("a 429 is a StripeRateLimitError worth retrying later", async () => {
    fake.failNext(429);
    const error = await caught(client.createCheckoutSession(oneOff(), "k"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(describeStripeError(error)).toMatchObject({ retryable: true });
    expect(describeStripeError(error).message).toContain("busy");
  });

  it("a 402 is a StripeCardError", async () => {
    fake.failNext(402);
    const error = await caught(client.createCheckoutSession(oneOff(), "k"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(describeStripeError(error).retryable).toBe(false);
  });

  it("one dropped connection is retried by the SDK even with retries off, under the same key", async () => {
    fake.failNext("drop");
    const session = await client.createCheckoutSession(oneOff(), "k-drop");
    expect(session.status).toBe("open");
    expect(fake.requests.map((r) => [r.status, r.idempotencyKey])).toEqual([
      [0, "k-drop"],
      [200, "k-drop"],
    ]);
  });

  it("two dropped connections are a StripeConnectionError", async () => {
    fake.failNext("drop", 2);
    const error = await caught(client.createCheckoutSession(oneOff(), "k"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(describeStripeError(error)).toEqual({
      retryable: true,
      message:
        "The payment provider could not be reached. Your cart is kept; please try again in a moment.",
    });
  });

  it("a refused connection is a StripeConnectionError", async () => {
    const url = fake.url;
    await fake.close();
    const error = await caught(
      clientFor(url).retrieveCheckoutSession("cs_test_x"),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    fake = await startFakeStripe({ webhookSecret: WEBHOOK_SECRET });
  });

  it("describes anything else without leaking it", () => {
    expect(describeStripeError(new Error("secret detail"))).toEqual({
      retryable: false,
      message: expect.not.stringContaining("secret") as string,
    });
  });

  it("refuses an API URL with a path, which the SDK would silently drop", () => {
    expect(() => clientFor("http://127.0.0.1:3215/stripe")).toThrow(
      /bare origin/,
    );
  });
});

describe("retrieveCheckoutSession and expireCheckoutSession", () => {
  it("retrieve shows the outcome after payment, with the URL cleared", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    await press(session.url, "pay");
    const after = await client.retrieveCheckoutSession(session.id);
    expect(after).toMatchObject({
      status: "complete",
      paymentStatus: "paid",
      url: null,
      amountTotal: 2999,
    });
    expect(after.paymentIntentId).toMatch(/^pi_test_/);
    expect(after.customerId).toMatch(/^cus_test_/);
  });

  it("retrieve of an unknown id is a 404 StripeInvalidRequestError", async () => {
    const error = await caught(client.retrieveCheckoutSession("cs_test_nope"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("expire ends an open session and Stripe reports it", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    await client.expireCheckoutSession(session.id);
    expect((await client.retrieveCheckoutSession(session.id)).status).toBe(
      "expired",
    );
    await fake.idle();
    expect(receiver.events.map((e) => e.type)).toEqual([
      "checkout.session.expired",
    ]);
  });

  it("expire of a session that was paid or already expired is not an error", async () => {
    const paid = await client.createCheckoutSession(oneOff(), "k1");
    await press(paid.url, "pay");
    await expect(
      client.expireCheckoutSession(paid.id),
    ).resolves.toBeUndefined();
    const stale = await client.createCheckoutSession(oneOff(), "k2");
    await client.expireCheckoutSession(stale.id);
    await expect(
      client.expireCheckoutSession(stale.id),
    ).resolves.toBeUndefined();
    expect((await client.retrieveCheckoutSession(paid.id)).status).toBe(
      "complete",
    );
  });

  it("expire of an unknown session still throws", async () => {
    const error = await caught(client.expireCheckoutSession("cs_test_nope"));
    expect(error).toMatchObject({ statusCode: 404 });
  });
});

describe("createRefund", () => {
  async function paid() {
    const session = await client.createCheckoutSession(oneOff(), "k");
    await press(session.url, "pay");
    const { paymentIntentId } = await client.retrieveCheckoutSession(
      session.id,
    );
    if (!paymentIntentId) throw new Error("no payment intent");
    receiver.events.length = 0;
    return paymentIntentId;
  }

  it("refunds part, then the rest; Stripe reports each with the cumulative amount", async () => {
    const paymentIntentId = await paid();
    const first = await client.createRefund({
      paymentIntentId,
      amount: 1000,
      idempotencyKey: "refund:1",
      metadata: { orderId: "order-1" },
    });
    expect(first).toMatchObject({
      status: "succeeded",
      amount: 1000,
      currency: "eur",
    });
    expect(first.id).toMatch(/^re_test_/);
    await client.createRefund({
      paymentIntentId,
      amount: 1999,
      idempotencyKey: "refund:2",
    });
    await fake.idle();
    const charges = receiver.events
      .filter((e) => e.type === "charge.refunded")
      .map((e) => e.data.object as Stripe.Charge);
    expect(charges.map((c) => [c.amount_refunded, c.refunded])).toEqual([
      [1000, false],
      [2999, true],
    ]);
    expect(charges[0]?.payment_intent).toBe(paymentIntentId);
    expect(charges[0]?.metadata).toEqual({ orderId: "order-1" });
    expect(receiver.events.map((e) => e.type)).toEqual([
      "refund.created",
      "charge.refunded",
      "refund.created",
      "charge.refunded",
    ]);
    expect(receiver.events[0]?.request?.idempotency_key).toBe("refund:1");
  });

  it("refuses more than what is left", async () => {
    const paymentIntentId = await paid();
    await client.createRefund({
      paymentIntentId,
      amount: 2000,
      idempotencyKey: "r1",
    });
    const tooMuch = await caught(
      client.createRefund({
        paymentIntentId,
        amount: 1000,
        idempotencyKey: "r2",
      }),
    );
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({
      code: "amount_too_large",
      param: "amount",
    });
    await client.createRefund({
      paymentIntentId,
      amount: 999,
      idempotencyKey: "r3",
    });
    const again = await caught(
      client.createRefund({ paymentIntentId, amount: 1, idempotencyKey: "r4" }),
    );
    expect(again).toMatchObject({ code: "charge_already_refunded" });
  });

  it("refunds once for a repeated key", async () => {
    const paymentIntentId = await paid();
    const input = {
      paymentIntentId,
      amount: 500,
      idempotencyKey: "refund:same",
    };
    const a = await client.createRefund(input);
    const b = await client.createRefund(input);
    expect(b.id).toBe(a.id);
    await fake.idle();
    expect(
      receiver.events.filter((e) => e.type === "refund.created"),
    ).toHaveLength(1);
  });

  it("refuses an unknown payment intent", async () => {
    const error = await caught(
      client.createRefund({
        paymentIntentId: "pi_test_nope",
        amount: 1,
        idempotencyKey: "k",
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: "resource_missing" });
  });
});

describe("createBillingPortalSession", () => {
  it("points at the portal page for a known customer", async () => {
    const session = await client.createCheckoutSession(monthly(), "k");
    await press(session.url, "pay");
    const { customerId } = await client.retrieveCheckoutSession(session.id);
    const portal = await client.createBillingPortalSession({
      customerId: String(customerId),
      returnUrl: "http://portal.test/account",
    });
    expect(portal.url).toMatch(new RegExp(`^${fake.url}/billing/bps_test_`));
    const page = await (await fetch(portal.url)).text();
    expect(page).toContain("Mailbox");
    expect(page).toContain('href="http://portal.test/account"');
  });

  it("refuses an unknown customer", async () => {
    const error = await caught(
      client.createBillingPortalSession({
        customerId: "cus_test_nope",
        returnUrl: "http://x.test",
      }),
    );
    expect(error).toMatchObject({
      code: "resource_missing",
      param: "customer",
    });
  });
});

describe("the hosted page sends verified events to the webhook", () => {
  it("Pay: checkout.session.completed (paid), then back to success_url with the id", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    const answer = await press(session.url, "pay");
    expect(answer).toEqual({
      status: 303,
      location: `http://portal.test/checkout/success?session_id=${session.id}`,
    });
    expect(receiver.rejected).toBe(0);
    expect(receiver.events.map((e) => e.type)).toEqual([
      "checkout.session.completed",
    ]);
    const event = receiver.events[0];
    expect(event).toMatchObject({
      object: "event",
      livemode: false,
      api_version: Stripe.API_VERSION,
    });
    expect(event?.id).toMatch(/^evt_test_/);
    expect(event?.data.object).toMatchObject({
      id: session.id,
      client_reference_id: "order-1",
      metadata: { orderId: "order-1", userId: "user-1" },
      payment_status: "paid",
      status: "complete",
      amount_total: 2999,
      currency: "eur",
    });
  });

  it("Pay later: completed (unpaid), then async_payment_succeeded", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    await press(session.url, "pay-async");
    expect(
      receiver.events.map((e) => [
        e.type,
        (e.data.object as Stripe.Checkout.Session).payment_status,
      ]),
    ).toEqual([
      ["checkout.session.completed", "unpaid"],
      ["checkout.session.async_payment_succeeded", "paid"],
    ]);
  });

  it("Fail: completed (unpaid), then async_payment_failed, still back to success_url", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    const answer = await press(session.url, "fail");
    expect(answer.location).toContain(session.id);
    expect(receiver.events.map((e) => e.type)).toEqual([
      "checkout.session.completed",
      "checkout.session.async_payment_failed",
    ]);
    expect(
      (await client.retrieveCheckoutSession(session.id)).paymentStatus,
    ).toBe("unpaid");
  });

  it("Cancel: back to cancel_url, no event, the session stays open", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    expect(await press(session.url, "cancel")).toEqual({
      status: 303,
      location: "http://portal.test/cart",
    });
    expect(receiver.events).toEqual([]);
    expect((await client.retrieveCheckoutSession(session.id)).status).toBe(
      "open",
    );
  });

  it("subscription Pay: invoice.paid arrives before checkout.session.completed", async () => {
    const session = await client.createCheckoutSession(monthly(), "k");
    await press(session.url, "pay");
    expect(receiver.events.map((e) => e.type)).toEqual([
      "invoice.paid",
      "checkout.session.completed",
    ]);
    const invoice = receiver.events[0]?.data.object as Stripe.Invoice;
    const completed = receiver.events[1]?.data
      .object as Stripe.Checkout.Session;
    expect(invoice).toMatchObject({
      billing_reason: "subscription_create",
      amount_paid: 2400,
      currency: "eur",
      status: "paid",
      parent: {
        type: "subscription_details",
        subscription_details: {
          subscription: completed.subscription,
          metadata: { orderId: "order-2", serviceId: "svc-9" },
        },
      },
    });
    expect(invoice).not.toHaveProperty("subscription");
    const [recurring, oneTime] = invoice.lines.data;
    expect(recurring?.period.end).toBeGreaterThan(
      recurring?.period.start ?? Infinity,
    );
    expect(oneTime?.amount).toBe(1500);
    expect(completed.subscription).toMatch(/^sub_test_/);
  });

  it("a tampered body, a wrong secret or an old signature are refused by constructEvent", async () => {
    const session = await client.createCheckoutSession(oneOff(), "k");
    const [event] = await fake.completeSession(session.id);
    if (!event) throw new Error("no event");
    receiver.events.length = 0;
    const statuses = await fake.deliver([event, event, event], {});
    expect(statuses).toEqual([200, 200, 200]);
    expect(
      await fake.deliver([event], {
        mangle: (body) => body.replace('"paid"', '"unpaid"'),
      }),
    ).toEqual([400]);
    expect(await fake.deliver([event], { secret: "whsec_wrong" })).toEqual([
      400,
    ]);
    expect(
      await fake.deliver([event], {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      }),
    ).toEqual([400]);
    expect(receiver.rejected).toBe(3);
    const { body, headers } = fake.signedRequest(event);
    expect(() =>
      client.constructEvent(
        JSON.stringify(JSON.parse(body)),
        headers["Stripe-Signature"] ?? "",
      ),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(
      client.constructEvent(body, headers["Stripe-Signature"] ?? "").id,
    ).toBe(event.id);
  });
});
