import "server-only";
import type Stripe from "stripe";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import { isSignatureError, type StripeClient } from "@/lib/stripe/client";
import {
  numberInvoicesAfter,
  orderKeyOf,
  OrderNotFoundYet,
  paysOrder,
  processStripeEvent,
  recordAndApplyEvents,
  type StripeEventOutcome,
} from "@/lib/stripe/webhook";

// Stripe's deliveries, from the raw body to the answer. Deliveries that arrive while others are
// being applied wait, and are then applied together: one transaction whose statements go to the
// database side by side (postgres.js pipelines what is sent on one connection at once), so a busy
// webhook costs a few round trips and one commit per group instead of six per event. On this kind
// of server each round trip, not the work it carries, was most of an event's cost
// (docs/benchmarks.md).

export type WebhookAnswer = { status: 200 | 400 | 500; body: unknown };

/**
 * One delivery, from the raw body to the answer Stripe gets: 400 for a bad signature (nothing
 * changed), 500 to have it delivered again later, 200 once recorded (repeats and unknown types too).
 */
export async function receiveStripeWebhook(
  db: Db,
  stripe: Pick<StripeClient, "constructEvent">,
  raw: string,
  signature: string | null,
  now: Date,
): Promise<WebhookAnswer> {
  const refuse = (message: string): WebhookAnswer => ({
    status: 400,
    body: { error: { code: "invalid_input", message } },
  });
  if (!signature) return refuse("Missing Stripe-Signature header.");
  let event: Stripe.Event;
  try {
    event = stripe.constructEvent(raw, signature);
  } catch (error) {
    if (!isSignatureError(error)) throw error;
    log.warn("stripe.webhook_bad_signature", {});
    return refuse("The signature does not match.");
  }
  try {
    const outcome = await applyStripeEvent(db, event, now);
    log.info("stripe.webhook", {
      eventId: event.id,
      type: event.type,
      ...outcome,
    });
    return { status: 200, body: { received: true, ...outcome } };
  } catch (error) {
    const later = error instanceof OrderNotFoundYet;
    (later ? log.warn : log.error)("stripe.webhook_not_applied", {
      eventId: event.id,
      type: event.type,
      error,
    });
    return {
      status: 500,
      body: {
        error: {
          code: "unavailable",
          message: later ? error.message : "The event could not be applied.",
        },
      },
    };
  }
}

/** Events applied in one transaction at most: a group's commit answers all of them. */
const GROUP = 32;
/**
 * Groups applied side by side: while one waits on the database, the next is being built and sent,
 * so neither this server nor PostgreSQL waits on the other (docs/benchmarks.md). Two groups may
 * hold events of one order; the second then waits on the first's row lock, as two servers would.
 */
const GROUPS_AT_ONCE = 2;

type Delivery = {
  event: Stripe.Event;
  now: Date;
  /** The one order the event changes (orderKeyOf); null: it is applied on its own. */
  key: string | null;
  resolve: (outcome: StripeEventOutcome) => void;
  reject: (error: unknown) => void;
};
/** Payments committed whose invoices are not numbered yet; their run is due at a timer's turn. */
type Unnumbered = { events: Stripe.Event[]; now: Date };
type Queue = {
  /** Groups being applied now, at most GROUPS_AT_ONCE. */
  running: number;
  waiting: Delivery[];
  unnumbered: Unnumbered | null;
};
// On globalThis: the webhook is answered outside Next's bundles (server/direct.ts) and inside them.
const KEY = Symbol.for("portico.stripeDeliveries");
const queues: WeakMap<Db, Queue> = ((
  globalThis as { [KEY]?: WeakMap<Db, Queue> }
)[KEY] ??= new WeakMap());

/**
 * Records and applies the event as processStripeEvent does, together with the deliveries that
 * are waiting beside it; resolves once its transaction has committed.
 */
export function applyStripeEvent(
  db: Db,
  event: Stripe.Event,
  now: Date,
): Promise<StripeEventOutcome> {
  let queue = queues.get(db);
  if (!queue)
    queues.set(db, (queue = { running: 0, waiting: [], unnumbered: null }));
  const applied = new Promise<StripeEventOutcome>((resolve, reject) =>
    queue.waiting.push({ event, now, key: orderKeyOf(event), resolve, reject }),
  );
  if (queue.running < GROUPS_AT_ONCE) void drain(db, queue);
  return applied;
}

