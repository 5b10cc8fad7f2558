"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireAdmin, requireAgent } from "@/lib/auth/session";
import { formatMoney } from "@/lib/format";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import {
  cancelOrder,
  markOrderFulfilled,
  markOrderPaid,
  refundOrder,
} from "@/lib/orders/manage";
import {
  cancelOrderInput,
  orderIdInput,
  orderIdParam,
  refundInput,
} from "@/lib/orders/schemas";
import { stripeFromEnv } from "@/lib/stripe/from-env";

// The staff order page's buttons. Agents take payments in and close unpaid orders; only admins
// send money back.

/** Where sign-in returns to: the order's page when the post names one. */
function pageOf(form: FormData): string {
  const id = orderIdParam.safeParse(form.get("orderId"));
  return id.success ? `/staff/orders/${id.data}` : "/staff/orders";
}

function refreshOrder(orderId: string): void {
  revalidatePath(`/staff/orders/${orderId}`);
  revalidatePath("/staff/orders");
}

/** A bank transfer arrived: the order is paid, invoiced, and the customer gets the receipt (if they take order mail). */
export async function markOrderPaidAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(pageOf(form));
  const input = parseForm(orderIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const db = await getDb();
  const paid = await markOrderPaid(db, agent, input.value.orderId, {
    now: new Date(),
  });
  if (!paid.ok) return formFailure(paid.error);
  const { order, receipt } = paid.value;
  deliverSoon(db);
  refreshOrder(order.id);
  return {
    ok: true,
    message: `Marked paid${order.invoiceNumber ? ` with invoice ${order.invoiceNumber}` : ""}.${receipt ? ` The receipt is on its way to ${order.email}.` : " The customer does not take order mail: no receipt is sent."}`,
  };
}

export async function markOrderFulfilledAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(pageOf(form));
  const input = parseForm(orderIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const done = await markOrderFulfilled(
    await getDb(),
    agent,
    input.value.orderId,
    { now: new Date() },
  );
  if (!done.ok) return formFailure(done.error);
  refreshOrder(done.value.id);
  return { ok: true, message: "Marked fulfilled." };
}

export async function cancelOrderAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(pageOf(form));
  const input = parseForm(cancelOrderInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const cancelled = await cancelOrder(
    await getDb(),
    stripeFromEnv(),
    agent,
    input.value.orderId,
    { now: new Date(), reason: input.value.reason },
  );
  if (!cancelled.ok) return formFailure(cancelled.error, form);
  refreshOrder(cancelled.value.id);
  return { ok: true, message: "Order cancelled." };
}

/** Admins only: a card refund goes through Stripe, a bank-transfer refund is recorded as sent. */
export async function refundOrderAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(pageOf(form));
  const input = parseForm(refundInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const refunded = await refundOrder(
    db,
    stripeFromEnv(),
    admin,
    input.value.orderId,
    {
      amount: input.value.amount,
      reason: input.value.reason,
      now: new Date(),
    },
  );
  if (!refunded.ok) return formFailure(refunded.error, form);
  const { order } = refunded.value;
  const amount = formatMoney(input.value.amount, order.currency);
  deliverSoon(db);
  refreshOrder(order.id);
  return {
    ok: true,
    message:
      order.provider === "manual"
        ? `Refund of ${amount} recorded and the customer told. Send the money back by bank transfer.`
        : `Refund of ${amount} sent to Stripe. The order updates when Stripe confirms it.`,
  };
}
