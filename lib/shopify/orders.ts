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
import {
  placeholderRows,
  readColumns,
  rowsFrom,
  sessionStatements,
} from "@/db/prepared";
import type { Db } from "@/db/types";
import { timelineRow } from "@/lib/orders/transitions";
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
  const status = shopifyOrderStatus(r);
  const found = await lockOrInsert(tx, r, status, now);
  if (found.created) return "created";
  let current = found.current;
  if (!current) {
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
    // Adopted, or another delivery of the same order won the race: update what it stored.
    current = await lockByGid(tx, r.gid);
    if (!current) throw new Error(`Shopify order ${r.gid} could not be stored`);
  }
  if (current.shopUpdatedAt && current.shopUpdatedAt > r.updatedAt)
    return "stale";
  await updateOrder(tx, current, r, status, now);
  return "updated";
}

// The statements below are built once (db/prepared.ts): their text varies only with which parts
// apply, and their values are placeholders. Each round trip counts on the embedded database.

type StoredOrder = {
  id: string;
  status: OrderStatus;
  customerId: string | null;
  shopUpdatedAt: Date | null;
  linkedById: string | null;
};

const storedColumns = {
  id: orders.id,
  status: orders.status,
  customerId: orders.customerId,
  shopUpdatedAt: shopifyOrders.shopUpdatedAt,
  linkedById: shopifyOrders.linkedById,
};

const lockedByGid = (db: Db) =>
  db
    .select(storedColumns)
    .from(orders)
    .leftJoin(shopifyOrders, eq(shopifyOrders.orderId, orders.id))
    .where(
      and(
        eq(orders.provider, "shopify"),
        eq(orders.externalId, sql.placeholder("gid")),
      ),
    )
    .for("update", { of: orders });

const readStored = readColumns(storedColumns);
const lockStatements = sessionStatements(
  (rows) => (readStored(rows)[0] as StoredOrder | undefined) ?? null,
);

async function lockByGid(db: Db, gid: string): Promise<StoredOrder | null> {
  return lockStatements(db, "", lockedByGid, { gid });
}

const readLockedOrInserted = readColumns({
  ...storedColumns,
  createdId: orders.id,
});
const lockOrInsertStatements = sessionStatements((rows) => {
  const [row] = readLockedOrInserted(rows);
  if (!row) return { current: null, created: null };
  const { createdId, ...current } = row;
  return {
    current: current.id === null ? null : (current as StoredOrder),
    created: createdId as string | null,
  };
});

/**
 * The order with this gid, locked; or, when there is none, the order inserted in the same
 * statement with its Shopify details, items and first timeline entry (one round trip for all of
 * it). Neither when the insert met another order: one with the same name, or the same order
 * stored by a delivery that is not yet visible.
 */
async function lockOrInsert(
  tx: Db,
  r: ShopifyOrderRecord,
  status: OrderStatus,
  now: Date,
): Promise<{ current: StoredOrder | null; created: string | null }> {
  const order = placeholderRows("order", [
    {
      ...orderColumns(r, status),
      provider: "shopify" as const,
      createdAt: now,
      updatedAt: now,
    },
  ]);
  // The parts' order id comes from the insert, within the statement.
  const detail = placeholderRows("detail", [shopifyColumns(r)]);
  const items = placeholderRows("item", itemRows(r));
  const timeline = placeholderRows("timeline", [
    {
      ...timelineRow("", status, {
        actor: { kind: "system" },
        note: "Placed in the Shopify store",
        now: r.placedAt,
      }),
      orderId: undefined,
    },
  ]);
  const linksCustomer = Boolean(r.email);
  const shape = [
    order.shape,
    linksCustomer ? "customer" : "",
    detail.shape,
    items.shape,
    timeline.shape,
  ];
  return lockOrInsertStatements(
    tx,
    shape.join(";"),
    (q) => {
      const found = q.$with("found").as(lockedByGid(q));
      // An existing order makes the insert a no-op (its gid is taken).
      const created = q.$with("created").as(
        q
          .insert(orders)
          .values({
            ...order.rows[0]!,
            customerId: linksCustomer ? customerWithEmailSql() : null,
          })
          .onConflictDoNothing()
          .returning({ id: orders.id }),
      );
      // Written only when the insert was: each once for the new order's row.
      const parts = [
        q
          .$with("detail")
          .as(
            q
              .insert(shopifyOrders)
              .select(
                rowsFrom(shopifyOrders, created, [
                  { ...detail.rows[0]!, orderId: created.id },
                ]),
              ),
          ),
        ...(items.rows.length
          ? [
              q.$with("items").as(
                q.insert(orderItems).select(
                  rowsFrom(
                    orderItems,
                    created,
                    items.rows.map((row) => ({ ...row, orderId: created.id })),
                  ),
                ),
              ),
            ]
          : []),
        q
          .$with("timeline")
          .as(
            q
              .insert(orderEvents)
              .select(
                rowsFrom(orderEvents, created, [
                  { ...timeline.rows[0]!, orderId: created.id },
                ]),
              ),
          ),
      ];
      return q
        .with(found, created, ...parts)
        .select({
          id: found.id,
          status: found.status,
          customerId: found.customerId,
          shopUpdatedAt: found.shopUpdatedAt,
          linkedById: found.linkedById,
          createdId: created.id,
        })
        .from(found)
        .fullJoin(created, sql`true`);
    },
    {
      ...order.values,
      ...detail.values,
      ...items.values,
      ...timeline.values,
      gid: r.gid,
      email: r.email,
    },
  );
}

