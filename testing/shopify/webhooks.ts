import { createHmac, randomUUID } from "node:crypto";
import {
  currentTotal,
  orderEmail,
  refundedTotal,
  type FakeOrder,
  type FakeRefund,
  type FakeShopState,
} from "@/testing/shopify/state";

// Order webhooks as Shopify delivers them: the order in the REST API's snake_case shape, signed with
// base64 HMAC-SHA256 over the exact bytes sent, with the X-Shopify-* headers. Numeric ids are written
// as raw JSON numbers even above 2^53 (Shopify's own samples have such ids), so a receiver that
// JSON.parses the body and keys on `id` loses precision, as it would in production.

export const WEBHOOK_API_VERSION = "2026-07";

export type OrderTopic =
  | "orders/create"
  | "orders/updated"
  | "orders/cancelled"
  | "orders/paid"
  | "orders/fulfilled";

export type WebhookTopic = OrderTopic | "refunds/create";

export type SendOptions = {
  /** Sign with this key instead of the shop's webhook secret. */
  secret?: string;
  /** Changes the body after signing, so the signature no longer matches. */
  mangle?: (body: string) => string;
  /** Headers to leave out (any case), e.g. "X-Shopify-Webhook-Id". */
  omitHeaders?: string[];
  /** Same value on a retry or a second subscription for one event: to test de-duplication. */
  eventId?: string;
  webhookId?: string;
  shopDomain?: string;
  triggeredAt?: Date;
};

export type SignedWebhook = {
  topic: WebhookTopic;
  body: string;
  headers: Record<string, string>;
};

export type WebhookDelivery = SignedWebhook & {
  url: string;
  /** 0 when the endpoint did not answer. */
  status: number;
  responseBody: string;
};

/** A number written as digits: ids above 2^53 must not pass through a JS number. */
class RawNumber {
  constructor(readonly digits: string) {}
}
const raw = (digits: string) => new RawNumber(digits);

const RAW_MARK = "\u0000raw:";

/** JSON text in which every RawNumber is written as bare digits. */
export function toJsonWithRawNumbers(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof RawNumber ? `${RAW_MARK}${v.digits}` : v,
  );
  // JSON.stringify writes the NUL mark escaped, so it cannot collide with real content.
  return text.replace(/"\\u0000raw:(\d+)"/g, "$1");
}

const iso = (d: Date | null) => (d ? isoWithOffset(d) : null);

