import "server-only";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import {
  orders,
  payments,
  refunds,
  services,
  webhookEvents,
  type ServiceStatus,
} from "@/db/schema";
import { sessionStatements, sqlStatement } from "@/db/prepared";
import type { Db } from "@/db/types";
import { formatMoney } from "@/lib/format";
import { log } from "@/lib/log";
import { numberInvoicesNow } from "@/lib/orders/invoices";
import { mailCustomerAboutOrder } from "@/lib/orders/notify";
import {
  buildLockWithCustomer,
  laterOf,
  lockOrderWithCustomer,
  readLockedOrder,
  recordPayment,
  rememberStripeCustomer,
  type LockedOrder,
  type PaymentInput,
} from "@/lib/orders/payments";
import { isUuid } from "@/lib/ids";
import {
  canMove,
  moveOrder,
  recordOrderEvent,
  type OrderChanges,
} from "@/lib/orders/transitions";

// Applies verified Stripe events to orders and services. Each event is recorded once, in the
// transaction that applies it: a repeat is a no-op, and a failure rolls the record back so
// Stripe's retry applies it again. Orders only move forward (lib/orders/transitions.ts), which
// makes duplicates and every reordering Stripe may deliver come out the same.

/** The event names an order we do not have yet (it may arrive later): answer 500 so Stripe retries. */
export class OrderNotFoundYet extends Error {
  constructor(ref: string) {
    super(`No order for ${ref} yet`);
    this.name = "OrderNotFoundYet";
  }
}

export type StripeEventOutcome = {
  duplicate: boolean;
  /** False for event types Portico does not act on, and for objects that are not Portico's. */
  handled: boolean;
};

const SYSTEM = { kind: "system" } as const;

/** Records and applies one event in its own transaction, then numbers the invoices it made due. */
export async function processStripeEvent(
  db: Db,
  event: Stripe.Event,
  now: Date,
): Promise<StripeEventOutcome> {
  const outcome = await db.transaction((tx) =>
    recordAndApplyEvent(tx, event, now),
  );
  if (paysOrder(event, outcome)) await numberInvoicesAfter(db, [event], now);
  return outcome;
}

/**
 * Records the event and applies it, in the caller's transaction: a repeat changes nothing. The
 * invoices it makes due are numbered after the commit (numberInvoicesAfter).
 */
export async function recordAndApplyEvent(
  tx: Db,
  event: Stripe.Event,
  now: Date,
): Promise<StripeEventOutcome> {
  const values = { eventId: event.id, type: event.type, payload: event, now };
  const key = orderKeyOf(event);
  if (!key) {
    const isNew = await insertEvent(tx, "", buildEventInsert, values);
    if (!isNew) return { duplicate: true, handled: false };
    return { duplicate: false, handled: await apply(tx, event, now, null) };
  }
  // The event names its order: recorded and the order locked in one round trip.
  const recorded = await recordAndLock(tx, "", buildRecordAndLock, {
    ...values,
    id: key,
  });
  if (!recorded.isNew) return { duplicate: true, handled: false };
  return {
    duplicate: false,
    handled: await apply(tx, event, now, { id: key, locked: recorded.locked }),
  };
}

/**
 * Records and applies events that each name another order (orderKeyOf), in the caller's
 * transaction: one outcome per event, in their order, as recordAndApplyEvent would give. The events
 * are recorded in one statement: each record carries its whole event, and postgres.js writes any
 * message of 1 KiB or more to the socket at once, so a record per event cost a write per event.
 * Every statement has finished when this resolves, failed or not.
 */
