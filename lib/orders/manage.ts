import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { orders, refunds, services, type Order } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_ONLY, isAdmin, isStaff, type Viewer } from "@/lib/auth/viewer";
import { formatMoney } from "@/lib/format";
import { log } from "@/lib/log";
import { numberInvoicesNow } from "@/lib/orders/invoices";
import { mailCustomerAboutOrder, wantsOrderMail } from "@/lib/orders/notify";
import { lockOrder, recordPayment } from "@/lib/orders/payments";
import { hasBeenPaid, isUnpaid } from "@/lib/orders/status";
import { moveOrder, recordOrderEvent } from "@/lib/orders/transitions";
import { fail, ok, type Result } from "@/lib/result";
import { describeStripeError, type StripeClient } from "@/lib/stripe/client";

// What staff do to an order by hand. Every change is on the order's timeline with the agent's
// name, and in the audit log.

const AGENTS_ONLY = "Only agents can change orders.";

async function withOrder<T>(
  db: Db,
  actor: Viewer,
  orderId: string,
  run: (tx: Db, order: Order) => Promise<Result<T>>,
): Promise<Result<T>> {
  if (!isStaff(actor)) return fail("forbidden", AGENTS_ONLY);
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) return fail("not_found", "Order not found.");
    return run(tx, order);
  });
}

/** Money arrived outside Stripe (a bank transfer): the order is paid, invoiced and started. */
export async function markOrderPaid(
  db: Db,
  actor: Viewer,
  orderId: string,
  p: { now: Date },
): Promise<Result<{ order: Order; receipt: boolean }>> {
  const marked = await withOrder(db, actor, orderId, async (tx, order) => {
    if (!isUnpaid(order.status))
      return fail("conflict", "Only an unpaid order can be marked paid.");
    const { order: paid } = await recordPayment(tx, order, {
      provider: "manual",
      externalId: null,
      amount: order.totalAmount,
      currency: order.currency,
      actor: { kind: "user", id: actor.id },
      note: "Payment received (marked by hand)",
      now: p.now,
    });
    await audit(tx, actor, "order.mark_paid", paid, p.now);
    return ok(paid);
  });
  if (!marked.ok) return marked;
  // The invoice number (and with it the receipt) comes once the payment is committed.
  await numberInvoicesNow(db, p.now).catch((error: unknown) =>
    log.error("orders.invoice_numbering_failed", { orderId, error }),
  );
  const [numbered] = await db
    .select()
    .from(orders)
    .where(eq(orders.id, orderId));
  const order = numbered ?? marked.value;
  // The receipt goes with the number, to a customer who takes order mail.
  const receipt =
    Boolean(order.invoiceNumber) && (await wantsOrderMail(db, order));
  return ok({ order, receipt });
}

export async function markOrderFulfilled(
  db: Db,
  actor: Viewer,
  orderId: string,
  p: { now: Date },
): Promise<Result<Order>> {
  return withOrder(db, actor, orderId, async (tx, order) => {
    if (order.status !== "paid")
      return fail("conflict", "Only a paid order can be marked fulfilled.");
    const { order: done } = await moveOrder(tx, order, "fulfilled", {
      actor: { kind: "user", id: actor.id },
      now: p.now,
    });
    await audit(tx, actor, "order.fulfil", done, p.now);
    return ok(done);
  });
}

/** Cancels an unpaid order; its open Stripe payment page is closed so it cannot be paid any more. */
export async function cancelOrder(
  db: Db,
  stripe: StripeClient | null,
  actor: Viewer,
  orderId: string,
  p: { now: Date; reason?: string },
): Promise<Result<Order>> {
  const cancelled = await withOrder(db, actor, orderId, async (tx, order) => {
    if (!isUnpaid(order.status) && order.status !== "expired")
      return fail(
        "conflict",
        "Only an unpaid order can be cancelled; refund a paid one instead.",
      );
    const { order: done } = await moveOrder(tx, order, "cancelled", {
      actor: { kind: "user", id: actor.id },
      note: p.reason,
      now: p.now,
    });
    await tx
      .update(services)
      .set({ status: "cancelled", updatedAt: p.now })
      .where(eq(services.orderId, order.id));
    await audit(tx, actor, "order.cancel", done, p.now);
    return ok(done);
  });
  const sessionId = cancelled.ok ? cancelled.value.checkoutSessionId : null;
  if (stripe && sessionId)
    await stripe.expireCheckoutSession(sessionId).catch((error: unknown) => {
      // The session still expires by itself within a day, and a payment then is refused
      // by the order's state (a cancelled order never becomes paid).
      log.warn("stripe.expire_failed", { orderId, sessionId, error });
    });
  return cancelled;
}

/** What can still be refunded: paid, less refunded, less refunds on their way. */
export async function refundableAmount(db: Db, order: Order): Promise<number> {
  const [row] = await db
    .select({
      n: sql<number>`coalesce(sum(${refunds.amount}), 0)::int`,
    })
    .from(refunds)
    .where(
      and(
        eq(refunds.orderId, order.id),
        inArray(refunds.status, ["pending", "requires_action"]),
      ),
    );
  return Math.max(0, order.totalAmount - order.refundedAmount - (row?.n ?? 0));
}

/**
 * Refunds `amount` (minor units) of a paid order. Card orders are refunded through Stripe, whose
 * webhook then updates the order; a bank-transfer refund is money sent back by hand, recorded now.
 */
