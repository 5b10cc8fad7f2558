import "server-only";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Stripe from "stripe";
import { z } from "zod";

// An in-process Stripe over real HTTP on loopback, for tests and local runs. It keeps state for
// Checkout Sessions (with a hosted page), payments, refunds, subscriptions, invoices and the billing
// portal, answers with the wire format of the SDK's pinned API version (bracket-encoded forms in,
// JSON and Stripe's error bodies out) and sends signed webhook events to one endpoint. Test-only:
// nothing in production points at it.

export type FakeStripeOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The exact key callers must send; by default any `sk_test_…` key is accepted. */
  secretKey?: string;
  webhookUrl?: string;
  webhookSecret: string;
  /** Whether built events are sent; by default, whenever a webhook URL is set. */
  deliverEvents?: boolean;
  /** Clock for object timestamps, in milliseconds. Signatures always use the real clock. */
  now?: () => number;
};

/** What the next API calls answer instead of being processed. */
export type FailKind =
  401 | 402 | 429 | 500 | "500-should-retry-false" | "drop";

export type FakeRequest = {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** 0 while unanswered, or when the connection was dropped. */
  status: number;
};

export type FakeDelivery = {
  eventId: string;
  type: string;
  /** 0 when the endpoint did not answer (refused, reset, timed out). */
  status: number;
};

export type DeliverOptions = {
  /** Sign with this secret instead of the configured one. */
  secret?: string;
  /** Unix seconds for `t=`; default now. */
  timestamp?: number;
  /** Changes the body after signing, so the signature no longer matches it. */
  mangle?: (body: string) => string;
};

export type FakeStripe = {
  /** What STRIPE_API_URL points at. */
  url: string;
  requests: FakeRequest[];
  deliveries: FakeDelivery[];
  /** Every event built so far, in order, whether or not it was delivered. */
  events: Stripe.Event[];
  completeSession: (
    id: string,
    options?: { paymentStatus?: "paid" | "unpaid" },
  ) => Promise<Stripe.Event[]>;
  succeedAsyncPayment: (sessionId: string) => Promise<Stripe.Event[]>;
  failAsyncPayment: (sessionId: string) => Promise<Stripe.Event[]>;
  expireSession: (id: string) => Promise<Stripe.Event[]>;
  /** A refund made in the dashboard: the whole unrefunded rest unless `amount` is given. */
  refund: (paymentIntentId: string, amount?: number) => Promise<Stripe.Event[]>;
  renewSubscription: (subscriptionId: string) => Promise<Stripe.Event[]>;
  failRenewal: (subscriptionId: string) => Promise<Stripe.Event[]>;
  cancelSubscription: (subscriptionId: string) => Promise<Stripe.Event[]>;
  /** Sends the events in order (delivery switch or not) and returns each HTTP status. */
  deliver: (
    events: Stripe.Event[],
    options?: DeliverOptions,
  ) => Promise<number[]>;
  signedRequest: (
    event: Stripe.Event,
    options?: DeliverOptions,
  ) => { body: string; headers: Record<string, string> };
  failNext: (kind: FailKind, count?: number) => void;
  getSession: (id: string) => Stripe.Checkout.Session | null;
  getSubscription: (id: string) => Stripe.Subscription | null;
  setWebhookUrl: (url: string | undefined) => void;
  setDelivery: (on: boolean) => void;
  /** Resolves once every queued delivery (API-made refunds and expiries send theirs late) is done. */
  idle: () => Promise<void>;
  close: () => Promise<void>;
};

type ApiReply = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent to the webhook after the response, as Stripe does. */
  events?: Stripe.Event[];
};
type PageReply =
  { status: number; html: string } | { status: 303; location: string };
type RequestContext = { requestId: string; idempotencyKey: string | null };
type ErrorType =
  "invalid_request_error" | "api_error" | "card_error" | "idempotency_error";

type SessionRecord = {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  paymentIntentMetadata: Stripe.Metadata;
  subscriptionMetadata: Stripe.Metadata;
  /** A delayed (bank debit) payment still waiting for its outcome. */
  asyncOutcome: "pending" | "succeeded" | "failed" | null;
};

type PlannedItem = {
  source: { price: Stripe.Price } | { data: PriceDataInput };
  quantity: number;
  metadata: Stripe.Metadata;
  currency: string;
  recurring: { interval: string; count: number } | null;
};

type EventType = Stripe.Event["type"];
type EventOf<T extends EventType> = Extract<Stripe.Event, { type: T }>;
type EventObject<T extends EventType> = EventOf<T>["data"]["object"];

const API_VERSION = Stripe.API_VERSION;
// A deterministic stand-in for Stripe Tax: 19 %, added to exclusive prices, contained in inclusive ones.
const TAX_PERCENT = 19;
const DEFAULT_EMAIL = "buyer@example.test";
const DEFAULT_NAME = "Test Buyer";
const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_UNIT_AMOUNT = 99_999_999;
const DAY = 86_400;
const ZERO_DECIMAL = new Set(
  "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "),
);
// Stripe's minimum charge is about 0.50 in most currencies; GBP's is 0.30.
const MINIMUM_CHARGE: Record<string, number> = { gbp: 30 };
const SESSION_EXPANDABLE = [
  "line_items",
  "customer",
  "subscription",
  "invoice",
];
const UNMODELLED = "unmodelled";

