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

/** Other columns of the order to change in the statement that moves it. */
export type OrderChanges = Partial<
  Omit<typeof orders.$inferInsert, "id" | "status">
>;

/** The columns a move to `to` changes: the status, the time it was reached and `updatedAt`. */
export function movedColumns(order: Order, to: OrderStatus, now: Date) {
  return {
    status: to,
    updatedAt: now,
    ...(to === "paid" && !order.paidAt ? { paidAt: now } : {}),
    ...(to === "fulfilled" ? { fulfilledAt: now } : {}),
    ...(to === "cancelled" ? { cancelledAt: now } : {}),
  } satisfies OrderChanges & { status: OrderStatus };
}

/**
 * Moves the order to `to` when that is forward (see canMove), stamping the matching time and
 * adding a timeline entry, in one statement with the changes in `set` (written even when the order
 * does not move). Returns the order as it now is, and whether it moved.
 */
export async function moveOrder(
  db: Db,
  order: Order,
  to: OrderStatus,
  p: { actor: OrderActor; note?: string; now: Date; set?: OrderChanges },
): Promise<{ order: Order; moved: boolean }> {
  const moved = canMove(order.status, to);
  if (!moved && !p.set) return { order, moved: false };
  const timeline = moved
    ? [
        db
          .$with("timeline")
          .as(db.insert(orderEvents).values(timelineRow(order.id, to, p))),
      ]
    : [];
  const [updated] = await db
    .with(...timeline)
    .update(orders)
    .set({ ...p.set, ...(moved ? movedColumns(order, to, p.now) : {}) })
    .where(eq(orders.id, order.id))
    .returning();
  return { order: updated!, moved };
}

/** A timeline entry; `status` null records something that did not change the status. */
export async function recordOrderEvent(
  db: Db,
  orderId: string,
  status: OrderStatus | null,
  p: { actor: OrderActor; note?: string; now: Date },
): Promise<void> {
  await db.insert(orderEvents).values(timelineRow(orderId, status, p));
}

/** The row of a timeline entry, for a caller that writes it within another statement. */
export function timelineRow(
  orderId: string,
  status: OrderStatus | null,
  p: { actor: OrderActor; note?: string; now: Date },
): typeof orderEvents.$inferInsert {
  return {
    orderId,
    status,
    note: p.note ?? "",
    actorKind: p.actor.kind,
    actorId: p.actor.kind === "user" ? p.actor.id : null,
    createdAt: p.now,
  };
}