export async function recordAndApplyEvents(
  tx: Db,
  items: { event: Stripe.Event; now: Date }[],
): Promise<PromiseSettledResult<StripeEventOutcome>[]> {
  const keys = items.map(({ event }) => orderKeyOf(event));
  if (keys.some((key) => !key))
    throw new Error("Only events that name their order are applied together.");
  // Sent together: the orders' locks in the caller's order, then the records. A record carries
  // its whole event, so postgres.js writes it to the socket at once, taking the locks queued
  // before it along: one write, not two. Locks first also means a group waiting for an order holds
  // no event's record that another group (with a repeat of that event) could be waiting for.
  const locks = keys.map((id) => lockOrderWithCustomer(tx, id!));
  const recorded = insertEvents(tx, "", buildEventsInsert, {
    events: JSON.stringify(
      items.map(({ event, now }) => ({
        id: event.id,
        type: event.type,
        payload: event,
        at: now.toISOString(),
      })),
    ),
  });
  const first = await Promise.allSettled([recorded, ...locks]);
  const failed = first.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  const fresh = await recorded;
  return Promise.allSettled(
    items.map(async ({ event, now }, i) => {
      if (!fresh.has(event.id)) return { duplicate: true, handled: false };
      const pre = { id: keys[i]!, locked: await locks[i]! };
      return { duplicate: false, handled: await apply(tx, event, now, pre) };
    }),
  );
}

// The new events' ids. Rows go in in event-id order, so two transactions recording the same events
// at once wait for each other in one order, never crosswise.
const insertEvents = sessionStatements(
  (rows) => new Set(rows.map((r) => r[0] as string)),
);
const buildEventsInsert = sqlStatement(
  () => sql`insert into ${webhookEvents}
      (provider, event_id, type, payload, received_at, processed_at)
      select 'stripe', e.id, e.type, e.payload, e.at, e.at
      from jsonb_to_recordset(${sql.placeholder("events")}::jsonb)
        as e(id text, type text, payload jsonb, at timestamptz)
      order by e.id
      on conflict do nothing
      returning ${webhookEvents.eventId}`,
);

/** The order an event names, locked (null: not there) with the event's record. */
type Prelocked = { id: string; locked: LockedOrder | null };

// One row, whether or not the order is there: whether the event was new, then the locked order's
// columns (all null without one). A repeat still locks the order, for as long as it takes to say so.
const recordAndLock = sessionStatements((rows) => ({
  isNew: rows[0]?.[0] === true,
  locked:
    rows[0]?.[1] == null ? null : readLockedOrder(rows.map((r) => r.slice(1))),
}));
const buildRecordAndLock = sqlStatement(
  (db) => sql`with event as (${buildEventInsert(db).getSQL()}),
      locked as (${buildLockWithCustomer(db).getSQL()})
      select exists (select 1 from event), locked.*
      from (select 1) as one left join locked on true`,
);

/** Whether the applied event may have recorded an order's first payment, which makes it due for its invoice. */
export const paysOrder = (event: Stripe.Event, outcome: StripeEventOutcome) =>
  outcome.handled && PAYING.has(event.type);

/** Numbers the invoices committed payments made due; a failure is logged, as the scheduled job numbers what is left. */
export async function numberInvoicesAfter(
  db: Db,
  events: Stripe.Event[],
  now: Date,
): Promise<void> {
  await numberInvoicesNow(db, now).catch((error: unknown) =>
    log.error("orders.invoice_numbering_failed", {
      eventIds: events.map((e) => e.id),
      error,
    }),
  );
}

// The events that may record an order's first payment, after which it is due for an invoice.
const PAYING: ReadonlySet<string> = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "invoice.paid",
]);

/**
 * The order an event acts on, by the id Portico gave it, for the events that change that order
 * and nothing of another order's; null for any other event. Events with different keys can be
 * applied in one transaction (lib/stripe/batches.ts).
 */
export function orderKeyOf(event: Stripe.Event): string | null {
  let ref: string | null | undefined = null;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired":
      ref = sessionOrderRef(event.data.object);
      break;
    case "invoice.paid":
    case "invoice.payment_failed":
      ref = subscriptionOfInvoice(event.data.object).orderRef;
      break;
  }
  return ref && isUuid(ref) ? ref.toLowerCase() : null;
}

// Recorded as processed at once: the row commits only together with what the event changed.
const insertEvent = sessionStatements((rows) => rows.length > 0);
const buildEventInsert = (db: Db) =>
  db
    .insert(webhookEvents)
    .values({
      provider: "stripe",
      eventId: sql.placeholder("eventId"),
      type: sql.placeholder("type"),
      payload: sql.placeholder("payload"),
      receivedAt: sql.placeholder("now"),
      processedAt: sql.placeholder("now"),
    })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });

