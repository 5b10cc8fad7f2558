import "server-only";
import { and, eq, isNull, notLike, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  orderEvents,
  orderItems,
  orders,
  shopifyOrders,
  users,
  type OrderStatus,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordOrderEvent, timelineRow } from "@/lib/orders/transitions";
import type { ShopifyOrder, ShopifyOrderSummary } from "@/lib/shopify/queries";

// Shopify orders kept in Portico: one row in `orders` (provider shopify, external_id = the gid)
// plus what only Shopify has in `shopify_orders`. Webhooks and imports both land here, in any
// order and any number of times: a version older than the stored one changes nothing.

/** An order as Shopify last described it, from a webhook or the Admin API. */
export type ShopifyOrderRecord = {
  gid: string;
  name: string;
  /** Normalised (trimmed, lower case); "" when Shopify gave none. */
  email: string;
  placedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  /** Upper case, as the Admin API spells them: PAID, PARTIALLY_REFUNDED… */
  financialStatus: string;
  fulfillmentStatus: string;
  currency: string;
  /** Decimal strings in the shop's currency, as Shopify sends them. */
  total: string;
  subtotal: string | null;
  tax: string | null;
  refunded: string;
  statusPageUrl: string | null;
  test: boolean;
  /** Null when this version does not list them (an import page): the stored ones stay. */
  lineItems: Array<{
    title: string;
    quantity: number;
    unitPrice: string;
  }> | null;
};

/**
 * A decimal money string ("59.99", "1000", "-0.5") in minor units, exactly: never through a float.
 * Portico keeps two decimals; a third (rare shop currencies) is rounded half up.
 */
export function toMinorUnits(amount: string): number {
  const m = /^\s*(-)?(\d+)(?:\.(\d+))?\s*$/.exec(amount);
  if (!m) throw new Error(`not a money amount: ${amount}`);
  const [, minus, whole, fraction = ""] = m;
  const cents =
    Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  const rounded = Number(fraction[2] ?? "0") >= 5 ? cents + 1 : cents;
  return minus ? -rounded : rounded;
}

const normalEmail = (...candidates: Array<string | null | undefined>) =>
  candidates.map((c) => c?.trim().toLowerCase() ?? "").find(Boolean) ?? "";

/** Portico's status for what Shopify says. */
export function shopifyOrderStatus(
  r: Pick<
    ShopifyOrderRecord,
    "financialStatus" | "fulfillmentStatus" | "cancelledAt"
  >,
): OrderStatus {
  switch (r.financialStatus) {
    case "REFUNDED":
      return "refunded";
    case "PARTIALLY_REFUNDED":
      return "partially_refunded";
    case "VOIDED":
      return "cancelled";
    case "EXPIRED":
      return "expired";
  }
  if (r.cancelledAt) return "cancelled";
  if (r.financialStatus === "PAID")
    return r.fulfillmentStatus === "FULFILLED" ? "fulfilled" : "paid";
  return "pending";
}

const isoTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const money = z.union([z.string(), z.number()]).transform(String);

/** The order payload of orders/create, orders/updated and orders/cancelled (REST shape). */
const orderPayload = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  customer: z.object({ email: z.string().nullish() }).nullish(),
  created_at: isoTime,
  updated_at: isoTime,
  cancelled_at: isoTime.nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  currency: z.string().length(3),
  total_price: money,
  current_total_price: money.nullish(),
  subtotal_price: money.nullish(),
  total_tax: money.nullish(),
  order_status_url: z.string().nullish(),
  test: z.boolean().nullish(),
  line_items: z
    .array(
      z.object({
        title: z.string(),
        variant_title: z.string().nullish(),
        quantity: z.number().int(),
        price: money,
      }),
    )
    .nullish(),
});

const FULFILMENT: Record<string, string> = {
  fulfilled: "FULFILLED",
  partial: "PARTIALLY_FULFILLED",
  restocked: "RESTOCKED",
};

