import "server-only";
import { eq } from "drizzle-orm";
import { orderEvents, orders, type Order, type OrderStatus } from "@/db/schema";
import type { Db } from "@/db/types";

// Orders move forward only, so events that arrive late, twice or out of order cannot undo what a
// later one did: a replayed "paid" or a late "expired" leaves a refunded order refunded.

const RANK: Record<OrderStatus, number> = {
  pending: 0,
  awaiting_payment: 0,
  processing: 1,
  payment_failed: 1,
  expired: 1,
  cancelled: 1,
  paid: 2,
  fulfilled: 3,
  partially_refunded: 4,
  refunded: 5,
};

// These end an unpaid order, so only an unpaid order can reach them.
const FROM_UNPAID_ONLY: ReadonlySet<OrderStatus> = new Set([
  "payment_failed",
  "expired",
  "cancelled",
]);
const UNPAID: ReadonlySet<OrderStatus> = new Set([
  "pending",
  "awaiting_payment",
  "processing",
]);

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to) return false;
  if (FROM_UNPAID_ONLY.has(to)) return UNPAID.has(from);
  // A new checkout attempt after a failed or expired payment starts over.
  if (to === "pending") return from === "payment_failed" || from === "expired";
  return RANK[to] > RANK[from];
}

export type OrderActor =
  { kind: "user"; id: string } | { kind: "system" } | { kind: "api" };

/**
 * Moves the order to `to` when that is forward (see canMove), stamping the matching time and
 * adding a timeline entry. Returns the order as it now is, and whether it moved.
 */
export async function moveOrder(
  db: Db,
  order: Order,
  to: OrderStatus,
  p: { actor: OrderActor; note?: string; now: Date },
): Promise<{ order: Order; moved: boolean }> {
  if (!canMove(order.status, to)) return { order, moved: false };
  const [updated] = await db
    .update(orders)
    .set({
      status: to,
      updatedAt: p.now,
      ...(to === "paid" && !order.paidAt ? { paidAt: p.now } : {}),
      ...(to === "fulfilled" ? { fulfilledAt: p.now } : {}),
      ...(to === "cancelled" ? { cancelledAt: p.now } : {}),
    })
    .where(eq(orders.id, order.id))
    .returning();
  await recordOrderEvent(db, order.id, to, p);
  return { order: updated!, moved: true };
}

/** A timeline entry; `status` null records something that did not change the status. */
export async function recordOrderEvent(
  db: Db,
  orderId: string,
  status: OrderStatus | null,
  p: { actor: OrderActor; note?: string; now: Date },
): Promise<void> {
  await db.insert(orderEvents).values({
    orderId,
    status,
    note: p.note ?? "",
    actorKind: p.actor.kind,
    actorId: p.actor.kind === "user" ? p.actor.id : null,
    createdAt: p.now,
  });
}