async function apply(
  db: Db,
  event: Stripe.Event,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  switch (event.type) {
    case "checkout.session.completed":
      return sessionCompleted(db, event.data.object, now, pre);
    case "checkout.session.async_payment_succeeded":
      return sessionPaid(db, event.data.object, now, pre);
    case "checkout.session.async_payment_failed":
      return sessionFailed(db, event.data.object, now, pre);
    case "checkout.session.expired":
      return sessionExpired(db, event.data.object, now, pre);
    case "charge.refunded":
      return chargeRefunded(db, event.data.object, now);
    case "refund.created":
    case "refund.updated":
    case "refund.failed":
      return refundChanged(db, event.data.object, now);
    case "invoice.paid":
      return invoicePaid(db, event.data.object, now, pre);
    case "invoice.payment_failed":
      return invoiceFailed(db, event.data.object, now, pre);
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return subscriptionChanged(
        db,
        event.data.object,
        event.type === "customer.subscription.deleted",
        new Date(event.created * 1000),
        now,
      );
    default:
      return false;
  }
}

const idOf = (value: string | { id?: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

/** The order an object names through our metadata; null when it names none (not Portico's). */
async function orderByRef(
  db: Db,
  ref: string | null | undefined,
  pre: Prelocked | null = null,
): Promise<LockedOrder | null> {
  if (!ref || !isUuid(ref)) return null;
  const locked =
    pre?.id === ref.toLowerCase()
      ? pre.locked
      : await lockOrderWithCustomer(db, ref);
  if (!locked) throw new OrderNotFoundYet(`order ${ref}`);
  return locked;
}

async function orderOfSession(
  db: Db,
  session: Stripe.Checkout.Session,
  pre: Prelocked | null,
): Promise<LockedOrder | null> {
  return orderByRef(db, sessionOrderRef(session), pre);
}

const sessionOrderRef = (session: Stripe.Checkout.Session) =>
  session.client_reference_id ?? session.metadata?.orderId ?? null;

// A subscription's first payment is reported twice (the session and its first invoice): one key.
const firstPaymentKey = (subscriptionId: string) => `first:${subscriptionId}`;

async function sessionCompleted(
  db: Db,
  session: Stripe.Checkout.Session,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  const locked = await orderOfSession(db, session, pre);
  if (!locked) return false;
  const { order } = locked;
  const automaticTax = session.automatic_tax?.enabled === true;
  const currency = (session.currency ?? "").toUpperCase();
  const expected = automaticTax ? order.subtotalAmount : order.totalAmount;
  const reported = automaticTax
    ? (session.amount_subtotal ?? -1)
    : (session.amount_total ?? -1);
  if (currency !== order.currency || reported !== expected) {
    // Never mark an order paid for money that does not match it; a person looks at it.
    await recordOrderEvent(db, order.id, null, {
      actor: SYSTEM,
      note: `Stripe reported ${formatMoney(Math.max(reported, 0), currency || order.currency)} for this order of ${formatMoney(expected, order.currency)}: check the payment by hand.`,
      now,
    });
    log.warn("stripe.amount_mismatch", {
      orderId: order.id,
      sessionId: session.id,
    });
    return true;
  }
  // The customer's first completed checkout tells us their Stripe Customer.
  const customerId = idOf(session.customer);
  const stripeCustomerId =
    customerId && order.customerId && !locked.stripeCustomerId
      ? customerId
      : null;
  // Written with the order's other changes, in the one update of the order that follows.
  const set: OrderChanges = {
    paymentIntentId: idOf(session.payment_intent) ?? order.paymentIntentId,
    subscriptionId: idOf(session.subscription) ?? order.subscriptionId,
    ...(automaticTax
      ? {
          taxAmount: session.total_details?.amount_tax ?? 0,
          totalAmount: session.amount_total ?? order.totalAmount,
        }
      : {}),
    updatedAt: now,
  };
  if (
    session.payment_status === "paid" ||
    session.payment_status === "no_payment_required"
  )
    return paid(db, locked, session, now, { set, stripeCustomerId });
  if (stripeCustomerId && order.customerId)
    await rememberStripeCustomer(db, order.customerId, stripeCustomerId);
  // A delayed method (a bank debit): the money is on its way; a later event says how it went.
  await moveOrder(db, order, "processing", { actor: SYSTEM, now, set });
  return true;
}

async function paid(
  db: Db,
  { order, customerName }: LockedOrder,
  session: Stripe.Checkout.Session,
  now: Date,
  also: Pick<PaymentInput, "set" | "stripeCustomerId"> = {},
): Promise<boolean> {
  const subscriptionId = idOf(session.subscription);
  await recordPayment(db, order, {
    provider: "stripe",
    externalId: subscriptionId
      ? firstPaymentKey(subscriptionId)
      : (idOf(session.payment_intent) ?? session.id),
    amount: session.amount_total ?? order.totalAmount,
    currency: session.currency ?? order.currency,
    actor: SYSTEM,
    note: "Paid by card",
    now,
    subscriptionId,
    customerName,
    ...also,
  });
  return true;
}

async function sessionPaid(
  db: Db,
  session: Stripe.Checkout.Session,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  const locked = await orderOfSession(db, session, pre);
  if (!locked) return false;
  return paid(db, locked, session, now);
}

// An old session of an order that has a newer one says nothing about the order any more.
const isCurrentSession = (
  { order }: LockedOrder,
  session: Stripe.Checkout.Session,
) => !order.checkoutSessionId || order.checkoutSessionId === session.id;

async function sessionFailed(
  db: Db,
  session: Stripe.Checkout.Session,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  const locked = await orderOfSession(db, session, pre);
  if (!locked || !isCurrentSession(locked, session)) return false;
  await paymentFailed(db, locked, "The payment did not go through", now);
  return true;
}

/** An unpaid order whose payment failed; the customer is told and may pay again. */
async function paymentFailed(
  db: Db,
  { order, customerName }: LockedOrder,
  note: string,
  now: Date,
): Promise<void> {
  const { moved, order: failed } = await moveOrder(
    db,
    order,
    "payment_failed",
    {
      actor: SYSTEM,
      note,
      now,
    },
  );
  if (moved)
    await mailCustomerAboutOrder(
      db,
      failed,
      { kind: "payment_failed" },
      now,
      customerName,
    );
}

async function sessionExpired(
  db: Db,
  session: Stripe.Checkout.Session,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  const locked = await orderOfSession(db, session, pre);
  if (!locked || !isCurrentSession(locked, session)) return false;
  if (!canMove(locked.order.status, "expired")) return true;
  await moveOrder(db, locked.order, "expired", {
    actor: SYSTEM,
    note: "The checkout page expired before payment",
    now,
    set: { checkoutUrl: null, checkoutExpiresAt: null },
  });
  return true;
}

async function orderOfPaymentIntent(
  db: Db,
  paymentIntentId: string | null,
  metadataOrderId: string | undefined,
): Promise<LockedOrder | null> {
  if (paymentIntentId) {
    const [row] = await db
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.paymentIntentId, paymentIntentId));
    if (row) return lockOrderWithCustomer(db, row.id);
  }
  const byMetadata = await orderByRef(db, metadataOrderId);
  if (byMetadata) return byMetadata;
  // A payment we do not know yet may be one whose completion has not arrived: let Stripe retry.
  if (paymentIntentId && metadataOrderId)
    throw new OrderNotFoundYet(`payment ${paymentIntentId}`);
  return null;
}