/** A webhook's order, or why it is not one. */
export function recordFromWebhook(
  payload: unknown,
): { ok: true; record: ShopifyOrderRecord } | { ok: false; error: string } {
  const parsed = orderPayload.safeParse(payload);
  if (!parsed.success)
    return { ok: false, error: z.prettifyError(parsed.error) };
  const o = parsed.data;
  const total = o.total_price;
  const current = o.current_total_price ?? total;
  return {
    ok: true,
    record: {
      gid: o.admin_graphql_api_id,
      name: o.name,
      email: normalEmail(o.email, o.contact_email, o.customer?.email),
      placedAt: o.created_at,
      updatedAt: o.updated_at,
      cancelledAt: o.cancelled_at ?? null,
      financialStatus: (o.financial_status ?? "pending").toUpperCase(),
      fulfillmentStatus: o.fulfillment_status
        ? (FULFILMENT[o.fulfillment_status] ??
          o.fulfillment_status.toUpperCase())
        : "UNFULFILLED",
      currency: o.currency.toUpperCase(),
      total,
      subtotal: o.subtotal_price ?? null,
      tax: o.total_tax ?? null,
      refunded: minorToDecimal(
        Math.max(0, toMinorUnits(total) - toMinorUnits(current)),
      ),
      statusPageUrl: o.order_status_url ?? null,
      test: o.test ?? false,
      lineItems:
        o.line_items?.map((l) => ({
          title: l.variant_title ? `${l.title} — ${l.variant_title}` : l.title,
          quantity: l.quantity,
          unitPrice: l.price,
        })) ?? null,
    },
  };
}

/** An order read from the Admin API (an import page, or one order with its line items). */
export function recordFromAdminApi(
  o: ShopifyOrderSummary | ShopifyOrder,
): ShopifyOrderRecord {
  return {
    gid: o.id,
    name: o.name,
    email: normalEmail(o.email),
    placedAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    financialStatus: o.financialStatus ?? "PENDING",
    fulfillmentStatus: o.fulfillmentStatus,
    currency: o.totalPrice.currencyCode,
    total: o.totalPrice.amount,
    subtotal: null,
    tax: null,
    refunded: o.totalRefunded.amount,
    statusPageUrl: o.statusPageUrl,
    test: o.test,
    lineItems:
      "lineItems" in o && !o.moreLineItems
        ? o.lineItems.map((l) => ({
            title: l.variantTitle ? `${l.title} — ${l.variantTitle}` : l.title,
            quantity: l.quantity,
            unitPrice: l.unitPrice.amount,
          }))
        : null,
  };
}

const minorToDecimal = (minor: number) =>
  `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, "0")}`;

export type RecordOutcome = "created" | "updated" | "stale";

/**
 * Stores `r` unless a newer version of the order is already here. The order belongs to the
 * portal customer with its email (any letter case) unless an agent linked it by hand.
 */
export async function recordShopifyOrder(
  db: Db,
  r: ShopifyOrderRecord,
  now = new Date(),
): Promise<RecordOutcome> {
  return db.transaction((tx) => storeShopifyOrder(tx, r, now));
}

/** recordShopifyOrder for a caller already in a transaction (a webhook with its event row). */
export async function storeShopifyOrder(
  tx: Db,
  r: ShopifyOrderRecord,
  now: Date,
): Promise<RecordOutcome> {
  let current = await lockByGid(tx, r.gid);
  if (!current) {
    const inserted = await insertOrder(tx, r, now);
    if (inserted) return "created";
    // Another delivery of the same order won the race: update what it stored.
    current = await lockByGid(tx, r.gid);
    if (!current) throw new Error(`Shopify order ${r.gid} could not be stored`);
  }
  if (current.shopUpdatedAt && current.shopUpdatedAt > r.updatedAt)
    return "stale";
  const status = shopifyOrderStatus(r);
  const customerId = current.linkedById
    ? current.customerId
    : customerWithEmailSql(r.email);
  await tx
    .update(orders)
    .set({
      ...orderColumns(r, status),
      customerId,
      updatedAt: now,
    })
    .where(eq(orders.id, current.id));
  await tx
    .insert(shopifyOrders)
    .values(detailColumns(current.id, r))
    .onConflictDoUpdate({
      target: shopifyOrders.orderId,
      set: detailColumns(current.id, r),
    });
  if (r.lineItems) await replaceItems(tx, current.id, r);
  if (status !== current.status)
    await recordOrderEvent(tx, current.id, status, {
      actor: { kind: "system" },
      note: "Updated in Shopify",
      now,
    });
  return "updated";
}

async function lockByGid(db: Db, gid: string) {
  const [row] = await db
    .select({
      id: orders.id,
      status: orders.status,
      customerId: orders.customerId,
      shopUpdatedAt: shopifyOrders.shopUpdatedAt,
      linkedById: shopifyOrders.linkedById,
    })
    .from(orders)
    .leftJoin(shopifyOrders, eq(shopifyOrders.orderId, orders.id))
    .where(and(eq(orders.provider, "shopify"), eq(orders.externalId, gid)))
    .for("update", { of: orders });
  return row ?? null;
}