export async function startFakeStripe(
  options: FakeStripeOptions,
): Promise<FakeStripe> {
  const now = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(now() / 1000);
  let webhookUrl = options.webhookUrl;
  let deliveryOverride = options.deliverEvents;
  const isDelivering = () => deliveryOverride ?? webhookUrl !== undefined;

  const sessions = new Map<string, SessionRecord>();
  const products = new Map<
    string,
    { name: string; metadata: Stripe.Metadata }
  >();
  const prices = new Map<string, Stripe.Price>();
  const customers = new Map<string, Stripe.Customer>();
  const charges = new Map<string, Stripe.Charge>();
  /** Payment intent id → charge id. */
  const paymentIntents = new Map<string, string>();
  const refunds = new Map<string, Stripe.Refund>();
  const subscriptions = new Map<string, Stripe.Subscription>();
  const invoices = new Map<string, Stripe.Invoice>();
  const portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  const idempotency = new Map<
    string,
    { fingerprint: string; reply: ApiReply; requestId: string }
  >();
  const faults: FailKind[] = [];
  const requests: FakeRequest[] = [];
  const deliveries: FakeDelivery[] = [];
  const eventLog: Stripe.Event[] = [];
  let invoiceNumber = 0;
  let baseUrl = "";

  // ---- Events and delivery ----

  function buildEvent<T extends EventType>(
    type: T,
    object: EventObject<T>,
    request: RequestContext | null,
    previous?: Partial<EventObject<T>>,
  ): Stripe.Event {
    return eventObject(type, object, request, nowSeconds(), previous);
  }

  function signedRequest(event: Stripe.Event, opts: DeliverOptions = {}) {
    // Stripe sends its webhook bodies pretty-printed; re-serialising them breaks the signature.
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? options.webhookSecret,
      // The receiver checks the age against its own real clock.
      timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
    });
    return {
      body: opts.mangle ? opts.mangle(payload) : payload,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": signature,
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        Accept: "*/*; q=0.5, application/xml",
        "Cache-Control": "no-cache",
      },
    };
  }

  const closing = new AbortController();
  let tail: Promise<unknown> = Promise.resolve();
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  }

  async function post(event: Stripe.Event, opts: DeliverOptions) {
    const target = webhookUrl;
    if (target === undefined)
      throw new Error("fake stripe: no webhook URL is set");
    const { body, headers } = signedRequest(event, opts);
    let status = 0;
    try {
      const res = await fetch(target, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.any([
          AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          closing.signal,
        ]),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 0;
    }
    deliveries.push({ eventId: event.id, type: event.type, status });
    return status;
  }

  function deliver(events: Stripe.Event[], opts: DeliverOptions = {}) {
    return serial(async () => {
      const statuses: number[] = [];
      for (const event of events) statuses.push(await post(event, opts));
      return statuses;
    });
  }

  async function emit(events: Stripe.Event[]): Promise<Stripe.Event[]> {
    eventLog.push(...events);
    if (isDelivering() && webhookUrl !== undefined) await deliver(events);
    return events;
  }

  // ---- Objects ----

  function createCustomer(email: string | null): Stripe.Customer {
    const customer = customerObject(email, nowSeconds());
    customers.set(customer.id, customer);
    return customer;
  }

  /** The Price (and, without `product`, the Product) that `price_data` makes inline. */
  function createPrice(data: PriceDataInput): Stripe.Price {
    let productId = data.product;
    if (productId === undefined) {
      productId = newId("prod");
      products.set(productId, {
        name: data.product_data?.name ?? "",
        metadata: { ...data.product_data?.metadata },
      });
    }
    const price = priceObject(data, productId, nowSeconds());
    prices.set(price.id, price);
    return price;
  }

  function createCharge(p: ChargeInput): Stripe.Charge {
    const charge = chargeObject(p, nowSeconds());
    charges.set(charge.id, charge);
    paymentIntents.set(String(charge.payment_intent), charge.id);
    return charge;
  }

  function createInvoice(p: {
    subscription: Stripe.Subscription;
    billingReason: "subscription_create" | "subscription_cycle";
    lines: InvoiceLineInput[];
    periodStart: number;
    periodEnd: number;
    paid: boolean;
  }): Stripe.Invoice {
    const customerId = idOf(p.subscription.customer);
    const invoice = invoiceObject({
      ...p,
      id: newId("in"),
      number: `FAKE-${String(++invoiceNumber).padStart(4, "0")}`,
      created: nowSeconds(),
      baseUrl,
      customer: customerId ? customers.get(customerId) : undefined,
      automaticTax: p.subscription.automatic_tax.enabled,
      lines: p.lines.map((line) => ({
        ...line,
        description: invoiceLineDescription(line.price, line.quantity),
      })),
    });
    invoices.set(invoice.id, invoice);
    return invoice;
  }

  function payInvoice(invoice: Stripe.Invoice) {
    const t = nowSeconds();
    invoice.status = "paid";
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.attempted = true;
    invoice.attempt_count += 1;
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = t;
  }

  function failInvoice(invoice: Stripe.Invoice) {
    invoice.attempted = true;
    invoice.attempt_count += 1;
    // Smart Retries would try again in a few days.
    invoice.next_payment_attempt = nowSeconds() + 3 * DAY;
  }

  /** Subscription mode's Pay: the subscription and its first invoice (recurring and one-time lines). */
  function startSubscription(
    record: SessionRecord,
    customerId: string,
    paid: boolean,
  ) {
    const session = record.session;
    const t = nowSeconds();
    const recurring = record.lineItems.filter((li) => li.price?.recurring);
    const oneTime = record.lineItems.filter((li) => !li.price?.recurring);
    const first = recurring[0]?.price?.recurring;
    if (!first)
      throw new Error("fake stripe: subscription without a recurring price");
    const end = addInterval(t, first.interval, first.interval_count);
    const id = newId("sub");
    const items = recurring.flatMap((li) =>
      li.price
        ? [subscriptionItem(id, li.price, li.quantity ?? 1, t, end)]
        : [],
    );
    const automaticTax = session.automatic_tax.enabled;
    const subscription = subscriptionObject({
      id,
      created: t,
      currency: session.currency ?? "eur",
      customer: customerId,
      items,
      metadata: record.subscriptionMetadata,
      automaticTax,
      paid,
    });
    subscriptions.set(id, subscription);
    const lines: InvoiceLineInput[] = [
      ...items.map((item) => ({
        price: item.price,
        quantity: item.quantity ?? 1,
        period: { start: t, end },
        parent: subscriptionItemParent(id, item.id),
      })),
      ...oneTime.flatMap((li) =>
        li.price
          ? [
              {
                price: li.price,
                quantity: li.quantity ?? 1,
                period: { start: t, end: t },
                parent: {
                  type: "invoice_item_details",
                  invoice_item_details: {
                    invoice_item: newId("ii"),
                    proration: false,
                    proration_details: { credited_items: null },
                    subscription: id,
                  },
                  subscription_item_details: null,
                } satisfies Stripe.InvoiceLineItem.Parent,
              },
            ]
          : [],
      ),
    ];
    const invoice = createInvoice({
      subscription,
      billingReason: "subscription_create",
      lines,
      periodStart: t,
      periodEnd: t,
      paid,
    });
    subscription.latest_invoice = invoice.id;
    return { subscription, invoice };
  }

  /** The next period's invoice; the period moves on whether or not it is paid. */
  function cycleSubscription(subscription: Stripe.Subscription, paid: boolean) {
    const items = subscription.items.data;
    const start = items[0]?.current_period_end ?? nowSeconds();
    const previousStart = items[0]?.current_period_start ?? start;
    for (const item of items) {
      item.current_period_start = item.current_period_end;
      item.current_period_end = addInterval(
        item.current_period_end,
        item.plan.interval,
        item.plan.interval_count,
      );
    }
    const invoice = createInvoice({
      subscription,
      billingReason: "subscription_cycle",
      lines: items.map((item) => ({
        price: item.price,
        quantity: item.quantity ?? 1,
        period: {
          start: item.current_period_start,
          end: item.current_period_end,
        },
        parent: subscriptionItemParent(subscription.id, item.id),
      })),
      // A cycle invoice's own period is the one that just ended.
      periodStart: previousStart,
      periodEnd: start,
      paid,
    });
    if (!paid) failInvoice(invoice);
    subscription.latest_invoice = invoice.id;
    return invoice;
  }

  function endSubscription(subscription: Stripe.Subscription) {
    const t = nowSeconds();
    subscription.status = "canceled";
    subscription.canceled_at ??= t;
    subscription.ended_at = t;
    subscription.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: "cancellation_requested",
    };
  }

  // ---- State changes shared by the API, the hosted pages and the test controls ----

  function requireSession(id: string): SessionRecord {
    const record = sessions.get(id);
    if (!record) throw new Error(`fake stripe: no checkout session ${id}`);
    return record;
  }

  function requireSubscription(id: string): Stripe.Subscription {
    const subscription = subscriptions.get(id);
    if (!subscription) throw new Error(`fake stripe: no subscription ${id}`);
    return subscription;
  }

  function completeState(
    id: string,
    paymentStatus: "paid" | "unpaid",
  ): Stripe.Event[] {
    const record = requireSession(id);
    const session = record.session;
    if (session.status !== "open")
      throw new Error(
        `fake stripe: checkout session ${id} is ${session.status}`,
      );
    const paid = paymentStatus === "paid";
    const given = idOf(session.customer);
    const email =
      session.customer_email ??
      (given ? customers.get(given)?.email : null) ??
      DEFAULT_EMAIL;
    // Payment mode makes a reusable Customer only when asked to (customer_creation: always).
    const customerId =
      given ??
      (session.mode === "subscription" || session.customer_creation === "always"
        ? createCustomer(email).id
        : null);
    session.customer = customerId;
    session.customer_details = {
      address: null,
      business_name: null,
      email,
      individual_name: null,
      name: DEFAULT_NAME,
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    };
    session.status = "complete";
    session.payment_status = paymentStatus;
    session.url = null;
    record.asyncOutcome = paid ? null : "pending";

    if (session.mode === "payment") {
      const charge = createCharge({
        amount: session.amount_total ?? 0,
        currency: session.currency ?? "eur",
        customer: customerId,
        email,
        metadata: record.paymentIntentMetadata,
        status: paid ? "succeeded" : "pending",
      });
      session.payment_intent = charge.payment_intent;
      return [buildEvent("checkout.session.completed", session, null)];
    }
    if (!customerId)
      throw new Error("fake stripe: subscription without a customer");
    const { subscription, invoice } = startSubscription(
      record,
      customerId,
      paid,
    );
    session.subscription = subscription.id;
    session.invoice = invoice.id;
    const completed = buildEvent("checkout.session.completed", session, null);
    // Stripe often sends the first invoice's event before the session's.
    return paid
      ? [buildEvent("invoice.paid", invoice, null), completed]
      : [completed];
  }

  function pendingAsync(id: string): SessionRecord {
    const record = requireSession(id);
    if (record.asyncOutcome !== "pending")
      throw new Error(
        `fake stripe: checkout session ${id} has no delayed payment waiting`,
      );
    return record;
  }

  function succeedAsyncState(id: string): Stripe.Event[] {
    const record = pendingAsync(id);
    const session = record.session;
    record.asyncOutcome = "succeeded";
    session.payment_status = "paid";
    const events: Stripe.Event[] = [];
    const chargeId = paymentIntents.get(idOf(session.payment_intent) ?? "");
    const charge = chargeId ? charges.get(chargeId) : undefined;
    if (charge) {
      charge.status = "succeeded";
      charge.paid = true;
      charge.captured = true;
      charge.amount_captured = charge.amount;
      charge.balance_transaction = newId("txn");
    }
    const subscription = subscriptions.get(idOf(session.subscription) ?? "");
    const invoice = invoices.get(idOf(session.invoice) ?? "");
    if (subscription && invoice) {
      payInvoice(invoice);
      const previous = { status: subscription.status };
      subscription.status = "active";
      events.push(
        buildEvent("invoice.paid", invoice, null),
        buildEvent(
          "customer.subscription.updated",
          subscription,
          null,
          previous,
        ),
      );
    }
    events.push(
      buildEvent("checkout.session.async_payment_succeeded", session, null),
    );
    return events;
  }

  function failAsyncState(id: string): Stripe.Event[] {
    const record = pendingAsync(id);
    const session = record.session;
    record.asyncOutcome = "failed";
    const events: Stripe.Event[] = [];
    const chargeId = paymentIntents.get(idOf(session.payment_intent) ?? "");
    const charge = chargeId ? charges.get(chargeId) : undefined;
    if (charge) {
      charge.status = "failed";
      charge.failure_code = "insufficient_funds";
      charge.failure_message =
        "The customer's account has insufficient funds to cover this payment.";
    }
    const invoice = invoices.get(idOf(session.invoice) ?? "");
    if (invoice) {
      failInvoice(invoice);
      events.push(buildEvent("invoice.payment_failed", invoice, null));
    }
    events.push(
      buildEvent("checkout.session.async_payment_failed", session, null),
    );
    return events;
  }

  function expireState(id: string, request: RequestContext | null) {
    const session = requireSession(id).session;
    session.status = "expired";
    session.url = null;
    return [buildEvent("checkout.session.expired", session, request)];
  }

  type RefundInput = {
    paymentIntent?: string;
    charge?: string;
    amount?: number;
    metadata?: Stripe.Metadata;
    reason?: "duplicate" | "fraudulent" | "requested_by_customer";
  };

  function refundState(
    input: RefundInput,
    request: RequestContext | null,
  ):
    | { ok: true; refund: Stripe.Refund; events: Stripe.Event[] }
    | { ok: false; reply: ApiReply } {
    let charge: Stripe.Charge | undefined;
    if (input.paymentIntent !== undefined) {
      const chargeId = paymentIntents.get(input.paymentIntent);
      if (!chargeId)
        return {
          ok: false,
          reply: noSuch(
            "payment_intent",
            input.paymentIntent,
            "payment_intent",
            400,
          ),
        };
      charge = charges.get(chargeId);
    } else if (input.charge !== undefined) {
      charge = charges.get(input.charge);
      if (!charge)
        return {
          ok: false,
          reply: noSuch("charge", input.charge, "charge", 400),
        };
    } else {
      return {
        ok: false,
        reply: invalid(
          "One of the following params should be provided for this request: payment_intent or charge.",
          undefined,
          "parameter_missing",
        ),
      };
    }
    if (!charge || charge.status !== "succeeded")
      return {
        ok: false,
        reply: invalid(
          `This PaymentIntent (${String(charge?.payment_intent ?? input.paymentIntent)}) does not have a successful charge to refund.`,
          "payment_intent",
        ),
      };
    const left = charge.amount - charge.amount_refunded;
    if (left <= 0)
      return {
        ok: false,
        reply: invalid(
          `Charge ${charge.id} has already been refunded.`,
          undefined,
          "charge_already_refunded",
        ),
      };
    const amount = input.amount ?? left;
    if (amount < 1)
      return {
        ok: false,
        reply: invalid(
          "Invalid positive integer",
          "amount",
          "parameter_invalid_integer",
        ),
      };
    if (amount > left)
      return {
        ok: false,
        reply: invalid(
          `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(left, charge.currency)})`,
          "amount",
          "amount_too_large",
        ),
      };
    const refund: Stripe.Refund = {
      id: newId("re"),
      object: "refund",
      amount,
      balance_transaction: newId("txn"),
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      customer: charge.customer,
      customer_account: null,
      metadata: { ...input.metadata },
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason: input.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: "succeeded",
      transfer_reversal: null,
    };
    refunds.set(refund.id, refund);
    const previous = {
      amount_refunded: charge.amount_refunded,
      refunded: charge.refunded,
    };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return {
      ok: true,
      refund,
      events: [
        buildEvent("refund.created", refund, request),
        buildEvent("charge.refunded", charge, request, previous),
      ],
    };
  }

  function renewState(id: string): Stripe.Event[] {
    const subscription = requireSubscription(id);
    if (
      subscription.status === "canceled" ||
      subscription.status === "incomplete"
    )
      throw new Error(
        `fake stripe: subscription ${id} is ${subscription.status}`,
      );
    // At the period's end a subscription set to cancel ends instead of renewing.
    if (subscription.cancel_at_period_end) return cancelState(id);
    const previous: Partial<Stripe.Subscription> = {
      items: snapshot(subscription.items),
      latest_invoice: subscription.latest_invoice,
      status: subscription.status,
    };
    const open = invoices.get(idOf(subscription.latest_invoice) ?? "");
    let invoice: Stripe.Invoice;
    if (subscription.status === "past_due" && open && open.status === "open") {
      // A past-due subscription is renewed by its retried invoice finally being paid.
      payInvoice(open);
      invoice = open;
      delete previous.items;
    } else {
      invoice = cycleSubscription(subscription, true);
    }
    subscription.status = "active";
    return [
      buildEvent("invoice.paid", invoice, null),
      buildEvent("customer.subscription.updated", subscription, null, previous),
    ];
  }

  function failRenewalState(id: string): Stripe.Event[] {
    const subscription = requireSubscription(id);
    if (subscription.status !== "active" && subscription.status !== "past_due")
      throw new Error(
        `fake stripe: subscription ${id} is ${subscription.status}`,
      );
    const previous: Partial<Stripe.Subscription> = {
      items: snapshot(subscription.items),
      latest_invoice: subscription.latest_invoice,
      status: subscription.status,
    };
    const invoice = cycleSubscription(subscription, false);
    subscription.status = "past_due";
    return [
      buildEvent("invoice.payment_failed", invoice, null),
      buildEvent("customer.subscription.updated", subscription, null, previous),
    ];
  }

  function cancelState(id: string): Stripe.Event[] {
    const subscription = requireSubscription(id);
    if (subscription.status === "canceled")
      throw new Error(`fake stripe: subscription ${id} is already canceled`);
    endSubscription(subscription);
    return [buildEvent("customer.subscription.deleted", subscription, null)];
  }

  function cancelAtPeriodEndState(subscription: Stripe.Subscription) {
    const previous: Partial<Stripe.Subscription> = {
      cancel_at: subscription.cancel_at,
      cancel_at_period_end: subscription.cancel_at_period_end,
      canceled_at: subscription.canceled_at,
      cancellation_details: subscription.cancellation_details,
    };
    subscription.cancel_at_period_end = true;
    subscription.cancel_at =
      subscription.items.data[0]?.current_period_end ?? nowSeconds();
    subscription.canceled_at = nowSeconds();
    subscription.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: "cancellation_requested",
    };
    return [
      buildEvent("customer.subscription.updated", subscription, null, previous),
    ];
  }

  // ---- The API ----

  function api(
    req: http.IncomingMessage,
    url: URL,
    raw: string,
    context: RequestContext,
  ): ApiReply {
    const auth = authenticate(header(req, "authorization"));
    if (auth) return auth;
    const version = header(req, "stripe-version");
    if (version !== undefined && version !== API_VERSION)
      return invalid(
        `This stand-in speaks only API version ${API_VERSION}, not ${version}.`,
      );
    const method = req.method ?? "GET";
    const key = context.idempotencyKey;
    if (method !== "POST" || key === null)
      return route(method, url, raw, context);
    if (key.length > 255)
      return invalid(
        "Invalid Idempotency-Key: keys may be at most 255 characters long.",
        undefined,
        "idempotency_key_in_use",
      );
    const fingerprint = `${method} ${url.pathname}\n${raw}`;
    const stored = idempotency.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint)
        return stripeError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      return {
        ...stored.reply,
        events: undefined,
        headers: {
          ...stored.reply.headers,
          "Idempotent-Replayed": "true",
          "Original-Request": stored.requestId,
        },
      };
    }
    const reply = route(method, url, raw, context);
    // Stripe keeps only results of requests that began executing; refused parameters are not kept.
    if (reply.status < 400)
      idempotency.set(key, {
        fingerprint,
        reply,
        requestId: context.requestId,
      });
    return reply;
  }

  function authenticate(authorization: string | undefined): ApiReply | null {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const key = match?.[1];
    if (key === undefined)
      return stripeError(401, {
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      });
    const accepted =
      options.secretKey === undefined
        ? /^sk_test_\w+$/.test(key)
        : key === options.secretKey;
    return accepted
      ? null
      : stripeError(401, {
          message: `Invalid API Key provided: ${maskKey(key)}`,
        });
  }

  function route(
    method: string,
    url: URL,
    raw: string,
    context: RequestContext,
  ): ApiReply {
    const parsed = parseForm(method === "GET" ? url.search.slice(1) : raw);
    if (!parsed.ok)
      return invalid(`Invalid value for ${parsed.param}.`, parsed.param);
    const form = parsed.value;
    const path = url.pathname.replace(/\/+$/, "");
    const [, resource = "", id, action] =
      /^\/v1\/(checkout\/sessions|refunds|billing_portal\/sessions|customers|subscriptions|invoices)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
        path,
      ) ?? [];
    const target = id === undefined ? undefined : safeDecode(id);
    const is = (m: string, r: string, hasId: boolean, a?: string) =>
      method === m &&
      resource === r &&
      (target !== undefined) === hasId &&
      action === a;

    if (is("POST", "checkout/sessions", false)) return createSession(form);
    if (is("GET", "checkout/sessions", true) && target)
      return retrieveSession(target, form);
    if (is("GET", "checkout/sessions", true, "line_items") && target)
      return listLineItems(target, form);
    if (is("POST", "checkout/sessions", true, "expire") && target)
      return expireSession(target, form, context);
    if (is("POST", "refunds", false)) return createRefund(form, context);
    if (is("GET", "refunds", true) && target)
      return retrieveSimple(form, refunds.get(target), "refund", target);
    if (is("POST", "billing_portal/sessions", false))
      return createPortalSession(form);
    if (is("GET", "customers", true) && target)
      return retrieveSimple(form, customers.get(target), "customer", target);
    if (is("GET", "subscriptions", true) && target)
      return retrieveSimple(
        form,
        subscriptions.get(target),
        "subscription",
        target,
      );
    if (is("GET", "invoices", true) && target)
      return retrieveSimple(form, invoices.get(target), "invoice", target);
    return stripeError(404, {
      message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }

  function createSession(form: FormTree): ApiReply {
    const parsed = sessionCreateInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    const p = parsed.data;
    const t = nowSeconds();
    const problem = sessionParamsProblem(p, t);
    if (problem) return problem;
    if (p.mode !== "payment" && p.mode !== "subscription")
      return invalid(
        "Missing required param: mode.",
        "mode",
        "parameter_missing",
      );
    if (p.customer !== undefined && !customers.has(p.customer))
      return noSuch("customer", p.customer, "customer", 400);
    if (!p.line_items?.length)
      return invalid(
        "Missing required param: line_items.",
        "line_items",
        "parameter_missing",
      );
    const planned = planLineItems(p.line_items, {
      price: (id) => prices.get(id),
      hasProduct: (id) => products.has(id),
    });
    if (!Array.isArray(planned)) return planned;
    const automaticTax = p.automatic_tax?.enabled ?? false;
    const itemsProblem = lineItemsProblem(planned, p.mode, automaticTax);
    if (itemsProblem) return itemsProblem;

    const lineItems: Stripe.LineItem[] = planned.map((item) => {
      const price =
        "price" in item.source
          ? item.source.price
          : createPrice(item.source.data);
      return lineItemObject(
        price,
        item,
        automaticTax,
        products.get(String(price.product))?.name ?? null,
      );
    });
    const session = sessionObject({
      id: newId("cs"),
      created: t,
      baseUrl,
      mode: p.mode,
      params: p,
      lineItems,
      automaticTax,
    });
    sessions.set(session.id, {
      session,
      lineItems,
      paymentIntentMetadata: { ...p.payment_intent_data?.metadata },
      subscriptionMetadata: { ...p.subscription_data?.metadata },
      asyncOutcome: null,
    });
    return ok(expandSession(session.id, p.expand ?? []));
  }

  function expandSession(id: string, expand: string[]): unknown {
    const record = requireSession(id);
    const body: Record<string, unknown> = { ...snapshot(record.session) };
    for (const field of expand) {
      if (field === "line_items")
        body.line_items = {
          object: "list",
          data: snapshot(record.lineItems),
          has_more: false,
          url: `/v1/checkout/sessions/${id}/line_items`,
        };
      if (field === "customer") {
        const found = customers.get(idOf(record.session.customer) ?? "");
        if (found) body.customer = snapshot(found);
      }
      if (field === "subscription") {
        const found = subscriptions.get(
          idOf(record.session.subscription) ?? "",
        );
        if (found) body.subscription = snapshot(found);
      }
      if (field === "invoice") {
        const found = invoices.get(idOf(record.session.invoice) ?? "");
        if (found) body.invoice = snapshot(found);
      }
    }
    return body;
  }

  function retrieveSession(id: string, form: FormTree): ApiReply {
    const parsed = retrieveInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    if (!sessions.has(id))
      return noSuch("checkout.session", id, "session", 404);
    const expand = parsed.data.expand ?? [];
    const bad = expand.find((e) => !SESSION_EXPANDABLE.includes(e));
    if (bad !== undefined)
      return invalid(`This property cannot be expanded (${bad}).`, "expand");
    return ok(expandSession(id, expand));
  }

  function listLineItems(id: string, form: FormTree): ApiReply {
    const parsed = listInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    const record = sessions.get(id);
    if (!record) return noSuch("checkout.session", id, "session", 404);
    const limit = parsed.data.limit ?? 10;
    if (limit < 1 || limit > 100)
      return invalid("This value must be between 1 and 100.", "limit");
    let items = record.lineItems;
    const after = parsed.data.starting_after;
    if (after !== undefined) {
      const index = items.findIndex((li) => li.id === after);
      if (index < 0) return noSuch("item", after, "starting_after", 400);
      items = items.slice(index + 1);
    }
    return ok({
      object: "list",
      data: snapshot(items.slice(0, limit)),
      has_more: items.length > limit,
      url: `/v1/checkout/sessions/${id}/line_items`,
    });
  }

  function expireSession(
    id: string,
    form: FormTree,
    context: RequestContext,
  ): ApiReply {
    const parsed = retrieveInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    const record = sessions.get(id);
    if (!record) return noSuch("checkout.session", id, "session", 404);
    if (record.session.status !== "open")
      return invalid(
        'Only Checkout Sessions with a status in ["open"] can be expired.',
      );
    const expand = parsed.data.expand ?? [];
    const bad = expand.find((e) => !SESSION_EXPANDABLE.includes(e));
    if (bad !== undefined)
      return invalid(`This property cannot be expanded (${bad}).`, "expand");
    const events = expireState(id, context);
    return { ...ok(expandSession(id, expand)), events };
  }

  function createRefund(form: FormTree, context: RequestContext): ApiReply {
    const parsed = refundCreateInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    const p = parsed.data;
    const result = refundState(
      {
        paymentIntent: p.payment_intent,
        charge: p.charge,
        amount: p.amount,
        metadata: p.metadata,
        reason: p.reason,
      },
      context,
    );
    if (!result.ok) return result.reply;
    return { ...ok(snapshot(result.refund)), events: result.events };
  }

  function createPortalSession(form: FormTree): ApiReply {
    const parsed = portalSessionCreateInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    const p = parsed.data;
    if (p.customer === undefined)
      return invalid(
        "Missing required param: customer.",
        "customer",
        "parameter_missing",
      );
    if (!customers.has(p.customer))
      return noSuch("customer", p.customer, "customer", 400);
    if (p.return_url !== undefined && !URL.canParse(p.return_url))
      return invalid("Not a valid URL", "return_url", "url_invalid");
    const id = newId("bps");
    const session: Stripe.BillingPortal.Session = {
      id,
      object: "billing_portal.session",
      configuration: "bpc_test_default",
      created: nowSeconds(),
      customer: p.customer,
      customer_account: null,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: p.return_url ?? null,
      url: `${baseUrl}/billing/${id}`,
    };
    portalSessions.set(id, session);
    return ok(snapshot(session));
  }

  function retrieveSimple(
    form: FormTree,
    found: object | undefined,
    kind: string,
    id: string,
  ): ApiReply {
    const parsed = retrieveInput.safeParse(form);
    if (!parsed.success) return formError(parsed.error.issues, form);
    if (parsed.data.expand?.length)
      return invalid(
        `This property cannot be expanded (${parsed.data.expand[0] ?? ""}).`,
        "expand",
      );
    return found ? ok(snapshot(found)) : noSuch(kind, id, "id", 404);
  }

  // ---- Hosted pages ----

  async function page(method: string, url: URL): Promise<PageReply> {
    const path = url.pathname.replace(/\/+$/, "");
    const checkout =
      /^\/checkout\/([^/]+)(?:\/(pay|pay-async|fail|cancel))?$/.exec(path);
    if (checkout) {
      const [, id = "", action] = checkout;
      const record = sessions.get(id);
      if (!record) return notFoundPage();
      if (method === "GET" && action === undefined) return checkoutPage(record);
      if (method !== "POST" || action === undefined) return notFoundPage();
      const s = record.session;
      if (action === "cancel")
        return s.status === "open" && s.cancel_url
          ? { status: 303, location: s.cancel_url }
          : checkoutPage(record, 409);
      if (s.status !== "open") return checkoutPage(record, 409);
      if (action === "pay")
        await completeSession(id, { paymentStatus: "paid" });
      if (action === "pay-async") {
        await completeSession(id, { paymentStatus: "unpaid" });
        await succeedAsyncPayment(id);
      }
      if (action === "fail") {
        await completeSession(id, { paymentStatus: "unpaid" });
        await failAsyncPayment(id);
      }
      return {
        status: 303,
        location: (s.success_url ?? baseUrl).replaceAll(
          "{CHECKOUT_SESSION_ID}",
          id,
        ),
      };
    }
    const billing =
      /^\/billing\/([^/]+)(?:\/subscriptions\/([^/]+)\/cancel)?$/.exec(path);
    if (billing) {
      const [, id = "", subscriptionId] = billing;
      const portal = portalSessions.get(id);
      if (!portal) return notFoundPage();
      if (method === "GET" && subscriptionId === undefined)
        return billingPage(
          portal,
          [...subscriptions.values()].filter(
            (sub) => idOf(sub.customer) === portal.customer,
          ),
          productName,
        );
      const subscription = subscriptions.get(subscriptionId ?? "");
      if (
        method !== "POST" ||
        !subscription ||
        idOf(subscription.customer) !== portal.customer
      )
        return notFoundPage();
      if (
        subscription.status !== "canceled" &&
        !subscription.cancel_at_period_end
      )
        await emit(cancelAtPeriodEndState(subscription));
      return { status: 303, location: `${baseUrl}/billing/${id}` };
    }
    const invoice = /^\/invoice\/([^/]+)$/.exec(path);
    if (invoice && method === "GET") {
      const found = invoices.get(invoice[1] ?? "");
      return found ? invoicePage(found) : notFoundPage();
    }
    return notFoundPage();
  }

  const productName = (price: Stripe.Price) =>
    products.get(String(price.product))?.name ?? price.id;

  function invoiceLineDescription(price: Stripe.Price, quantity: number) {
    const name = productName(price);
    const unit = formatMoney(price.unit_amount ?? 0, price.currency);
    const per = price.recurring ? ` / ${price.recurring.interval}` : "";
    return `${quantity} × ${name} (at ${unit}${per})`;
  }

  // ---- Server ----

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      if (url.pathname.startsWith("/v1/")) return handleApi(req, res, url, raw);
      void page(req.method ?? "GET", url)
        .then((reply) => {
          if ("location" in reply) {
            res.writeHead(303, { Location: reply.location });
            res.end();
          } else {
            res.writeHead(reply.status, {
              "Content-Type": "text/html; charset=utf-8",
            });
            res.end(reply.html);
          }
        })
        .catch((error: unknown) => {
          res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
          res.end(
            error instanceof Error ? error.message : "fake stripe failed",
          );
        });
    });
  });

  function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    raw: string,
  ) {
    const context: RequestContext = {
      requestId: newId("req").replace("_test", ""),
      idempotencyKey: header(req, "idempotency-key") ?? null,
    };
    const record: FakeRequest = {
      method: req.method ?? "",
      path: url.pathname,
      idempotencyKey: context.idempotencyKey,
      status: 0,
    };
    requests.push(record);
    const fault = faults.shift();
    if (fault === "drop") {
      req.socket.destroy();
      return;
    }
    let reply: ApiReply;
    try {
      reply =
        fault === undefined ? api(req, url, raw, context) : faultReply(fault);
    } catch (error) {
      // A bug in the fake answers like Stripe's own 500 instead of taking the test run down.
      reply = stripeError(500, {
        type: "api_error",
        message: error instanceof Error ? error.message : String(error),
      });
    }
    record.status = reply.status;
    res.writeHead(reply.status, {
      "Content-Type": "application/json",
      "Request-Id": context.requestId,
      "Stripe-Version": API_VERSION,
      ...(context.idempotencyKey !== null && {
        "Idempotency-Key": context.idempotencyKey,
      }),
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body, null, 2));
    // Stripe sends webhooks after answering; a caller waiting on them inside a transaction would deadlock.
    if (reply.events) void emit(reply.events);
  }

  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  // ---- Test controls ----

  const completeSession: FakeStripe["completeSession"] = async (
    id,
    opts = {},
  ) => emit(completeState(id, opts.paymentStatus ?? "paid"));
  const succeedAsyncPayment: FakeStripe["succeedAsyncPayment"] = async (id) =>
    emit(succeedAsyncState(id));
  const failAsyncPayment: FakeStripe["failAsyncPayment"] = async (id) =>
    emit(failAsyncState(id));

  return {
    url: baseUrl,
    requests,
    deliveries,
    events: eventLog,
    completeSession,
    succeedAsyncPayment,
    failAsyncPayment,
    expireSession: async (id) => {
      const record = requireSession(id);
      if (record.session.status !== "open")
        throw new Error(
          `fake stripe: checkout session ${id} is ${record.session.status}`,
        );
      return emit(expireState(id, null));
    },
    refund: async (paymentIntentId, amount) => {
      const result = refundState(
        { paymentIntent: paymentIntentId, amount },
        null,
      );
      if (!result.ok) {
        const body = result.reply.body as { error: { message: string } };
        throw new Error(`fake stripe: ${body.error.message}`);
      }
      return emit(result.events);
    },
    renewSubscription: async (id) => emit(renewState(id)),
    failRenewal: async (id) => emit(failRenewalState(id)),
    cancelSubscription: async (id) => emit(cancelState(id)),
    deliver,
    signedRequest,
    failNext: (kind, count = 1) => {
      for (let i = 0; i < count; i++) faults.push(kind);
    },
    getSession: (id) => {
      const record = sessions.get(id);
      return record ? snapshot(record.session) : null;
    },
    getSubscription: (id) => {
      const found = subscriptions.get(id);
      return found ? snapshot(found) : null;
    },
    setWebhookUrl: (next) => {
      webhookUrl = next;
    },
    setDelivery: (on) => {
      deliveryOverride = on;
    },
    idle: async () => {
      await tail;
    },
    close: async () => {
      closing.abort();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- Creating a Checkout Session ----

/** Refusals that depend on the parameters alone, in roughly the order Stripe checks them. */
function sessionParamsProblem(
  p: SessionCreateInput,
  t: number,
): ApiReply | null {
  if (p.mode === undefined)
    return invalid(
      "Missing required param: mode.",
      "mode",
      "parameter_missing",
    );
  if (p.mode === "setup")
    return invalid(
      "This stand-in models `payment` and `subscription` mode only.",
      "mode",
    );
  const mode = p.mode;
  if (p.ui_mode !== undefined && p.ui_mode !== "hosted_page")
    return invalid(
      "This stand-in models `ui_mode: hosted_page` only.",
      "ui_mode",
    );
  // Stripe makes these optional; the portal always sends both, so their absence is a bug.
  for (const name of ["success_url", "cancel_url"] as const) {
    const value = p[name];
    if (value === undefined)
      return invalid(
        `Missing required param: ${name}.`,
        name,
        "parameter_missing",
      );
    if (!/^https?:\/\//i.test(value) || !URL.canParse(value))
      return invalid("Not a valid URL", name, "url_invalid");
  }
  if (p.customer !== undefined && p.customer_email !== undefined)
    return invalid(
      "You may only specify one of these parameters: customer, customer_email.",
      "customer_email",
    );
  if (p.customer_creation !== undefined && mode === "subscription")
    return invalid(
      "`customer_creation` can only be used in `payment` and `setup` mode.",
      "customer_creation",
    );
  if (p.customer_creation !== undefined && p.customer !== undefined)
    return invalid(
      "You may only specify one of these parameters: customer, customer_creation.",
      "customer_creation",
    );
  if (p.payment_intent_data !== undefined && mode !== "payment")
    return invalid(
      `You can not pass \`payment_intent_data\` in \`${mode}\` mode.`,
      "payment_intent_data",
    );
  if (p.subscription_data !== undefined && mode !== "subscription")
    return invalid(
      `You can not pass \`subscription_data\` in \`${mode}\` mode.`,
      "subscription_data",
    );
  if (p.client_reference_id !== undefined && p.client_reference_id.length > 200)
    return invalid(
      "client_reference_id must be at most 200 characters.",
      "client_reference_id",
    );
  if (
    p.expires_at !== undefined &&
    (p.expires_at < t + 30 * 60 || p.expires_at > t + DAY)
  )
    return invalid(
      "The `expires_at` timestamp must be between 30 minutes and 24 hours after the Checkout Session is created.",
      "expires_at",
    );
  const badExpand = (p.expand ?? []).find(
    (e) => !SESSION_EXPANDABLE.includes(e),
  );
  if (badExpand !== undefined)
    return invalid(
      `This property cannot be expanded (${badExpand}).`,
      "expand",
    );
  return null;
}

/** Checks each line item and notes what it will cost; nothing is created yet. */
function planLineItems(
  items: SessionCreateInput["line_items"] & object,
  lookup: {
    price: (id: string) => Stripe.Price | undefined;
    hasProduct: (id: string) => boolean;
  },
): PlannedItem[] | ApiReply {
  const planned: PlannedItem[] = [];
  for (const [index, item] of items.entries()) {
    const param = `line_items[${index}]`;
    if (item.price !== undefined && item.price_data !== undefined)
      return invalid(
        "You may only specify one of these parameters: price, price_data.",
        param,
      );
    if (item.quantity === undefined)
      return invalid(
        `Quantity is required. Add \`quantity\` to \`${param}\``,
        `${param}[quantity]`,
        "parameter_missing",
      );
    if (item.quantity < 1)
      return invalid(
        "This value must be greater than or equal to 1.",
        `${param}[quantity]`,
      );
    const common = {
      quantity: item.quantity,
      metadata: { ...item.metadata },
    };
    if (item.price !== undefined) {
      const price = lookup.price(item.price);
      if (!price) return noSuch("price", item.price, `${param}[price]`, 400);
      planned.push({
        ...common,
        source: { price },
        currency: price.currency,
        recurring: price.recurring && {
          interval: price.recurring.interval,
          count: price.recurring.interval_count,
        },
      });
      continue;
    }
    const data = item.price_data;
    if (data === undefined)
      return invalid(
        `You must specify either \`price\` or \`price_data\` in \`${param}\`.`,
        param,
      );
    const problem = priceDataProblem(data, `${param}[price_data]`);
    if (problem) return problem;
    if (data.product !== undefined && !lookup.hasProduct(data.product))
      return noSuch(
        "product",
        data.product,
        `${param}[price_data][product]`,
        400,
      );
    planned.push({
      ...common,
      source: { data },
      currency: data.currency.toLowerCase(),
      recurring: data.recurring
        ? {
            interval: data.recurring.interval,
            count: data.recurring.interval_count ?? 1,
          }
        : null,
    });
  }
  return planned;
}

function priceDataProblem(
  data: PriceDataInput,
  param: string,
): ApiReply | null {
  if (!/^[a-z]{3}$/i.test(data.currency))
    return invalid(`Invalid currency: ${data.currency}`, `${param}[currency]`);
  if (data.unit_amount !== undefined && data.unit_amount_decimal !== undefined)
    return invalid(
      "You may only specify one of these parameters: unit_amount, unit_amount_decimal.",
      `${param}[unit_amount]`,
    );
  const amount =
    data.unit_amount ??
    (data.unit_amount_decimal === undefined
      ? undefined
      : Number(data.unit_amount_decimal));
  if (amount === undefined)
    return invalid(
      `Missing required param: ${param}[unit_amount].`,
      `${param}[unit_amount]`,
      "parameter_missing",
    );
  if (amount < 0)
    return invalid(
      "This value must be greater than or equal to 0.",
      `${param}[unit_amount]`,
    );
  if (amount > MAX_UNIT_AMOUNT)
    return invalid(
      `This value must be less than or equal to ${MAX_UNIT_AMOUNT}.`,
      `${param}[unit_amount]`,
    );
  if (data.product !== undefined && data.product_data !== undefined)
    return invalid(
      "You may only specify one of these parameters: product, product_data.",
      `${param}[product_data]`,
    );
  if (data.product === undefined && data.product_data === undefined)
    return invalid(
      `Missing required param: ${param}[product_data].`,
      `${param}[product_data]`,
      "parameter_missing",
    );
  if (
    data.recurring?.interval_count !== undefined &&
    data.recurring.interval_count < 1
  )
    return invalid(
      "This value must be greater than or equal to 1.",
      `${param}[recurring][interval_count]`,
    );
  return null;
}

/** Refusals about the items together: currencies, recurring intervals, counts, the minimum charge. */
function lineItemsProblem(
  planned: PlannedItem[],
  mode: "payment" | "subscription",
  automaticTax: boolean,
): ApiReply | null {
  if (new Set(planned.map((item) => item.currency)).size > 1)
    return invalid("Line items must all have the same currency.", "line_items");
  const recurringItems = planned.filter((item) => item.recurring);
  const firstRecurring = recurringItems[0]?.recurring;
  if (mode === "payment") {
    const index = planned.findIndex((item) => item.recurring);
    if (index >= 0)
      return invalid(
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        `line_items[${index}]`,
      );
    if (planned.length > 100)
      return invalid(
        "A Checkout Session can have at most 100 line items.",
        "line_items",
      );
  } else {
    if (!firstRecurring)
      return invalid(
        "You must provide at least one recurring price in `subscription` mode when using prices.",
        "line_items",
      );
    const mixed = recurringItems.some(
      (item) =>
        item.recurring?.interval !== firstRecurring.interval ||
        item.recurring.count !== firstRecurring.count,
    );
    if (mixed)
      return invalid(
        "Checkout does not support multiple prices with different billing intervals in one subscription.",
        "line_items",
      );
    if (
      recurringItems.length > 20 ||
      planned.length - recurringItems.length > 20
    )
      return invalid(
        "In `subscription` mode a Checkout Session can have at most 20 recurring and 20 one-time line items.",
        "line_items",
      );
  }
  const currency = planned[0]?.currency ?? "eur";
  const total = sum(
    planned.map(
      (item) =>
        lineAmounts(plannedPrice(item), item.quantity, automaticTax).total,
    ),
  );
  const minimum = MINIMUM_CHARGE[currency] ?? 50;
  if (mode === "payment" && !ZERO_DECIMAL.has(currency) && total < minimum)
    return invalid(
      `The Checkout Session's total amount due must add up to at least ${formatMoney(minimum, currency)}`,
      "line_items",
    );
  return null;
}

function lineItemObject(
  price: Stripe.Price,
  item: PlannedItem,
  automaticTax: boolean,
  productName: string | null,
): Stripe.LineItem {
  const amounts = lineAmounts(price, item.quantity, automaticTax);
  return {
    id: newId("li"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amounts.subtotal,
    amount_tax: amounts.tax,
    amount_total: amounts.total,
    currency: price.currency,
    description: productName,
    metadata: item.metadata,
    price,
    quantity: item.quantity,
  };
}

function sessionObject(s: {
  id: string;
  created: number;
  baseUrl: string;
  mode: "payment" | "subscription";
  params: SessionCreateInput;
  lineItems: Stripe.LineItem[];
  automaticTax: boolean;
}): Stripe.Checkout.Session {
  const p = s.params;
  return {
    id: s.id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: p.allow_promotion_codes ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: sum(s.lineItems.map((li) => li.amount_subtotal)),
    amount_total: sum(s.lineItems.map((li) => li.amount_total)),
    automatic_tax: {
      enabled: s.automaticTax,
      liability: s.automaticTax ? { type: "self" } : null,
      provider: s.automaticTax ? "stripe" : null,
      status: s.automaticTax ? "complete" : null,
    },
    billing_address_collection: p.billing_address_collection ?? null,
    cancel_url: p.cancel_url ?? null,
    client_reference_id: p.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: s.created,
    currency: s.lineItems[0]?.currency ?? null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: p.customer ?? null,
    customer_account: null,
    customer_creation:
      s.mode === "payment"
        ? (p.customer_creation ?? (p.customer ? null : "if_required"))
        : null,
    customer_details: p.customer_email
      ? {
          address: null,
          business_name: null,
          email: p.customer_email,
          individual_name: null,
          name: null,
          phone: null,
          tax_exempt: "none",
          tax_ids: null,
        }
      : null,
    customer_email: p.customer_email ?? null,
    discounts: [],
    expires_at: p.expires_at ?? s.created + DAY,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: p.locale ?? null,
    managed_payments: null,
    metadata: { ...p.metadata },
    mode: s.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card", "sepa_debit"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: p.success_url ?? null,
    total_details: {
      amount_discount: 0,
      amount_shipping: 0,
      amount_tax: sum(s.lineItems.map((li) => li.amount_tax)),
    },
    ui_mode: "hosted_page",
    url: `${s.baseUrl}/checkout/${s.id}`,
    wallet_options: null,
  };
}

// ---- Stripe objects, shaped like the pinned API version's types ----

function customerObject(
  email: string | null,
  created: number,
): Stripe.Customer {
  return {
    id: newId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    email,
    invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: DEFAULT_NAME,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

function priceObject(
  data: PriceDataInput,
  productId: string,
  created: number,
): Stripe.Price {
  const unit =
    data.unit_amount ??
    (data.unit_amount_decimal === undefined
      ? null
      : Math.round(Number(data.unit_amount_decimal)));
  return {
    id: newId("price"),
    object: "price",
    active: false,
    billing_scheme: "per_unit",
    created,
    currency: data.currency.toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: productId,
    recurring: data.recurring
      ? {
          interval: data.recurring.interval,
          interval_count: data.recurring.interval_count ?? 1,
          meter: null,
          trial_period_days: null,
          usage_type: "licensed",
        }
      : null,
    tax_behavior: data.tax_behavior ?? "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: data.recurring ? "recurring" : "one_time",
    unit_amount: unit,
    unit_amount_decimal: Stripe.Decimal.from(
      data.unit_amount_decimal ?? String(unit ?? 0),
    ),
  };
}

type ChargeInput = {
  amount: number;
  currency: string;
  customer: string | null;
  email: string;
  metadata: Stripe.Metadata;
  status: "succeeded" | "pending";
};

function chargeObject(p: ChargeInput, created: number): Stripe.Charge {
  return {
    id: newId("ch"),
    object: "charge",
    amount: p.amount,
    amount_captured: p.status === "succeeded" ? p.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: p.status === "succeeded" ? newId("txn") : null,
    billing_details: {
      address: null,
      email: p.email,
      name: DEFAULT_NAME,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: "PORTICO",
    captured: p.status === "succeeded",
    created,
    currency: p.currency,
    customer: p.customer,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...p.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      risk_score: 20,
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: p.status === "succeeded",
    payment_intent: newId("pi"),
    payment_method: newId("pm"),
    payment_method_details: null,
    receipt_email: p.email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: p.status,
    transfer_data: null,
    transfer_group: null,
  };
}

function subscriptionItem(
  subscriptionId: string,
  price: Stripe.Price,
  quantity: number,
  start: number,
  end: number,
): Stripe.SubscriptionItem {
  const recurring = price.recurring;
  return {
    id: newId("si"),
    object: "subscription_item",
    billing_thresholds: null,
    created: start,
    current_period_end: end,
    current_period_start: start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: {
      id: price.id,
      object: "plan",
      active: true,
      amount: price.unit_amount,
      amount_decimal: price.unit_amount_decimal,
      billing_scheme: "per_unit",
      created: price.created,
      currency: price.currency,
      interval: recurring?.interval ?? "month",
      interval_count: recurring?.interval_count ?? 1,
      livemode: false,
      metadata: {},
      meter: null,
      nickname: null,
      product: price.product,
      tiers_mode: null,
      transform_usage: null,
      trial_period_days: null,
      usage_type: "licensed",
    },
    price,
    quantity,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

type InvoiceLineInput = {
  price: Stripe.Price;
  quantity: number;
  period: Stripe.InvoiceLineItem.Period;
  parent: Stripe.InvoiceLineItem.Parent;
};

function invoiceObject(p: {
  id: string;
  number: string;
  created: number;
  baseUrl: string;
  subscription: Stripe.Subscription;
  customer: Stripe.Customer | undefined;
  automaticTax: boolean;
  billingReason: "subscription_create" | "subscription_cycle";
  lines: (InvoiceLineInput & { description: string })[];
  periodStart: number;
  periodEnd: number;
  paid: boolean;
}): Stripe.Invoice {
  const { automaticTax, customer, id, created: t } = p;
  const customerId = idOf(p.subscription.customer);
  const lines: Stripe.InvoiceLineItem[] = p.lines.map((line) => {
    const amounts = lineAmounts(line.price, line.quantity, automaticTax);
    return {
      id: newId("il"),
      object: "line_item",
      amount: amounts.subtotal,
      currency: line.price.currency,
      description: line.description,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: {},
      parent: line.parent,
      period: line.period,
      pretax_credit_amounts: [],
      pricing: {
        type: "price_details",
        price_details: {
          price: line.price.id,
          product: String(line.price.product),
        },
        unit_amount_decimal: line.price.unit_amount_decimal,
      },
      quantity: line.quantity,
      quantity_decimal: Stripe.Decimal.from(String(line.quantity)),
      subscription: p.subscription.id,
      subtotal: amounts.subtotal,
      taxes: automaticTax
        ? [
            {
              amount: amounts.tax,
              tax_behavior: amounts.inclusive ? "inclusive" : "exclusive",
              tax_rate_details: null,
              taxability_reason: "standard_rated",
              taxable_amount:
                amounts.subtotal - (amounts.inclusive ? amounts.tax : 0),
              type: "tax_rate_details",
            },
          ]
        : [],
    };
  });
  const totals = p.lines.map((l) =>
    lineAmounts(l.price, l.quantity, automaticTax),
  );
  const subtotal = sum(totals.map((a) => a.subtotal));
  const tax = sum(totals.map((a) => a.tax));
  const inclusiveTax = sum(totals.map((a) => (a.inclusive ? a.tax : 0)));
  const total = sum(totals.map((a) => a.total));
  const invoice: Stripe.Invoice = {
    id,
    object: "invoice",
    account_country: "DE",
    account_name: "Portico (fake Stripe)",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: p.paid ? total : 0,
    amount_remaining: p.paid ? 0 : total,
    amount_shipping: 0,
    application: null,
    attempt_count: p.paid ? 1 : 0,
    attempted: p.paid,
    automatic_tax: {
      disabled_reason: null,
      enabled: automaticTax,
      liability: automaticTax ? { type: "self" } : null,
      provider: automaticTax ? "stripe" : null,
      status: automaticTax ? "complete" : null,
    },
    automatically_finalizes_at: null,
    billing_reason: p.billingReason,
    collection_method: "charge_automatically",
    created: t,
    currency: p.subscription.currency,
    custom_fields: null,
    customer: customerId,
    customer_account: null,
    customer_address: null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: t,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${p.baseUrl}/invoice/${id}`,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: "list",
      data: lines,
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: p.number,
    on_behalf_of: null,
    // This API version names the subscription only here, never as a top-level `subscription`.
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: {
        subscription: p.subscription.id,
        metadata: { ...p.subscription.metadata },
      },
    },
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: p.periodEnd,
    period_start: p.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: p.paid ? "paid" : "open",
    status_transitions: {
      finalized_at: t,
      marked_uncollectible_at: null,
      paid_at: p.paid ? t : null,
      voided_at: null,
    },
    subtotal,
    subtotal_excluding_tax: subtotal - inclusiveTax,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total - tax,
    total_pretax_credit_amounts: [],
    total_taxes: automaticTax
      ? [
          {
            amount: tax,
            tax_behavior: inclusiveTax === tax ? "inclusive" : "exclusive",
            tax_rate_details: null,
            taxability_reason: "standard_rated",
            taxable_amount: subtotal - inclusiveTax,
            type: "tax_rate_details",
          },
        ]
      : [],
    webhooks_delivered_at: t,
  };
  return invoice;
}

function subscriptionObject(p: {
  id: string;
  created: number;
  currency: string;
  customer: string;
  items: Stripe.SubscriptionItem[];
  metadata: Stripe.Metadata;
  automaticTax: boolean;
  paid: boolean;
}): Stripe.Subscription {
  return {
    id: p.id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: {
      disabled_reason: null,
      enabled: p.automaticTax,
      liability: p.automaticTax ? { type: "self" } : null,
    },
    billing_cycle_anchor: p.created,
    billing_cycle_anchor_config: null,
    billing_mode: {
      flexible: { proration_discounts: "included" },
      type: "flexible",
      updated_at: p.created,
    },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: null,
    },
    collection_method: "charge_automatically",
    created: p.created,
    currency: p.currency,
    customer: p.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: newId("pm"),
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: {
      object: "list",
      data: p.items,
      has_more: false,
      url: `/v1/subscription_items?subscription=${p.id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...p.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: "off",
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: p.created,
    // A delayed payment leaves the first invoice open and the subscription incomplete.
    status: p.paid ? "active" : "incomplete",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: null,
    trial_start: null,
  };
}

function eventObject<T extends EventType>(
  type: T,
  object: EventObject<T>,
  request: RequestContext | null,
  created: number,
  previous?: Partial<EventObject<T>>,
): Stripe.Event {
  const event = {
    id: newId("evt"),
    object: "event",
    api_version: API_VERSION,
    created,
    // The object as it was when the event happened, not a live reference.
    data: {
      object: snapshot(object),
      ...(previous && { previous_attributes: snapshot(previous) }),
    },
    livemode: false,
    pending_webhooks: 1,
    request: {
      id: request?.requestId ?? null,
      idempotency_key: request?.idempotencyKey ?? null,
    },
    type,
  };
  return event as unknown as Stripe.Event;
}

// ---- Request bodies: Stripe's bracket-encoded forms ----

type FormNode = string | FormTree;
type FormTree = { [key: string]: FormNode };

/** `a[b][0]=x&a[c][]=y` → `{ a: { b: { "0": "x" }, c: { "0": "y" } } }`; arrays stay index-keyed. */
function parseForm(
  text: string,
): { ok: true; value: FormTree } | { ok: false; param: string } {
  // Null-prototype records, so a key like `__proto__` is plain data.
  const root: FormTree = Object.create(null) as FormTree;
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) return { ok: false, param: rawKey };
    const keys = [
      match[1] ?? "",
      ...[...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map(
        (m) => m[1] ?? "",
      ),
    ];
    let node = root;
    for (const [i, part] of keys.entries()) {
      const key = part === "" ? String(Object.keys(node).length) : part;
      if (i === keys.length - 1) {
        if (typeof node[key] === "object") return { ok: false, param: rawKey };
        node[key] = value;
        break;
      }
      const child = node[key];
      if (typeof child === "string") return { ok: false, param: rawKey };
      const next = child ?? (Object.create(null) as FormTree);
      node[key] = next;
      node = next;
    }
  }
  return { ok: true, value: root };
}

const HASH = { error: "Invalid hash" };
const text = z.string({ error: "Invalid string" });
const integer = text.regex(/^-?\d+$/, "Invalid integer").transform(Number);
const decimal = text.regex(/^\d+(\.\d{1,12})?$/, "Invalid decimal");
const boolean = text
  .regex(/^(true|false)$/, "Invalid boolean")
  .transform((v) => v === "true");
/** A real Stripe parameter the fake accepts and ignores (it changes nothing the fake models). */
const ignored = z.custom<FormNode>(() => true).optional();
/** A real Stripe parameter whose effect the fake does not model: refused rather than silently wrong. */
const unmodelled = z
  .custom<never>(() => false, { error: UNMODELLED })
  .optional();

function list<T extends z.ZodType>(item: T) {
  return z
    .record(z.string().regex(/^\d+$/), item, { error: "Invalid array" })
    .transform((r) =>
      Object.entries(r)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, v]) => v),
    );
}

const metadata = z.preprocess(
  (v) => (v === "" ? {} : v),
  z
    .record(z.string(), text, { error: "Invalid hash" })
    .superRefine((m, ctx) => {
      const entries = Object.entries(m);
      if (entries.length > 50)
        ctx.addIssue({
          code: "custom",
          message: `Invalid metadata: metadata can have up to 50 keys, but you passed in ${entries.length} keys.`,
        });
      for (const [key, value] of entries) {
        if (key.length > 40)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message:
              "Invalid metadata: keys can be at most 40 characters long.",
          });
        if (value.length > 500)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message:
              "Invalid metadata: values can be at most 500 characters long.",
          });
      }
    }),
);

const priceDataInput = z.strictObject(
  {
    currency: text,
    product: text.optional(),
    product_data: z
      .strictObject(
        {
          description: text.optional(),
          images: list(text).optional(),
          metadata: metadata.optional(),
          name: text,
          tax_code: text.optional(),
          tax_details: ignored,
          unit_label: text.optional(),
        },
        HASH,
      )
      .optional(),
    recurring: z
      .strictObject(
        {
          interval: z.enum(["day", "week", "month", "year"]),
          interval_count: integer.optional(),
        },
        HASH,
      )
      .optional(),
    tax_behavior: z.enum(["exclusive", "inclusive", "unspecified"]).optional(),
    unit_amount: integer.optional(),
    unit_amount_decimal: decimal.optional(),
  },
  HASH,
);
type PriceDataInput = z.output<typeof priceDataInput>;

const sessionCreateInput = z.strictObject(
  {
    adaptive_pricing: ignored,
    after_expiration: ignored,
    allow_promotion_codes: boolean.optional(),
    allowed_payment_method_types: ignored,
    automatic_tax: z
      .strictObject({ enabled: boolean, liability: ignored }, HASH)
      .optional(),
    billing_address_collection: z.enum(["auto", "required"]).optional(),
    branding_settings: ignored,
    cancel_url: text.optional(),
    client_reference_id: text.optional(),
    consent_collection: ignored,
    currency: ignored,
    custom_fields: ignored,
    custom_text: ignored,
    customer: text.optional(),
    customer_account: unmodelled,
    customer_creation: z.enum(["always", "if_required"]).optional(),
    customer_email: text.optional(),
    customer_update: ignored,
    discounts: unmodelled,
    excluded_payment_method_types: ignored,
    expand: list(text).optional(),
    expires_at: integer.optional(),
    integration_identifier: ignored,
    invoice_creation: unmodelled,
    line_items: list(
      z.strictObject(
        {
          adjustable_quantity: unmodelled,
          metadata: metadata.optional(),
          price: text.optional(),
          price_data: priceDataInput.optional(),
          quantity: integer.optional(),
          tax_rates: unmodelled,
        },
        HASH,
      ),
    ).optional(),
    locale: text.optional(),
    managed_payments: unmodelled,
    metadata: metadata.optional(),
    mode: z.enum(["payment", "setup", "subscription"]).optional(),
    name_collection: ignored,
    optional_items: unmodelled,
    origin_context: ignored,
    payment_intent_data: z
      .strictObject(
        {
          application_fee_amount: unmodelled,
          capture_method: unmodelled,
          description: text.optional(),
          metadata: metadata.optional(),
          on_behalf_of: unmodelled,
          receipt_email: text.optional(),
          setup_future_usage: ignored,
          shipping: ignored,
          statement_descriptor: text.optional(),
          statement_descriptor_suffix: text.optional(),
          transfer_data: unmodelled,
          transfer_group: ignored,
        },
        HASH,
      )
      .optional(),
    payment_method_collection: ignored,
    payment_method_configuration: ignored,
    payment_method_data: ignored,
    payment_method_options: ignored,
    permissions: ignored,
    phone_number_collection: ignored,
    redirect_on_completion: ignored,
    return_url: ignored,
    saved_payment_method_options: ignored,
    setup_intent_data: unmodelled,
    shipping_address_collection: ignored,
    shipping_options: unmodelled,
    submit_type: ignored,
    subscription_data: z
      .strictObject(
        {
          application_fee_percent: unmodelled,
          billing_cycle_anchor: unmodelled,
          billing_cycle_anchor_config: unmodelled,
          billing_mode: ignored,
          default_tax_rates: unmodelled,
          description: text.optional(),
          invoice_settings: ignored,
          metadata: metadata.optional(),
          on_behalf_of: unmodelled,
          pending_invoice_item_interval: unmodelled,
          proration_behavior: ignored,
          transfer_data: unmodelled,
          trial_end: unmodelled,
          trial_period_days: unmodelled,
          trial_settings: unmodelled,
        },
        HASH,
      )
      .optional(),
    success_url: text.optional(),
    tax_id_collection: ignored,
    ui_mode: z
      .enum(["elements", "embedded_page", "form", "hosted_page"])
      .optional(),
    wallet_options: ignored,
  },
  HASH,
);

type SessionCreateInput = z.output<typeof sessionCreateInput>;

const retrieveInput = z.strictObject({ expand: list(text).optional() }, HASH);
const listInput = z.strictObject(
  {
    ending_before: unmodelled,
    expand: list(text).optional(),
    limit: integer.optional(),
    starting_after: text.optional(),
  },
  HASH,
);
const refundCreateInput = z.strictObject(
  {
    amount: integer.optional(),
    charge: text.optional(),
    currency: ignored,
    customer: unmodelled,
    expand: list(text).optional(),
    instructions_email: ignored,
    metadata: metadata.optional(),
    origin: unmodelled,
    payment_intent: text.optional(),
    reason: z
      .enum(["duplicate", "fraudulent", "requested_by_customer"])
      .optional(),
    refund_application_fee: ignored,
    reverse_transfer: ignored,
  },
  HASH,
);
const portalSessionCreateInput = z.strictObject(
  {
    after_expiration: ignored,
    configuration: ignored,
    customer: text.optional(),
    customer_account: unmodelled,
    expand: list(text).optional(),
    flow_data: unmodelled,
    locale: text.optional(),
    on_behalf_of: ignored,
    return_url: text.optional(),
  },
  HASH,
);

/** Stripe's answer to the first problem zod found, with `param` in bracket form. */
function formError(
  issues: readonly z.core.$ZodIssue[],
  input: FormTree,
): ApiReply {
  const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
  if (!issue) return invalid("Invalid request.");
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...path, issue.keys[0] ?? ""]);
    return invalid(
      `Received unknown parameter: ${param}`,
      param,
      "parameter_unknown",
    );
  }
  if (issue.code === "invalid_key") {
    const param = paramName(path.slice(0, -1));
    return invalid("Invalid array", param);
  }
  const param = paramName(path);
  const value = valueAt(input, path);
  if (issue.message === UNMODELLED)
    return invalid(
      `The fake Stripe does not model \`${param}\`; extend it before relying on this parameter.`,
      param,
    );
  if (value === undefined)
    return invalid(
      `Missing required param: ${param}.`,
      param,
      "parameter_missing",
    );
  if (issue.code === "invalid_value")
    return invalid(
      `Invalid ${path.at(-1) ?? param}: must be one of ${issue.values.map(String).join(", ")}`,
      param,
      "parameter_invalid_string",
    );
  if (issue.code === "custom") return invalid(issue.message, param);
  const code =
    issue.message === "Invalid integer"
      ? "parameter_invalid_integer"
      : undefined;
  return invalid(
    typeof value === "string" ? `${issue.message}: ${value}` : issue.message,
    param,
    code,
  );
}