async function chargeRefunded(
  db: Db,
  charge: Stripe.Charge,
  now: Date,
): Promise<boolean> {
  const locked = await orderOfPaymentIntent(
    db,
    idOf(charge.payment_intent),
    charge.metadata?.orderId,
  );
  if (!locked) return false;
  const { order, customerName } = locked;
  // `amount_refunded` is the running total, so a repeat or an older event changes nothing.
  const refunded = Math.min(charge.amount_refunded, order.totalAmount);
  if (refunded <= order.refundedAmount) return true;
  const delta = refunded - order.refundedAmount;
  const note = `Refunded ${formatMoney(delta, order.currency)}`;
  const isFull = refunded >= order.totalAmount;
  const { moved, order: current } = await moveOrder(
    db,
    order,
    isFull ? "refunded" : "partially_refunded",
    {
      actor: SYSTEM,
      note,
      now,
      set: { refundedAmount: refunded, updatedAt: now },
    },
  );
  // A second partial refund leaves the status as it was; the timeline still shows it.
  if (!moved)
    await recordOrderEvent(db, order.id, null, { actor: SYSTEM, note, now });
  await mailCustomerAboutOrder(
    db,
    current,
    { kind: "refund", amount: delta },
    now,
    customerName,
  );
  return true;
}

type RefundStatus =
  "pending" | "requires_action" | "succeeded" | "failed" | "canceled";