/** Shopify writes times in the shop's zone with an offset; the fake's shop runs on UTC. */
function isoWithOffset(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function financialStatus(order: FakeOrder): string {
  return order.financialStatus.toLowerCase();
}

function fulfillmentStatus(order: FakeOrder): string | null {
  switch (order.fulfillmentStatus) {
    case "FULFILLED":
      return "fulfilled";
    case "PARTIALLY_FULFILLED":
      return "partial";
    case "RESTOCKED":
      return "restocked";
    default:
      return null;
  }
}

function moneySet(amount: string, currency: string) {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

function refundPayload(
  state: FakeShopState,
  order: FakeOrder,
  refund: FakeRefund,
) {
  const currency = state.shop.currency;
  return {
    id: raw(refund.legacyId),
    admin_graphql_api_id: `gid://shopify/Refund/${refund.legacyId}`,
    order_id: raw(order.legacyId),
    created_at: iso(refund.createdAt),
    processed_at: iso(refund.createdAt),
    note: refund.note,
    restock: false,
    refund_line_items: [],
    order_adjustments: [],
    transactions: [
      {
        id: raw(`${refund.legacyId}1`),
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.legacyId}1`,
        order_id: raw(order.legacyId),
        kind: "refund",
        status: "success",
        amount: refund.amount,
        currency,
        gateway: "manual",
        created_at: iso(refund.createdAt),
      },
    ],
    total_refunded_set: moneySet(refund.amount, currency),
  };
}

/** The order as `orders/*` webhooks carry it. */
export function orderPayload(state: FakeShopState, order: FakeOrder) {
  const currency = state.shop.currency;
  const email = state.protectedCustomerData ? orderEmail(state, order) : null;
  const customer = order.customerLegacyId
    ? state.customers.get(order.customerLegacyId)
    : undefined;
  return {
    id: raw(order.legacyId),
    admin_graphql_api_id: `gid://shopify/Order/${order.legacyId}`,
    name: `#${order.number}`,
    order_number: order.number,
    number: order.number - 1000,
    email: email ?? "",
    contact_email: state.protectedCustomerData ? order.contactEmail : null,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
    processed_at: iso(order.processedAt),
    cancelled_at: iso(order.cancelledAt),
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    closed_at: iso(order.closedAt),
    confirmed: true,
    currency,
    presentment_currency: currency,
    financial_status: financialStatus(order),
    fulfillment_status: fulfillmentStatus(order),
    subtotal_price: order.subtotalPrice,
    subtotal_price_set: moneySet(order.subtotalPrice, currency),
    total_price: order.totalPrice,
    total_price_set: moneySet(order.totalPrice, currency),
    current_total_price: currentTotal(order),
    current_total_price_set: moneySet(currentTotal(order), currency),
    total_tax: order.totalTax,
    total_discounts: order.totalDiscounts,
    total_refunded: refundedTotal(order),
    test: order.test,
    tags: order.tags.join(", "),
    note: order.note,
    source_name: order.sourceName,
    order_status_url: `https://${state.shop.domain}/${state.shop.legacyId}/orders/${order.legacyId}/authenticate?key=fake`,
    customer: customer
      ? {
          id: raw(customer.legacyId),
          admin_graphql_api_id: `gid://shopify/Customer/${customer.legacyId}`,
          email: state.protectedCustomerData ? customer.email : null,
          first_name: state.protectedCustomerData ? customer.firstName : null,
          last_name: state.protectedCustomerData ? customer.lastName : null,
          created_at: iso(customer.createdAt),
          updated_at: iso(customer.updatedAt),
        }
      : null,
    line_items: order.lineItems.map((item) => ({
      id: raw(item.legacyId),
      admin_graphql_api_id: `gid://shopify/LineItem/${item.legacyId}`,
      title: item.title,
      name: item.variantTitle
        ? `${item.title} - ${item.variantTitle}`
        : item.title,
      variant_title: item.variantTitle,
      quantity: item.quantity,
      current_quantity: item.currentQuantity,
      sku: item.sku ?? "",
      price: item.price,
      price_set: moneySet(item.price, currency),
      variant_id: item.variantLegacyId ? raw(item.variantLegacyId) : null,
      product_id: item.productLegacyId ? raw(item.productLegacyId) : null,
    })),
    refunds: order.refunds.map((r) => refundPayload(state, order, r)),
  };
}

/** Base64 HMAC-SHA256 of the exact body, as in X-Shopify-Hmac-Sha256. */
export function signBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function signedWebhook(
  state: FakeShopState,
  secret: string,
  topic: WebhookTopic,
  payload: unknown,
  options: SendOptions = {},
): SignedWebhook {
  const text = toJsonWithRawNumbers(payload);
  const omit = new Set((options.omitHeaders ?? []).map((h) => h.toLowerCase()));
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": topic,
    "X-Shopify-Hmac-Sha256": signBody(text, options.secret ?? secret),
    "X-Shopify-Shop-Domain": options.shopDomain ?? state.shop.domain,
    "X-Shopify-API-Version": WEBHOOK_API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": (
      options.triggeredAt ?? state.now()
    ).toISOString(),
  };
  for (const name of Object.keys(headers))
    if (omit.has(name.toLowerCase())) delete headers[name];
  return { topic, body: options.mangle ? options.mangle(text) : text, headers };
}

export function refundWebhookPayload(
  state: FakeShopState,
  order: FakeOrder,
  refund: FakeRefund,
) {
  return refundPayload(state, order, refund);
}

/** POSTs a signed webhook; the status is 0 when the endpoint could not be reached. */
export async function postWebhook(
  url: string,
  webhook: SignedWebhook,
): Promise<WebhookDelivery> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: webhook.headers,
      body: webhook.body,
      // Shopify gives up after 5 s without an answer.
      signal: AbortSignal.timeout(5_000),
    });
    return {
      ...webhook,
      url,
      status: response.status,
      responseBody: await response.text(),
    };
  } catch {
    return { ...webhook, url, status: 0, responseBody: "" };
  }
}
