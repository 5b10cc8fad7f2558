import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import type { PriceDataInput } from "@/testing/stripe/forms";
import { lineAmounts, sum } from "@/testing/stripe/money";

// Stripe's objects, shaped like the pinned API version's types, and the small helpers that make and
// copy them. Pure: the store (state.ts) decides when one is made and keeps it.

export type EventType = Stripe.Event["type"];
type EventOf<T extends EventType> = Extract<Stripe.Event, { type: T }>;
export type EventObject<T extends EventType> = EventOf<T>["data"]["object"];
/** The API request an event came from, if any. */
export type RequestContext = {
  requestId: string;
  idempotencyKey: string | null;
};

export const API_VERSION = Stripe.API_VERSION;
export const DEFAULT_NAME = "Test Buyer";
export const DAY = 86_400;

export function customerObject(
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

export function priceObject(
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

export type ChargeInput = {
  amount: number;
  currency: string;
  customer: string | null;
  email: string;
  metadata: Stripe.Metadata;
  status: "succeeded" | "pending";
};

export function chargeObject(p: ChargeInput, created: number): Stripe.Charge {
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

export function subscriptionItem(
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

export type InvoiceLineInput = {
  price: Stripe.Price;
  quantity: number;
  period: Stripe.InvoiceLineItem.Period;
  parent: Stripe.InvoiceLineItem.Parent;
};

export function invoiceObject(p: {
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

export function subscriptionObject(p: {
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

export function eventObject<T extends EventType>(
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

export function subscriptionItemParent(
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
export function addInterval(
  unix: number,
  interval: string,
  count: number,
): number {
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

export function idOf(
  value: string | { id: string } | null | undefined,
): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}

export function newId(prefix: string): string {
  return `${prefix}_test_${randomBytes(12).toString("hex")}`;
}

/** A JSON copy: what a caller sees on the wire, detached from the fake's state. */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