function paramName(path: string[]): string {
  const [head = "", ...rest] = path;
  return head + rest.map((p) => `[${p}]`).join("");
}

function valueAt(tree: FormTree, path: string[]): FormNode | undefined {
  let node: FormNode | undefined = tree;
  for (const key of path) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[key];
  }
  return node;
}

// ---- Replies ----

function ok(body: unknown): ApiReply {
  return { status: 200, body };
}

function stripeError(
  status: number,
  detail: {
    type?: ErrorType;
    message: string;
    code?: string;
    param?: string;
    decline_code?: string;
  },
  headers?: Record<string, string>,
): ApiReply {
  return {
    status,
    headers,
    body: {
      error: {
        ...(detail.code !== undefined && {
          code: detail.code,
          doc_url: `https://stripe.com/docs/error-codes/${detail.code.replaceAll("_", "-")}`,
        }),
        ...(detail.decline_code !== undefined && {
          decline_code: detail.decline_code,
        }),
        message: detail.message,
        ...(detail.param !== undefined && { param: detail.param }),
        type: detail.type ?? "invalid_request_error",
      },
    },
  };
}

function invalid(message: string, param?: string, code?: string): ApiReply {
  return stripeError(400, { message, param, code });
}

/** A missing object: 404 when it is the URL's subject, 400 when a parameter names it. */
function noSuch(
  kind: string,
  id: string,
  param: string,
  status: 400 | 404,
): ApiReply {
  return stripeError(status, {
    message: `No such ${kind}: '${id}'`,
    param,
    code: "resource_missing",
  });
}