async function insertOrder(
  tx: Db,
  r: ShopifyOrderRecord,
  now: Date,
): Promise<boolean> {
  const status = shopifyOrderStatus(r);
  const [created] = await tx
    .insert(orders)
    .values({
      ...orderColumns(r, status),
      provider: "shopify",
      // Read in the insert itself: one round trip fewer per new order.
      customerId: customerWithEmailSql(r.email),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: orders.id });
  if (!created) {
    // The same name without a Shopify gid: an order recorded before the store was connected
    // (by hand, or by an older import keyed otherwise). Adopt it.
    await tx
      .update(orders)
      .set({ externalId: r.gid })
      .where(
        and(
          eq(orders.provider, "shopify"),
          eq(orders.number, r.name),
          or(
            isNull(orders.externalId),
            notLike(orders.externalId, "gid://shopify/Order/%"),
          ),
        ),
      );
    // Adopted or raced: either way the caller finds it by its gid now.
    return false;
  }
  // The rest of a new order in one statement (each round trip counts on the embedded database);
  // a new order has no items to replace yet.
  const items = itemRows(created.id, r);
  await tx
    .with(
      tx
        .$with("detail")
        .as(tx.insert(shopifyOrders).values(detailColumns(created.id, r))),
      ...(items.length
        ? [tx.$with("items").as(tx.insert(orderItems).values(items))]
        : []),
    )
    .insert(orderEvents)
    .values(
      timelineRow(created.id, status, {
        actor: { kind: "system" },
        note: "Placed in the Shopify store",
        now: r.placedAt,
      }),
    );
  return true;
}

const PAID_STATES = new Set([
  "PAID",
  "PARTIALLY_PAID",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
]);

function orderColumns(r: ShopifyOrderRecord, status: OrderStatus) {
  const total = toMinorUnits(r.total);
  const tax = r.tax === null ? 0 : toMinorUnits(r.tax);
  // Shopify's payment state, not ours: a cancelled order may or may not have been paid.
  const paid = PAID_STATES.has(r.financialStatus);
  return {
    number: r.name,
    externalId: r.gid,
    email: r.email,
    status,
    currency: r.currency,
    totalAmount: total,
    taxAmount: tax,
    subtotalAmount:
      r.subtotal === null ? total - tax : toMinorUnits(r.subtotal),
    refundedAmount: Math.min(total, Math.max(0, toMinorUnits(r.refunded))),
    placedAt: r.placedAt,
    paidAt: paid ? r.placedAt : null,
    fulfilledAt: status === "fulfilled" ? r.updatedAt : null,
    cancelledAt: r.cancelledAt,
  };
}

const detailColumns = (orderId: string, r: ShopifyOrderRecord) => ({
  orderId,
  gid: r.gid,
  shopUpdatedAt: r.updatedAt,
  financialStatus: r.financialStatus,
  fulfillmentStatus: r.fulfillmentStatus,
  statusPageUrl: r.statusPageUrl,
  isTest: r.test,
});

async function replaceItems(tx: Db, orderId: string, r: ShopifyOrderRecord) {
  await tx.delete(orderItems).where(eq(orderItems.orderId, orderId));
  await insertItems(tx, orderId, r);
}

async function insertItems(tx: Db, orderId: string, r: ShopifyOrderRecord) {
  const items = itemRows(orderId, r);
  if (items.length) await tx.insert(orderItems).values(items);
}

function itemRows(orderId: string, r: ShopifyOrderRecord) {
  return (r.lineItems ?? [])
    .filter((l) => l.quantity > 0)
    .map((l) => ({
      orderId,
      description: l.title,
      quantity: l.quantity,
      unitAmount: toMinorUnits(l.unitPrice),
      totalAmount: toMinorUnits(l.unitPrice) * l.quantity,
    }));
}

/**
 * The portal customer with this email (any letter case), read inside the statement that writes it.
 * Only an account that proved the address: anyone can sign up as any address. Otherwise the order
 * waits unlinked and is claimed when the address is confirmed (lib/auth/email-verification.ts).
 */
function customerWithEmailSql(email: string) {
  if (!email) return null;
  return sql<
    string | null
  >`(select ${users.id} from ${users} where lower(${users.email}) = ${email} and ${users.role} = 'customer' and ${users.emailVerifiedAt} is not null limit 1)`;
}
