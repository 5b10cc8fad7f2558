import type Stripe from "stripe";
import {
  formError,
  refundCreateInput,
  type FormTree,
} from "@/testing/stripe/forms";
import { formatMoney } from "@/testing/stripe/money";
import { newId, snapshot, type RequestContext } from "@/testing/stripe/objects";
import { invalid, noSuch, ok, type ApiReply } from "@/testing/stripe/replies";
import { buildEvent, nowSeconds, type Store } from "@/testing/stripe/state";

// Refunds, through the API or the dashboard (the test control): Stripe's refusals, the Refund, and
// the charge's refunded amount.

export type RefundInput = {
  paymentIntent?: string;
  charge?: string;
  amount?: number;
  metadata?: Stripe.Metadata;
  reason?: "duplicate" | "fraudulent" | "requested_by_customer";
};

export function refundState(
  store: Store,
  input: RefundInput,
  request: RequestContext | null,
):
  | { ok: true; refund: Stripe.Refund; events: Stripe.Event[] }
  | { ok: false; reply: ApiReply } {
  let charge: Stripe.Charge | undefined;
  if (input.paymentIntent !== undefined) {
    const chargeId = store.paymentIntents.get(input.paymentIntent);
    if (!chargeId)
      return {
        ok: false,
        reply: noSuch(
          "payment_intent",
          input.paymentIntent,
          "payment_intent",
          400,
        ),
      };
    charge = store.charges.get(chargeId);
  } else if (input.charge !== undefined) {
    charge = store.charges.get(input.charge);
    if (!charge)
      return {
        ok: false,
        reply: noSuch("charge", input.charge, "charge", 400),
      };
  } else {
    return {
      ok: false,
      reply: invalid(
        "One of the following params should be provided for this request: payment_intent or charge.",
        undefined,
        "parameter_missing",
      ),
    };
  }
  if (!charge || charge.status !== "succeeded")
    return {
      ok: false,
      reply: invalid(
        `This PaymentIntent (${String(charge?.payment_intent ?? input.paymentIntent)}) does not have a successful charge to refund.`,
        "payment_intent",
      ),
    };
  const left = charge.amount - charge.amount_refunded;
  if (left <= 0)
    return {
      ok: false,
      reply: invalid(
        `Charge ${charge.id} has already been refunded.`,
        undefined,
        "charge_already_refunded",
      ),
    };
  const amount = input.amount ?? left;
  if (amount < 1)
    return {
      ok: false,
      reply: invalid(
        "Invalid positive integer",
        "amount",
        "parameter_invalid_integer",
      ),
    };
  if (amount > left)
    return {
      ok: false,
      reply: invalid(
        `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(left, charge.currency)})`,
        "amount",
        "amount_too_large",
      ),
    };
  const refund: Stripe.Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: newId("txn"),
    charge: charge.id,
    created: nowSeconds(store),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    metadata: { ...input.metadata },
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: input.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  store.refunds.set(refund.id, refund);
  const previous = {
    amount_refunded: charge.amount_refunded,
    refunded: charge.refunded,
  };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  return {
    ok: true,
    refund,
    events: [
      buildEvent(store, "refund.created", refund, request),
      buildEvent(store, "charge.refunded", charge, request, previous),
    ],
  };
}

export function createRefund(
  store: Store,
  form: FormTree,
  context: RequestContext,
): ApiReply {
  const parsed = refundCreateInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  const p = parsed.data;
  const result = refundState(
    store,
    {
      paymentIntent: p.payment_intent,
      charge: p.charge,
      amount: p.amount,
      metadata: p.metadata,
      reason: p.reason,
    },
    context,
  );
  if (!result.ok) return result.reply;
  return { ...ok(snapshot(result.refund)), events: result.events };
}