function faultReply(kind: Exclude<FailKind, "drop">): ApiReply {
  switch (kind) {
    case 401:
      return stripeError(401, {
        message: "Invalid API Key provided: sk_test_****",
      });
    case 402:
      return stripeError(402, {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        message: "Your card was declined.",
      });
    case 429:
      return stripeError(429, {
        code: "rate_limit",
        message:
          "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
      });
    case 500:
      return stripeError(500, {
        type: "api_error",
        message: "An unknown error occurred",
      });
    case "500-should-retry-false":
      return stripeError(
        500,
        { type: "api_error", message: "An unknown error occurred" },
        { "Stripe-Should-Retry": "false" },
      );
  }
}

// ---- Hosted pages ----

function checkoutPage(record: SessionRecord, status = 200): PageReply {
  const s = record.session;
  const currency = s.currency ?? "eur";
  const rows = record.lineItems
    .map((li) => {
      const recurring = li.price?.recurring;
      const every = recurring
        ? ` <small>every ${recurring.interval_count === 1 ? "" : `${recurring.interval_count} `}${recurring.interval}${recurring.interval_count === 1 ? "" : "s"}</small>`
        : "";
      return `<tr><td>${escapeHtml(li.description ?? "")}${every}</td><td>${li.quantity ?? 1}</td><td>${formatMoney(li.amount_subtotal, currency)}</td></tr>`;
    })
    .join("");
  const tax = s.total_details?.amount_tax ?? 0;
  const body =
    s.status === "open"
      ? `${s.customer_email ? `<p>${escapeHtml(s.customer_email)}</p>` : ""}
<form method="post" action="/checkout/${s.id}/pay"><button type="submit">Pay</button></form>
<form method="post" action="/checkout/${s.id}/pay-async"><button type="submit">Pay later (bank debit)</button></form>
<form method="post" action="/checkout/${s.id}/fail"><button type="submit">Fail</button></form>
<form method="post" action="/checkout/${s.id}/cancel"><button type="submit">Cancel</button></form>`
      : `<p role="status">${s.status === "expired" ? "This Checkout Session has expired." : "This Checkout Session is complete."}</p>`;
  return {
    status,
    html: layout(
      "Checkout",
      `<h1>Checkout</h1>
<table><thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p>Subtotal: ${formatMoney(s.amount_subtotal ?? 0, currency)}</p>
${s.automatic_tax.enabled ? `<p>Tax: ${formatMoney(tax, currency)}</p>` : ""}
<p><strong>Total: ${formatMoney(s.amount_total ?? 0, currency)}</strong></p>
${body}`,
    ),
  };
}

