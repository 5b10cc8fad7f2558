import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { orders, payments, prices, services, type Order } from "@/db/schema";
import type { Db } from "@/db/types";
import { clearCartsOfOrder } from "@/lib/cart/cart";
import { nextCounterValue } from "@/lib/orders/counters";
import { mailCustomerAboutOrder } from "@/lib/orders/notify";
import { moveOrder, type OrderActor } from "@/lib/orders/transitions";

/** Locks the order row for the rest of the transaction, so concurrent events apply one after another. */
export async function lockOrder(db: Db, id: string): Promise<Order | null> {
  const [row] = await db
    .select()
    .from(orders)
    .where(eq(orders.id, id))
    .for("update");
  return row ?? null;
}

/**
 * Records money received for an order, once per (provider, external id): the payment row, the move
 * to paid, the invoice number, the services it starts, the emptied cart and the receipt. Safe to call
 * again for the same payment, and after the order has moved past paid (a refund seen first).
 */
export async function recordPayment(
  db: Db,
  order: Order,
  p: {
    provider: Order["provider"];
    externalId: string | null;
    amount: number;
    currency: string;
    actor: OrderActor;
    note?: string;
    now: Date;
    /** The Stripe subscription this payment started, linked to the order's services. */
    subscriptionId?: string | null;
    /** Paid-through date of the order's services, when the payment says so (a subscription invoice). */
    periodEnd?: Date | null;
  },
): Promise<{ order: Order; isNew: boolean }> {
  const inserted = await db
    .insert(payments)
    .values({
      orderId: order.id,
      provider: p.provider,
      externalId: p.externalId,
      status: "succeeded",
      amount: p.amount,
      currency: p.currency.toUpperCase(),
      createdAt: p.now,
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  const isNew = inserted.length > 0;
  let current = (
    await moveOrder(db, order, "paid", {
      actor: p.actor,
      note: p.note,
      now: p.now,
    })
  ).order;
  if (!current.invoiceNumber || !current.paidAt)
    current = await invoice(db, current, p.now);
  await startServices(db, current, p);
  await clearCartsOfOrder(db, current.id);
  if (isNew)
    await mailCustomerAboutOrder(
      db,
      current,
      { kind: "receipt", amount: p.amount },
      p.now,
    );
  return { order: current, isNew };
}

// Invoice numbers run per calendar year without gaps: "2026-0001", "2026-0002", …
async function invoice(db: Db, order: Order, now: Date): Promise<Order> {
  const year = now.getUTCFullYear();
  const number = order.invoiceNumber
    ? order.invoiceNumber
    : `${year}-${String(await nextCounterValue(db, `invoice:${year}`, 1)).padStart(4, "0")}`;
  const [row] = await db
    .update(orders)
    .set({
      invoiceNumber: number,
      invoicedAt: order.invoicedAt ?? now,
      paidAt: order.paidAt ?? now,
    })
    .where(eq(orders.id, order.id))
    .returning();
  return row!;
}

async function startServices(
  db: Db,
  order: Order,
  p: { now: Date; subscriptionId?: string | null; periodEnd?: Date | null },
): Promise<void> {
  // Without a subscription (bank transfer) the first period runs from the payment.
  const firstPeriodEnd = sql`${p.now.toISOString()}::timestamptz + make_interval(
    months => case when ${prices.interval} = 'month' then ${prices.intervalCount} else 0 end,
    years => case when ${prices.interval} = 'year' then ${prices.intervalCount} else 0 end,
    weeks => case when ${prices.interval} = 'week' then ${prices.intervalCount} else 0 end,
    days => case when ${prices.interval} = 'day' then ${prices.intervalCount} else 0 end)`;
  await db
    .update(services)
    .set({
      status: "active",
      updatedAt: p.now,
      ...(p.subscriptionId ? { stripeSubscriptionId: p.subscriptionId } : {}),
      currentPeriodEnd: p.periodEnd
        ? p.periodEnd
        : sql`coalesce(${services.currentPeriodEnd}, (select ${firstPeriodEnd} from ${prices} where ${prices.id} = ${services.priceId}))`,
    })
    .where(and(eq(services.orderId, order.id), eq(services.status, "pending")));
}