/**
 * The invoices that payments applied together made due are numbered this long after the first of
 * them was answered, in one run for all. Under load a run after every group (or whenever no
 * delivery happened to wait) kept the numbering running back to back, a run's round trips and
 * statements for every two or three payments (docs/benchmarks.md). A payment applied alone is
 * numbered before it is answered.
 */
const NUMBER_WITHIN_MS = 100;

async function drain(db: Db, queue: Queue): Promise<void> {
  queue.running += 1;
  try {
    while (queue.waiting.length > 0) {
      const group = takeGroup(queue);
      // Alone on a quiet server: answered once its invoice is numbered, so the customer coming
      // back from Checkout finds the number on the order.
      const alone =
        group.length === 1 &&
        (!group[0]!.key || (queue.running === 1 && queue.waiting.length === 0));
      const paying = await applyGroup(db, group, alone);
      if (paying.length > 0) {
        if (!queue.unnumbered) {
          queue.unnumbered = { events: [], now: paying[0]!.now };
          setTimeout(() => numberUnnumbered(db, queue), NUMBER_WITHIN_MS);
        }
        const u = queue.unnumbered;
        for (const d of paying) {
          u.events.push(d.event);
          if (d.now > u.now) u.now = d.now;
        }
      }
    }
  } finally {
    queue.running -= 1;
  }
}

// Numbered while the next groups are applied: answering only then would keep Stripe's deliveries
// waiting on a second commit (the run passes over orders a group has locked: lib/orders/invoices.ts).
function numberUnnumbered(db: Db, queue: Queue): void {
  const { events, now } = queue.unnumbered!;
  queue.unnumbered = null;
  void numberInvoicesAfter(db, events, now);
}

/**
 * The next group, in arrival order: the first waiting delivery, and with it those after it that
 * change another order each. Two events of one order, the same event twice, or an event that may
 * touch any order (a refund found by its payment) never share a group: applied side by side in
 * one transaction they would each read the order as it was before the other.
 */
export function takeGroup(queue: { waiting: Delivery[] }): Delivery[] {
  const [first] = queue.waiting;
  if (!first?.key) return queue.waiting.splice(0, 1);
  const keys = new Set<string>();
  const ids = new Set<string>();
  const group: Delivery[] = [];
  queue.waiting = queue.waiting.filter((d) => {
    if (
      group.length >= GROUP ||
      !d.key ||
      keys.has(d.key) ||
      ids.has(d.event.id)
    )
      return true;
    keys.add(d.key);
    ids.add(d.event.id);
    group.push(d);
    return false;
  });
  return group;
}

/**
 * Applies the group and answers its deliveries; returns those whose payments await their invoice
 * numbers. A delivery applied alone is answered after its own numbering run.
 */
async function applyGroup(
  db: Db,
  group: Delivery[],
  alone: boolean,
): Promise<Delivery[]> {
  if (alone) {
    const [only] = group as [Delivery];
    await processStripeEvent(db, only.event, only.now).then(
      only.resolve,
      only.reject,
    );
    return [];
  }
  // Every group locks its orders in the same order, so groups applied at once (here or in another
  // process) do not wait on each other's orders in a cycle; a deadlock PostgreSQL still finds fails
  // the group, whose events are then applied one by one.
  group.sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
  let outcomes: StripeEventOutcome[];
  try {
    outcomes = await db.transaction(async (tx) => {
      // Every event's statements finish before the transaction ends, failed or not: none may run
      // on the connection after it has gone back to the pool.
      const settled = await recordAndApplyEvents(tx, group);
      const failed = settled.find((s) => s.status === "rejected");
      if (failed) throw failed.reason;
      return settled.map(
        (s) => (s as PromiseFulfilledResult<StripeEventOutcome>).value,
      );
    });
  } catch {
    // One event could not be applied (its order not there yet, say): nothing of the group was
    // kept, so each is applied again on its own, and only that one fails.
    for (const d of group)
      await processStripeEvent(db, d.event, d.now).then(d.resolve, d.reject);
    return [];
  }
  group.forEach((d, i) => d.resolve(outcomes[i]!));
  return group.filter((d, i) => paysOrder(d.event, outcomes[i]!));
}