const REFUND_STATUSES: ReadonlySet<string> = new Set<RefundStatus>([
  "pending",
  "requires_action",
  "succeeded",
  "failed",
  "canceled",
]);

async function refundChanged(
  db: Db,
  refund: Stripe.Refund,
  now: Date,
): Promise<boolean> {
  const locked = await orderOfPaymentIntent(
    db,
    idOf(refund.payment_intent),
    refund.metadata?.orderId,
  );
  if (!locked) return false;
  const { order } = locked;
  const status: RefundStatus =
    refund.status && REFUND_STATUSES.has(refund.status)
      ? (refund.status as RefundStatus)
      : "pending";
  const [before] = await db
    .select({ status: refunds.status })
    .from(refunds)
    .where(
      and(eq(refunds.provider, "stripe"), eq(refunds.externalId, refund.id)),
    );
  await db
    .insert(refunds)
    .values({
      orderId: order.id,
      provider: "stripe",
      externalId: refund.id,
      amount: refund.amount,
      currency: refund.currency.toUpperCase(),
      status,
      reason: refund.reason ?? null,
      createdAt: new Date(refund.created * 1000),
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [refunds.provider, refunds.externalId],
      set: { status, updatedAt: now },
    });
  if (status === "failed" && before?.status !== "failed")
    await recordOrderEvent(db, order.id, null, {
      actor: SYSTEM,
      note: `Stripe could not refund ${formatMoney(refund.amount, order.currency)}: check the refund in Stripe.`,
      now,
    });
  return true;
}

function subscriptionOfInvoice(invoice: Stripe.Invoice): {
  subscriptionId: string | null;
  orderRef: string | undefined;
} {
  const details = invoice.parent?.subscription_details ?? null;
  return {
    subscriptionId: idOf(details?.subscription),
    orderRef: details?.metadata?.orderId,
  };
}

async function orderOfSubscription(
  db: Db,
  subscriptionId: string | null,
  orderRef: string | undefined,
  pre: Prelocked | null,
): Promise<LockedOrder | null> {
  const byRef = await orderByRef(db, orderRef, pre);
  if (byRef) return byRef;
  if (!subscriptionId) return null;
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.subscriptionId, subscriptionId));
  return row ? lockOrderWithCustomer(db, row.id) : null;
}

function periodEndOf(invoice: Stripe.Invoice): Date | null {
  const ends = (invoice.lines?.data ?? []).map((l) => l.period?.end ?? 0);
  const end = Math.max(0, ...ends);
  return end > 0 ? new Date(end * 1000) : null;
}

