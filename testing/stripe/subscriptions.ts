import type Stripe from "stripe";
import { formatMoney } from "@/testing/stripe/money";
import {
  formError,
  portalSessionCreateInput,
  type FormTree,
} from "@/testing/stripe/forms";
import {
  DAY,
  addInterval,
  idOf,
  invoiceObject,
  newId,
  snapshot,
  subscriptionItem,
  subscriptionItemParent,
  subscriptionObject,
  type InvoiceLineInput,
} from "@/testing/stripe/objects";
import { invalid, noSuch, ok, type ApiReply } from "@/testing/stripe/replies";
import {
  buildEvent,
  nowSeconds,
  productName,
  requireSubscription,
  type SessionRecord,
  type Store,
} from "@/testing/stripe/state";

// Subscriptions and their invoices: the first one a Checkout Session starts, each renewal (paid or
// failed), cancellation, and the billing portal where a customer cancels at the period's end.

function createInvoice(
  store: Store,
  p: {
    subscription: Stripe.Subscription;
    billingReason: "subscription_create" | "subscription_cycle";
    lines: InvoiceLineInput[];
    periodStart: number;
    periodEnd: number;
    paid: boolean;
  },
): Stripe.Invoice {
  const customerId = idOf(p.subscription.customer);
  const invoice = invoiceObject({
    ...p,
    id: newId("in"),
    number: `FAKE-${String(++store.invoiceNumber).padStart(4, "0")}`,
    created: nowSeconds(store),
    baseUrl: store.baseUrl,
    customer: customerId ? store.customers.get(customerId) : undefined,
    automaticTax: p.subscription.automatic_tax.enabled,
    lines: p.lines.map((line) => ({
      ...line,
      description: invoiceLineDescription(store, line.price, line.quantity),
    })),
  });
  store.invoices.set(invoice.id, invoice);
  return invoice;
}

export function payInvoice(store: Store, invoice: Stripe.Invoice) {
  const t = nowSeconds(store);
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = true;
  invoice.attempt_count += 1;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = t;
}

export function failInvoice(store: Store, invoice: Stripe.Invoice) {
  invoice.attempted = true;
  invoice.attempt_count += 1;
  // Smart Retries would try again in a few days.
  invoice.next_payment_attempt = nowSeconds(store) + 3 * DAY;
}

/** Subscription mode's Pay: the subscription and its first invoice (recurring and one-time lines). */
export function startSubscription(
  store: Store,
  record: SessionRecord,
  customerId: string,
  paid: boolean,
) {
  const session = record.session;
  const t = nowSeconds(store);
  const recurring = record.lineItems.filter((li) => li.price?.recurring);
  const oneTime = record.lineItems.filter((li) => !li.price?.recurring);
  const first = recurring[0]?.price?.recurring;
  if (!first)
    throw new Error("fake stripe: subscription without a recurring price");
  const end = addInterval(t, first.interval, first.interval_count);
  const id = newId("sub");
  const items = recurring.flatMap((li) =>
    li.price ? [subscriptionItem(id, li.price, li.quantity ?? 1, t, end)] : [],
  );
  const automaticTax = session.automatic_tax.enabled;
  const subscription = subscriptionObject({
    id,
    created: t,
    currency: session.currency ?? "eur",
    customer: customerId,
    items,
    metadata: record.subscriptionMetadata,
    automaticTax,
    paid,
  });
  store.subscriptions.set(id, subscription);
  const lines: InvoiceLineInput[] = [
    ...items.map((item) => ({
      price: item.price,
      quantity: item.quantity ?? 1,
      period: { start: t, end },
      parent: subscriptionItemParent(id, item.id),
    })),
    ...oneTime.flatMap((li) =>
      li.price
        ? [
            {
              price: li.price,
              quantity: li.quantity ?? 1,
              period: { start: t, end: t },
              parent: {
                type: "invoice_item_details",
                invoice_item_details: {
                  invoice_item: newId("ii"),
                  proration: false,
                  proration_details: { credited_items: null },
                  subscription: id,
                },
                subscription_item_details: null,
              } satisfies Stripe.InvoiceLineItem.Parent,
            },
          ]
        : [],
    ),
  ];
  const invoice = createInvoice(store, {
    subscription,
    billingReason: "subscription_create",
    lines,
    periodStart: t,
    periodEnd: t,
    paid,
  });
  subscription.latest_invoice = invoice.id;
  return { subscription, invoice };
}

/** The next period's invoice; the period moves on whether or not it is paid. */
function cycleSubscription(
  store: Store,
  subscription: Stripe.Subscription,
  paid: boolean,
) {
  const items = subscription.items.data;
  const start = items[0]?.current_period_end ?? nowSeconds(store);
  const previousStart = items[0]?.current_period_start ?? start;
  for (const item of items) {
    item.current_period_start = item.current_period_end;
    item.current_period_end = addInterval(
      item.current_period_end,
      item.plan.interval,
      item.plan.interval_count,
    );
  }
  const invoice = createInvoice(store, {
    subscription,
    billingReason: "subscription_cycle",
    lines: items.map((item) => ({
      price: item.price,
      quantity: item.quantity ?? 1,
      period: {
        start: item.current_period_start,
        end: item.current_period_end,
      },
      parent: subscriptionItemParent(subscription.id, item.id),
    })),
    // A cycle invoice's own period is the one that just ended.
    periodStart: previousStart,
    periodEnd: start,
    paid,
  });
  if (!paid) failInvoice(store, invoice);
  subscription.latest_invoice = invoice.id;
  return invoice;
}