function billingPage(
  portal: Stripe.BillingPortal.Session,
  subscriptions: Stripe.Subscription[],
  productName: (price: Stripe.Price) => string,
): PageReply {
  const list = subscriptions
    .map((sub) => {
      const end = sub.items.data[0]?.current_period_end ?? 0;
      const names = sub.items.data
        .map((item) => productName(item.price))
        .join(", ");
      const state =
        sub.status === "canceled"
          ? "Canceled"
          : sub.cancel_at_period_end
            ? `Cancels on ${isoDate(end)}`
            : `${sub.status === "active" ? "Renews" : `${sub.status}; next period`} on ${isoDate(end)}`;
      const button =
        sub.status !== "canceled" && !sub.cancel_at_period_end
          ? `<form method="post" action="/billing/${portal.id}/subscriptions/${sub.id}/cancel"><button type="submit">Cancel at period end</button></form>`
          : "";
      return `<li><strong>${escapeHtml(names)}</strong> · ${escapeHtml(state)}${button}</li>`;
    })
    .join("");
  const back = portal.return_url
    ? `<p><a href="${escapeHtml(portal.return_url)}">Back to the site</a></p>`
    : "";
  return {
    status: 200,
    html: layout(
      "Billing",
      `<h1>Billing</h1><ul>${list || "<li>No subscriptions.</li>"}</ul>${back}`,
    ),
  };
}