async function invoicePaid(
  db: Db,
  invoice: Stripe.Invoice,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  const { subscriptionId, orderRef } = subscriptionOfInvoice(invoice);
  const locked = await orderOfSubscription(db, subscriptionId, orderRef, pre);
  if (!locked || !subscriptionId) return false;
  const { order, customerName } = locked;
  const periodEnd = periodEndOf(invoice);
  if (invoice.billing_reason === "subscription_create") {
    await recordPayment(db, order, {
      provider: "stripe",
      externalId: firstPaymentKey(subscriptionId),
      amount: invoice.amount_paid,
      currency: invoice.currency,
      actor: SYSTEM,
      note: "Paid by card",
      now,
      subscriptionId,
      periodEnd,
      set: { subscriptionId, updatedAt: now },
      customerName,
    });
    return true;
  }
  // A renewal: money for the same order, one more period of its services.
  const inserted = await db
    .insert(payments)
    .values({
      orderId: order.id,
      provider: "stripe",
      externalId: invoice.id ?? null,
      status: "succeeded",
      amount: invoice.amount_paid,
      currency: invoice.currency.toUpperCase(),
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  await db
    .update(services)
    .set({
      status: "active",
      stripeSubscriptionId: subscriptionId,
      updatedAt: now,
      ...(periodEnd
        ? { currentPeriodEnd: laterOf(services.currentPeriodEnd, periodEnd) }
        : {}),
    })
    .where(
      and(
        eq(services.orderId, order.id),
        sql`${services.status} <> 'cancelled'`,
      ),
    );
  if (inserted.length > 0) {
    await recordOrderEvent(db, order.id, null, {
      actor: SYSTEM,
      note: `Renewal paid: ${formatMoney(invoice.amount_paid, invoice.currency.toUpperCase())}`,
      now,
    });
    await mailCustomerAboutOrder(
      db,
      order,
      { kind: "receipt", amount: invoice.amount_paid, renewedUntil: periodEnd },
      now,
      customerName,
    );
  }
  return true;
}

async function invoiceFailed(
  db: Db,
  invoice: Stripe.Invoice,
  now: Date,
  pre: Prelocked | null,
): Promise<boolean> {
  const { subscriptionId, orderRef } = subscriptionOfInvoice(invoice);
  const locked = await orderOfSubscription(db, subscriptionId, orderRef, pre);
  if (!locked) return false;
  const { order, customerName } = locked;
  if (invoice.billing_reason === "subscription_create") {
    await paymentFailed(
      db,
      locked,
      "The first payment did not go through",
      now,
    );
    return true;
  }
  const affected = await db
    .update(services)
    .set({ status: "past_due", updatedAt: now })
    .where(and(eq(services.orderId, order.id), eq(services.status, "active")))
    .returning({ description: services.description });
  await recordOrderEvent(db, order.id, null, {
    actor: SYSTEM,
    note: "A renewal payment failed",
    now,
  });
  const [first] = affected;
  if (first)
    await mailCustomerAboutOrder(
      db,
      order,
      {
        kind: "renewal_failed",
        service: affected.length === 1 ? first.description : "your services",
      },
      now,
      customerName,
    );
  return true;
}

const SERVICE_STATUS: Partial<
  Record<Stripe.Subscription.Status, ServiceStatus>
> = {
  active: "active",
  trialing: "active",
  past_due: "past_due",
  unpaid: "past_due",
  paused: "past_due",
  canceled: "cancelled",
  incomplete_expired: "cancelled",
  incomplete: "pending",
};

async function subscriptionChanged(
  db: Db,
  subscription: Stripe.Subscription,
  deleted: boolean,
  eventAt: Date,
  now: Date,
): Promise<boolean> {
  const orderRef = subscription.metadata?.orderId;
  const target =
    orderRef && isUuid(orderRef)
      ? or(
          eq(services.stripeSubscriptionId, subscription.id),
          eq(services.orderId, orderRef),
        )
      : eq(services.stripeSubscriptionId, subscription.id);
  const status = deleted ? "cancelled" : SERVICE_STATUS[subscription.status];
  const periodEnd = Math.max(
    0,
    ...(subscription.items?.data ?? []).map((i) => i.current_period_end ?? 0),
  );
  const changed = await db
    .update(services)
    .set({
      ...(status ? { status } : {}),
      stripeSubscriptionId: subscription.id,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
      ...(periodEnd > 0
        ? { currentPeriodEnd: new Date(periodEnd * 1000) }
        : {}),
      stripeSyncedAt: eventAt,
      updatedAt: now,
    })
    .where(
      and(
        target,
        // Stripe may deliver an older state after a newer one, and a cancelled service stays so.
        or(
          isNull(services.stripeSyncedAt),
          lte(services.stripeSyncedAt, eventAt),
        ),
        sql`${services.status} <> 'cancelled'`,
      ),
    )
    .returning({ id: services.id });
  return changed.length > 0 || Boolean(orderRef);
}
