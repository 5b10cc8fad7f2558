import type Stripe from "stripe";
import type { PriceDataInput } from "@/testing/stripe/forms";
import {
  customerObject,
  eventObject,
  newId,
  priceObject,
  chargeObject,
  type ChargeInput,
  type EventObject,
  type EventType,
  type RequestContext,
} from "@/testing/stripe/objects";
import type { ApiReply } from "@/testing/stripe/replies";

// The fake Stripe's memory: every object it has made, by id, and the clock its timestamps use.
// The resource modules (checkout-sessions, refunds, subscriptions) change it; nothing here speaks HTTP.

export type SessionRecord = {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  paymentIntentMetadata: Stripe.Metadata;
  subscriptionMetadata: Stripe.Metadata;
  /** A delayed (bank debit) payment still waiting for its outcome. */
  asyncOutcome: "pending" | "succeeded" | "failed" | null;
};

export type Store = {
  /** Clock for object timestamps, in milliseconds. */
  now: () => number;
  /** Where the fake listens; hosted pages and invoices link to it. Set once the server is up. */
  baseUrl: string;
  sessions: Map<string, SessionRecord>;
  products: Map<string, { name: string; metadata: Stripe.Metadata }>;
  prices: Map<string, Stripe.Price>;
  customers: Map<string, Stripe.Customer>;
  charges: Map<string, Stripe.Charge>;
  /** Payment intent id → charge id. */
  paymentIntents: Map<string, string>;
  refunds: Map<string, Stripe.Refund>;
  subscriptions: Map<string, Stripe.Subscription>;
  invoices: Map<string, Stripe.Invoice>;
  portalSessions: Map<string, Stripe.BillingPortal.Session>;
  /** Idempotency key → the first request's fingerprint and answer. */
  idempotency: Map<
    string,
    { fingerprint: string; reply: ApiReply; requestId: string }
  >;
  invoiceNumber: number;
};

export function createStore(now: () => number): Store {
  return {
    now,
    baseUrl: "",
    sessions: new Map(),
    products: new Map(),
    prices: new Map(),
    customers: new Map(),
    charges: new Map(),
    paymentIntents: new Map(),
    refunds: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    portalSessions: new Map(),
    idempotency: new Map(),
    invoiceNumber: 0,
  };
}

export const nowSeconds = (store: Store) => Math.floor(store.now() / 1000);

export function buildEvent<T extends EventType>(
  store: Store,
  type: T,
  object: EventObject<T>,
  request: RequestContext | null,
  previous?: Partial<EventObject<T>>,
): Stripe.Event {
  return eventObject(type, object, request, nowSeconds(store), previous);
}

export function createCustomer(
  store: Store,
  email: string | null,
): Stripe.Customer {
  const customer = customerObject(email, nowSeconds(store));
  store.customers.set(customer.id, customer);
  return customer;
}

/** The Price (and, without `product`, the Product) that `price_data` makes inline. */
export function createPrice(store: Store, data: PriceDataInput): Stripe.Price {
  let productId = data.product;
  if (productId === undefined) {
    productId = newId("prod");
    store.products.set(productId, {
      name: data.product_data?.name ?? "",
      metadata: { ...data.product_data?.metadata },
    });
  }
  const price = priceObject(data, productId, nowSeconds(store));
  store.prices.set(price.id, price);
  return price;
}

export function createCharge(store: Store, p: ChargeInput): Stripe.Charge {
  const charge = chargeObject(p, nowSeconds(store));
  store.charges.set(charge.id, charge);
  store.paymentIntents.set(String(charge.payment_intent), charge.id);
  return charge;
}

export function requireSession(store: Store, id: string): SessionRecord {
  const record = store.sessions.get(id);
  if (!record) throw new Error(`fake stripe: no checkout session ${id}`);
  return record;
}

export function requireSubscription(
  store: Store,
  id: string,
): Stripe.Subscription {
  const subscription = store.subscriptions.get(id);
  if (!subscription) throw new Error(`fake stripe: no subscription ${id}`);
  return subscription;
}

export const productName = (store: Store, price: Stripe.Price) =>
  store.products.get(String(price.product))?.name ?? price.id;