function invoicePage(invoice: Stripe.Invoice): PageReply {
  const rows = invoice.lines.data
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description ?? "")}</td><td>${formatMoney(line.amount, invoice.currency)}</td></tr>`,
    )
    .join("");
  return {
    status: 200,
    html: layout(
      `Invoice ${invoice.number ?? ""}`,
      `<h1>Invoice ${escapeHtml(invoice.number ?? "")}</h1><table><tbody>${rows}</tbody></table>
<p>Total: ${formatMoney(invoice.total, invoice.currency)} · ${escapeHtml(invoice.status ?? "")}</p>`,
    ),
  };
}

// ---- Small helpers ----

/** What a planned item will cost, before its Price exists. */
function plannedPrice(
  item: PlannedItem,
): Pick<Stripe.Price, "unit_amount" | "unit_amount_decimal" | "tax_behavior"> {
  if ("price" in item.source) return item.source.price;
  const data = item.source.data;
  return {
    unit_amount: data.unit_amount ?? null,
    unit_amount_decimal:
      data.unit_amount_decimal === undefined
        ? null
        : Stripe.Decimal.from(data.unit_amount_decimal),
    tax_behavior: data.tax_behavior ?? "unspecified",
  };
}

function lineAmounts(
  price: Pick<
    Stripe.Price,
    "unit_amount" | "unit_amount_decimal" | "tax_behavior"
  >,
  quantity: number,
  automaticTax: boolean,
) {
  const unit =
    price.unit_amount ??
    (price.unit_amount_decimal === null
      ? 0
      : Number(price.unit_amount_decimal.toString()));
  const subtotal = Math.round(unit * quantity);
  const inclusive = price.tax_behavior === "inclusive";
  if (!automaticTax) return { subtotal, tax: 0, total: subtotal, inclusive };
  if (inclusive) {
    const tax = subtotal - Math.round((subtotal * 100) / (100 + TAX_PERCENT));
    return { subtotal, tax, total: subtotal, inclusive };
  }
  const tax = Math.round((subtotal * TAX_PERCENT) / 100);
  return { subtotal, tax, total: subtotal + tax, inclusive };
}

function subscriptionItemParent(
  subscription: string,
  item: string,
): Stripe.InvoiceLineItem.Parent {
  return {
    type: "subscription_item_details",
    invoice_item_details: null,
    subscription_item_details: {
      invoice_item: null,
      proration: false,
      proration_details: { credited_items: null },
      subscription,
      subscription_item: item,
    },
  };
}

/** Calendar arithmetic in UTC; a month from 31 January is the last day of February. */
function addInterval(unix: number, interval: string, count: number): number {
  if (interval === "day") return unix + count * DAY;
  if (interval === "week") return unix + count * 7 * DAY;
  const months = interval === "year" ? 12 * count : count;
  const d = new Date(unix * 1000);
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ),
  );
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000);
}

function idOf(
  value: string | { id: string } | null | undefined,
): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function newId(prefix: string): string {
  return `${prefix}_test_${randomBytes(12).toString("hex")}`;
}

/** A JSON copy: what a caller sees on the wire, detached from the fake's state. */
function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function maskKey(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? "";
  return `${prefix}${"*".repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function formatMoney(amount: number, currency: string): string {
  const digits = ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
  try {
    return new Intl.NumberFormat("en", {
      style: "currency",
      currency: currency.toUpperCase(),
    }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

const isoDate = (unix: number) =>
  new Date(unix * 1000).toISOString().slice(0, 10);

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Fake Stripe</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.25rem}form{display:inline-block;margin:.25rem}</style>
</head><body>${body}</body></html>`;
}

function notFoundPage(): PageReply {
  return { status: 404, html: layout("Not found", "<h1>Not found</h1>") };
}