function endSubscription(store: Store, subscription: Stripe.Subscription) {
  const t = nowSeconds(store);
  subscription.status = "canceled";
  subscription.canceled_at ??= t;
  subscription.ended_at = t;
  subscription.cancellation_details = {
    comment: null,
    feedback: null,
    feedback_option: null,
    reason: "cancellation_requested",
  };
}

export function renewState(store: Store, id: string): Stripe.Event[] {
  const subscription = requireSubscription(store, id);
  if (
    subscription.status === "canceled" ||
    subscription.status === "incomplete"
  )
    throw new Error(
      `fake stripe: subscription ${id} is ${subscription.status}`,
    );
  // At the period's end a subscription set to cancel ends instead of renewing.
  if (subscription.cancel_at_period_end) return cancelState(store, id);
  const previous: Partial<Stripe.Subscription> = {
    items: snapshot(subscription.items),
    latest_invoice: subscription.latest_invoice,
    status: subscription.status,
  };
  const open = store.invoices.get(idOf(subscription.latest_invoice) ?? "");
  let invoice: Stripe.Invoice;
  if (subscription.status === "past_due" && open && open.status === "open") {
    // A past-due subscription is renewed by its retried invoice finally being paid.
    payInvoice(store, open);
    invoice = open;
    delete previous.items;
  } else {
    invoice = cycleSubscription(store, subscription, true);
  }
  subscription.status = "active";
  return [
    buildEvent(store, "invoice.paid", invoice, null),
    buildEvent(
      store,
      "customer.subscription.updated",
      subscription,
      null,
      previous,
    ),
  ];
}

export function failRenewalState(store: Store, id: string): Stripe.Event[] {
  const subscription = requireSubscription(store, id);
  if (subscription.status !== "active" && subscription.status !== "past_due")
    throw new Error(
      `fake stripe: subscription ${id} is ${subscription.status}`,
    );
  const previous: Partial<Stripe.Subscription> = {
    items: snapshot(subscription.items),
    latest_invoice: subscription.latest_invoice,
    status: subscription.status,
  };
  const invoice = cycleSubscription(store, subscription, false);
  subscription.status = "past_due";
  return [
    buildEvent(store, "invoice.payment_failed", invoice, null),
    buildEvent(
      store,
      "customer.subscription.updated",
      subscription,
      null,
      previous,
    ),
  ];
}

export function cancelState(store: Store, id: string): Stripe.Event[] {
  const subscription = requireSubscription(store, id);
  if (subscription.status === "canceled")
    throw new Error(`fake stripe: subscription ${id} is already canceled`);
  endSubscription(store, subscription);
  return [
    buildEvent(store, "customer.subscription.deleted", subscription, null),
  ];
}

export function cancelAtPeriodEndState(
  store: Store,
  subscription: Stripe.Subscription,
) {
  const previous: Partial<Stripe.Subscription> = {
    cancel_at: subscription.cancel_at,
    cancel_at_period_end: subscription.cancel_at_period_end,
    canceled_at: subscription.canceled_at,
    cancellation_details: subscription.cancellation_details,
  };
  subscription.cancel_at_period_end = true;
  subscription.cancel_at =
    subscription.items.data[0]?.current_period_end ?? nowSeconds(store);
  subscription.canceled_at = nowSeconds(store);
  subscription.cancellation_details = {
    comment: null,
    feedback: null,
    feedback_option: null,
    reason: "cancellation_requested",
  };
  return [
    buildEvent(
      store,
      "customer.subscription.updated",
      subscription,
      null,
      previous,
    ),
  ];
}

function invoiceLineDescription(
  store: Store,
  price: Stripe.Price,
  quantity: number,
) {
  const name = productName(store, price);
  const unit = formatMoney(price.unit_amount ?? 0, price.currency);
  const per = price.recurring ? ` / ${price.recurring.interval}` : "";
  return `${quantity} × ${name} (at ${unit}${per})`;
}

export function createPortalSession(store: Store, form: FormTree): ApiReply {
  const parsed = portalSessionCreateInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  const p = parsed.data;
  if (p.customer === undefined)
    return invalid(
      "Missing required param: customer.",
      "customer",
      "parameter_missing",
    );
  if (!store.customers.has(p.customer))
    return noSuch("customer", p.customer, "customer", 400);
  if (p.return_url !== undefined && !URL.canParse(p.return_url))
    return invalid("Not a valid URL", "return_url", "url_invalid");
  const id = newId("bps");
  const session: Stripe.BillingPortal.Session = {
    id,
    object: "billing_portal.session",
    configuration: "bpc_test_default",
    created: nowSeconds(store),
    customer: p.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: p.return_url ?? null,
    url: `${store.baseUrl}/billing/${id}`,
  };
  store.portalSessions.set(id, session);
  return ok(snapshot(session));
}