const orderWrites = sessionStatements(() => undefined);

/**
 * A newer version of a stored order, in one statement: the order, its Shopify details, its items
 * when this version lists them, and a timeline entry when its status moves.
 */
async function updateOrder(
  tx: Db,
  current: StoredOrder,
  r: ShopifyOrderRecord,
  status: OrderStatus,
  now: Date,
): Promise<void> {
  const linked = Boolean(current.linkedById);
  const changes = placeholderRows("order", [
    {
      ...orderColumns(r, status),
      ...(linked ? { customerId: current.customerId } : {}),
      updatedAt: now,
    },
  ]);
  const detail = placeholderRows("detail", [
    { orderId: current.id, ...shopifyColumns(r) },
  ]);
  const replacesItems = r.lineItems !== null;
  const items = placeholderRows(
    "item",
    itemRows(r).map((row) => ({ orderId: current.id, ...row })),
  );
  const timeline = placeholderRows(
    "timeline",
    status !== current.status
      ? [
          timelineRow(current.id, status, {
            actor: { kind: "system" },
            note: "Updated in Shopify",
            now,
          }),
        ]
      : [],
  );
  const customer = linked ? "linked" : r.email ? "customer" : "";
  await orderWrites(
    tx,
    [
      "update",
      changes.shape,
      customer,
      detail.shape,
      replacesItems ? items.shape : "",
      timeline.shape,
    ].join(";"),
    (q) =>
      q
        .with(
          q.$with("detail").as(
            q.insert(shopifyOrders).values(detail.rows[0]!).onConflictDoUpdate({
              target: shopifyOrders.orderId,
              set: detail.rows[0]!,
            }),
          ),
          // Both see the items as they were before the statement: the old ones go, the new come.
          ...(replacesItems
            ? [
                q
                  .$with("gone")
                  .as(
                    q
                      .delete(orderItems)
                      .where(eq(orderItems.orderId, sql.placeholder("id"))),
                  ),
              ]
            : []),
          ...(replacesItems && items.rows.length
            ? [q.$with("items").as(q.insert(orderItems).values(items.rows))]
            : []),
          ...timeline.rows.map((row) =>
            q.$with("timeline").as(q.insert(orderEvents).values(row)),
          ),
        )
        .update(orders)
        .set({
          ...changes.rows[0]!,
          ...(linked
            ? {}
            : { customerId: r.email ? customerWithEmailSql() : null }),
        })
        .where(eq(orders.id, sql.placeholder("id"))),
    {
      ...changes.values,
      ...detail.values,
      ...items.values,
      ...timeline.values,
      id: current.id,
      email: r.email,
    },
  );
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

const shopifyColumns = (r: ShopifyOrderRecord) => ({
  gid: r.gid,
  shopUpdatedAt: r.updatedAt,
  financialStatus: r.financialStatus,
  fulfillmentStatus: r.fulfillmentStatus,
  statusPageUrl: r.statusPageUrl,
  isTest: r.test,
});

function itemRows(r: ShopifyOrderRecord) {
  return (r.lineItems ?? [])
    .filter((l) => l.quantity > 0)
    .map((l) => ({
      description: l.title,
      quantity: l.quantity,
      unitAmount: toMinorUnits(l.unitPrice),
      totalAmount: toMinorUnits(l.unitPrice) * l.quantity,
    }));
}

/**
 * The portal customer with the email in the placeholder `email` (normalised, any letter case), read
 * inside the statement that writes it. Only an account that proved the address: anyone can sign up
 * as any address. Otherwise the order waits unlinked and is claimed when the address is confirmed
 * (lib/auth/email-verification.ts).
 */
function customerWithEmailSql() {
  return sql<
    string | null
  >`(select ${users.id} from ${users} where lower(${users.email}) = ${sql.placeholder("email")} and ${users.role} = 'customer' and ${users.emailVerifiedAt} is not null limit 1)`;
}
