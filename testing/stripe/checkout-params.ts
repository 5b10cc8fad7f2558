import Stripe from "stripe";
import type {
  PriceDataInput,
  SessionCreateInput,
} from "@/testing/stripe/forms";
import {
  ZERO_DECIMAL,
  formatMoney,
  lineAmounts,
  sum,
} from "@/testing/stripe/money";
import { DAY, newId } from "@/testing/stripe/objects";
import { invalid, noSuch, type ApiReply } from "@/testing/stripe/replies";

// Creating a Checkout Session: Stripe's refusals of its parameters and line items, in roughly the
// order Stripe checks them, and the Session and line-item objects a valid request makes.

export type PlannedItem = {
  source: { price: Stripe.Price } | { data: PriceDataInput };
  quantity: number;
  metadata: Stripe.Metadata;
  currency: string;
  recurring: { interval: string; count: number } | null;
};

const MAX_UNIT_AMOUNT = 99_999_999;
// Stripe's minimum charge is about 0.50 in most currencies; GBP's is 0.30.
const MINIMUM_CHARGE: Record<string, number> = { gbp: 30 };
export const SESSION_EXPANDABLE = [
  "line_items",
  "customer",
  "subscription",
  "invoice",
];

/** Refusals that depend on the parameters alone, in roughly the order Stripe checks them. */
export function sessionParamsProblem(
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
export function planLineItems(
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
export function lineItemsProblem(
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

export function lineItemObject(
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

export function sessionObject(s: {
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