export async function refundOrder(
  db: Db,
  stripe: StripeClient | null,
  actor: Viewer,
  orderId: string,
  p: { amount: number; reason?: string; now: Date },
): Promise<Result<{ order: Order; refundId: string }>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const prepared = await withOrder(db, actor, orderId, async (tx, order) => {
    if (!hasBeenPaid(order.status))
      return fail("conflict", "Only a paid order can be refunded.");
    if (order.provider === "shopify")
      return fail("conflict", "Refund Shopify orders in Shopify.");
    const left = await refundableAmount(tx, order);
    if (p.amount > left)
      return fail(
        "invalid_input",
        `At most ${formatMoney(left, order.currency)} can still be refunded.`,
        {
          fields: { amount: [`At most ${formatMoney(left, order.currency)}.`] },
        },
      );
    if (order.provider === "stripe" && (!stripe || !order.paymentIntentId))
      return fail(
        "unavailable",
        "This card payment cannot be refunded from here: refund it in Stripe's dashboard.",
      );
    const [refund] = await tx
      .insert(refunds)
      .values({
        orderId: order.id,
        provider: order.provider,
        amount: p.amount,
        currency: order.currency,
        status: order.provider === "manual" ? "succeeded" : "pending",
        reason: p.reason ?? null,
        requestedById: actor.id,
        createdAt: p.now,
        updatedAt: p.now,
      })
      .returning();
    const note = `Refund of ${formatMoney(p.amount, order.currency)} ${order.provider === "manual" ? "sent by bank transfer" : "requested"}${p.reason ? `: ${p.reason}` : ""}`;
    await audit(tx, actor, "order.refund", order, p.now, { amount: p.amount });
    if (order.provider !== "manual") {
      await recordOrderEvent(tx, order.id, null, {
        actor: { kind: "user", id: actor.id },
        note,
        now: p.now,
      });
      return ok({ order, refundId: refund!.id });
    }
    const refunded = order.refundedAmount + p.amount;
    const [updated] = await tx
      .update(orders)
      .set({ refundedAmount: refunded, updatedAt: p.now })
      .where(eq(orders.id, order.id))
      .returning();
    const { moved, order: current } = await moveOrder(
      tx,
      updated!,
      refunded >= order.totalAmount ? "refunded" : "partially_refunded",
      { actor: { kind: "user", id: actor.id }, note, now: p.now },
    );
    if (!moved)
      await recordOrderEvent(tx, order.id, null, {
        actor: { kind: "user", id: actor.id },
        note,
        now: p.now,
      });
    await mailCustomerAboutOrder(
      tx,
      current,
      { kind: "refund", amount: p.amount },
      p.now,
    );
    return ok({ order: current, refundId: refund!.id });
  });
  if (!prepared.ok || prepared.value.order.provider !== "stripe")
    return prepared;
  return sendStripeRefund(db, stripe!, prepared.value, p);
}

// Outside the order's transaction: Stripe may deliver the refund's webhooks while we wait for it.
async function sendStripeRefund(
  db: Db,
  stripe: StripeClient,
  prepared: { order: Order; refundId: string },
  p: { amount: number; now: Date },
): Promise<Result<{ order: Order; refundId: string }>> {
  const { order, refundId } = prepared;
  let sent: Awaited<ReturnType<StripeClient["createRefund"]>>;
  try {
    sent = await stripe.createRefund({
      paymentIntentId: order.paymentIntentId!,
      amount: p.amount,
      idempotencyKey: `refund:${refundId}`,
      metadata: { orderId: order.id },
    });
  } catch (error) {
    log.warn("stripe.refund_failed", { orderId: order.id, refundId, error });
    await db
      .update(refunds)
      .set({ status: "failed", updatedAt: p.now })
      .where(eq(refunds.id, refundId));
    await recordOrderEvent(db, order.id, null, {
      actor: { kind: "system" },
      note: `The refund of ${formatMoney(p.amount, order.currency)} was not made: ${describeStripeError(error).message}`,
      now: p.now,
    });
    return fail("upstream_failed", describeStripeError(error).message);
  }
  // The refund exists at Stripe now, whatever happens below. Its webhook may be recording it at
  // this very moment: the webhook locks the order first, so taking the same lock makes one of us
  // see the other's row instead of both writing the same Stripe id.
  await db.transaction(async (tx) => {
    await lockOrder(tx, order.id);
    const [seen] = await tx
      .select({ id: refunds.id })
      .from(refunds)
      .where(
        and(eq(refunds.provider, "stripe"), eq(refunds.externalId, sent.id)),
      );
    if (seen) {
      // Its webhook got here first and made its own row: keep that one, with who asked.
      const [mine] = await tx
        .delete(refunds)
        .where(eq(refunds.id, refundId))
        .returning();
      await tx
        .update(refunds)
        .set({ requestedById: mine?.requestedById, reason: mine?.reason })
        .where(and(eq(refunds.id, seen.id), isNull(refunds.requestedById)));
    } else {
      await tx
        .update(refunds)
        .set({
          externalId: sent.id,
          status: stripeRefundStatus(sent.status),
          updatedAt: p.now,
        })
        .where(eq(refunds.id, refundId));
    }
  });
  return ok(prepared);
}

const stripeRefundStatus = (
  status: string,
): "pending" | "requires_action" | "succeeded" | "failed" | "canceled" =>
  status === "succeeded" ||
  status === "failed" ||
  status === "canceled" ||
  status === "requires_action"
    ? status
    : "pending";

async function audit(
  db: Db,
  actor: Viewer,
  action: string,
  order: Order,
  at: Date,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, {
    actor: { kind: "user", id: actor.id },
    action,
    entityType: "order",
    entityId: order.id,
    data: { number: order.number, status: order.status, ...data },
    at,
  });
}
