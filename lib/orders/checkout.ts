import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type Stripe from "stripe";
import {
  orderItems,
  orders,
  prices,
  services,
  users,
  type Order,
  type OrderItem,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import {
  clearCartsOfOrder,
  getCart,
  linkCartToOrder,
  lockCart,
  type CartLine,
} from "@/lib/cart/cart";
import { nextCounterValue } from "@/lib/orders/counters";
import { mailCustomerAboutOrder } from "@/lib/orders/notify";
import { lockOrder } from "@/lib/orders/payments";
import { isPayableByCard } from "@/lib/orders/status";
import { moveOrder, recordOrderEvent } from "@/lib/orders/transitions";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { fail, ok, type Result } from "@/lib/result";
import { describeStripeError, type StripeClient } from "@/lib/stripe/client";
import { stripeFromEnv } from "@/lib/stripe/from-env";

export type CheckoutDeps = {
  /** Null: Stripe is not configured, and orders are paid by bank transfer. */
  stripe: StripeClient | null;
  appUrl: string;
  automaticTax: boolean;
  bankTransferDetails: string;
  now: Date;
};

/** Checkout as configured: Stripe when its keys are set, bank transfer otherwise. */
export function checkoutDepsFromEnv(now: Date): CheckoutDeps {
  const e = env();
  return {
    stripe: stripeFromEnv(),
    appUrl: e.appUrl,
    automaticTax: e.stripe?.automaticTax ?? false,
    bankTransferDetails: e.shop.bankTransferDetails,
    now,
  };
}

export type CheckoutOutcome =
  | { kind: "redirect"; url: string; orderId: string }
  | { kind: "placed"; orderId: string };

// An open session this close to its end is not worth sending the customer to.
const SESSION_MARGIN_MS = 2 * 60_000;

/**
 * Turns the customer's cart into an order priced from the catalogue, then either starts a Stripe
 * Checkout Session for it or, without Stripe, places it to be paid by bank transfer. An unchanged
 * cart reuses its order (and its open session), so a double click or a retry never makes two.
 */
export async function checkout(
  db: Db,
  viewer: Viewer,
  deps: CheckoutDeps,
): Promise<Result<CheckoutOutcome>> {
  const provider = deps.stripe ? "stripe" : "manual";
  const placed = await db.transaction(async (tx): Promise<Result<Order>> => {
    // A double click runs twice: the second waits here, then finds the first one's order.
    await lockCart(tx, { userId: viewer.id });
    const cart = await getCart(tx, { userId: viewer.id });
    if (!cart.id || cart.lines.length === 0)
      return fail("invalid_input", "Your cart is empty.");
    if (cart.problems.length > 0)
      return fail("conflict", cart.problems.join(" "));
    const existing = cart.orderId ? await lockOrder(tx, cart.orderId) : null;
    if (
      existing &&
      existing.customerId === viewer.id &&
      existing.provider === provider &&
      isPayableByCard(existing.status)
    )
      return ok(existing);
    const order = await placeOrder(tx, viewer, cart.lines, provider, deps.now);
    await linkCartToOrder(tx, cart.id, order.id);
    if (provider === "manual") {
      await mailCustomerAboutOrder(
        tx,
        order,
        { kind: "confirmation", bankTransferDetails: deps.bankTransferDetails },
        deps.now,
      );
      // Placed for good: the customer now pays the order, not the cart.
      await clearCartsOfOrder(tx, order.id);
    }
    return ok(order);
  });
  if (!placed.ok) return placed;
  const order = placed.value;

  if (!deps.stripe) return ok({ kind: "placed", orderId: order.id });
  return startCheckoutSession(db, deps.stripe, viewer, order, deps);
}

/** Opens (or reopens) Stripe Checkout for an unpaid card order of the viewer's. */
export async function payOrder(
  db: Db,
  viewer: Viewer,
  orderId: string,
  deps: CheckoutDeps,
): Promise<Result<{ url: string }>> {
  if (!deps.stripe)
    return fail("unavailable", "Card payments are not available right now.");
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.customerId, viewer.id)));
  if (!order) return fail("not_found", "Order not found.");
  if (order.provider !== "stripe")
    return fail("conflict", "This order is paid by bank transfer.");
  return startCheckoutSession(db, deps.stripe, viewer, order, deps);
}

async function placeOrder(
  db: Db,
  viewer: Viewer,
  lines: CartLine[],
  provider: "stripe" | "manual",
  now: Date,
): Promise<Order> {
  const total = lines.reduce((sum, l) => sum + l.lineAmount, 0);
  const number = `PO-${await nextCounterValue(db, "order", 10_100)}`;
  const status = provider === "manual" ? "awaiting_payment" : "pending";
  const [order] = await db
    .insert(orders)
    .values({
      number,
      customerId: viewer.id,
      email: viewer.email,
      status,
      currency: lines[0]!.currency,
      subtotalAmount: total,
      totalAmount: total,
      provider,
      placedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const items = await db
    .insert(orderItems)
    .values(
      lines.map((l) => ({
        orderId: order!.id,
        productId: l.productId,
        priceId: l.priceId,
        description: describeLine(l),
        quantity: l.quantity,
        unitAmount: l.unitAmount,
        totalAmount: l.lineAmount,
      })),
    )
    .returning();
  const recurring = items.filter((_, i) => lines[i]!.type === "recurring");
  if (recurring.length > 0)
    await db.insert(services).values(
      recurring.map((item) => ({
        customerId: viewer.id,
        orderId: order!.id,
        productId: item.productId,
        priceId: item.priceId,
        description: item.description,
        createdAt: now,
        updatedAt: now,
      })),
    );
  await recordOrderEvent(db, order!.id, status, {
    actor: { kind: "user", id: viewer.id },
    now,
  });
  return order!;
}

const PERIOD: Record<string, string> = {
  day: "daily",
  week: "weekly",
  month: "monthly",
  year: "yearly",
};

function describeLine(l: CartLine): string {
  if (l.type !== "recurring" || !l.interval) return l.name;
  const n = l.intervalCount ?? 1;
  return n === 1
    ? `${l.name} (billed ${PERIOD[l.interval]})`
    : `${l.name} (billed every ${n} ${l.interval}s)`;
}

async function startCheckoutSession(
  db: Db,
  stripe: StripeClient,
  viewer: Viewer,
  order: Order,
  deps: CheckoutDeps,
): Promise<Result<{ kind: "redirect"; url: string; orderId: string }>> {
  if (!isPayableByCard(order.status))
    return fail("conflict", "This order is no longer waiting for payment.");
  if (
    order.status === "pending" &&
    order.checkoutUrl &&
    order.checkoutExpiresAt &&
    order.checkoutExpiresAt.getTime() - deps.now.getTime() > SESSION_MARGIN_MS
  )
    return ok({ kind: "redirect", url: order.checkoutUrl, orderId: order.id });

  // A new attempt only once a session was made: a failed call is retried under the same key, so a
  // session Stripe created while we lost the answer is handed back instead of made twice.
  const prepared = await db.transaction(async (tx) => {
    const locked = (await lockOrder(tx, order.id))!;
    const attempt = locked.checkoutSessionId
      ? locked.checkoutAttempt + 1
      : Math.max(1, locked.checkoutAttempt);
    await moveOrder(tx, locked, "pending", {
      actor: { kind: "user", id: viewer.id },
      note: "New payment attempt",
      now: deps.now,
    });
    const [row] = await tx
      .update(orders)
      .set({
        checkoutAttempt: attempt,
        checkoutSessionId: null,
        checkoutUrl: null,
        checkoutExpiresAt: null,
        updatedAt: deps.now,
      })
      .where(eq(orders.id, order.id))
      .returning();
    const items = await tx
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, order.id));
    const [customer] = await tx
      .select({ stripeCustomerId: users.stripeCustomerId })
      .from(users)
      .where(eq(users.id, viewer.id));
    return {
      order: row!,
      items,
      stripeCustomerId: customer?.stripeCustomerId ?? null,
    };
  });

  const params = await sessionParams(db, prepared, viewer, deps);
  try {
    const session = await stripe.createCheckoutSession(
      params,
      `checkout:${order.id}:${prepared.order.checkoutAttempt}`,
    );
    await db
      .update(orders)
      .set({
        checkoutSessionId: session.id,
        checkoutUrl: session.url,
        checkoutExpiresAt: session.expiresAt,
        updatedAt: deps.now,
      })
      .where(eq(orders.id, order.id));
    return ok({ kind: "redirect", url: session.url, orderId: order.id });
  } catch (error) {
    const described = describeStripeError(error);
    log.warn("checkout.session_failed", {
      orderId: order.id,
      attempt: prepared.order.checkoutAttempt,
      error,
    });
    return fail("upstream_failed", described.message);
  }
}

async function sessionParams(
  db: Db,
  p: { order: Order; items: OrderItem[]; stripeCustomerId: string | null },
  viewer: Viewer,
  deps: CheckoutDeps,
): Promise<Stripe.Checkout.SessionCreateParams> {
  const { order, items } = p;
  const recurringPrices = await recurringOf(db, items);
  const mode = recurringPrices.size > 0 ? "subscription" : "payment";
  const metadata = { orderId: order.id, userId: viewer.id };
  return {
    mode,
    client_reference_id: order.id,
    metadata,
    line_items: items.map((item) => {
      const recurring = item.priceId
        ? recurringPrices.get(item.priceId)
        : undefined;
      return {
        quantity: item.quantity,
        price_data: {
          currency: order.currency.toLowerCase(),
          unit_amount: item.unitAmount,
          product_data: {
            name: item.description,
            ...(item.productId
              ? { metadata: { productId: item.productId } }
              : {}),
          },
          ...(recurring ? { recurring } : {}),
        },
      };
    }),
    ...(p.stripeCustomerId
      ? { customer: p.stripeCustomerId }
      : {
          customer_email: viewer.email,
          ...(mode === "payment"
            ? { customer_creation: "always" as const }
            : {}),
        }),
    ...(mode === "payment"
      ? { payment_intent_data: { metadata: { orderId: order.id } } }
      : { subscription_data: { metadata: { orderId: order.id } } }),
    ...(deps.automaticTax ? { automatic_tax: { enabled: true } } : {}),
    success_url: `${deps.appUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${deps.appUrl}/cart?cancelled=1`,
  };
}

async function recurringOf(
  db: Db,
  items: OrderItem[],
): Promise<
  Map<
    string,
    { interval: "day" | "week" | "month" | "year"; interval_count: number }
  >
> {
  const ids = items.map((i) => i.priceId).filter((id): id is string => !!id);
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(prices)
    .where(and(inArray(prices.id, ids), eq(prices.type, "recurring")));
  return new Map(
    rows.map((r) => [
      r.id,
      { interval: r.interval!, interval_count: r.intervalCount ?? 1 },
    ]),
  );
}
