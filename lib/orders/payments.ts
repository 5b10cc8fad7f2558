import "server-only";
import {
  and,
  eq,
  getTableColumns,
  isNull,
  ne,
  sql,
  type Placeholder,
  type SQL,
} from "drizzle-orm";
import {
  orderEvents,
  orders,
  payments,
  prices,
  services,
  users,
  type Order,
} from "@/db/schema";
import { placeholderRows, readColumns, sessionStatements } from "@/db/prepared";
import type { Db } from "@/db/types";
import { clearCartsOfOrderCtes } from "@/lib/cart/cart";
import { mailCustomerAboutOrder } from "@/lib/orders/notify";
import {
  canMove,
  movedColumns,
  timelineRow,
  type OrderActor,
  type OrderChanges,
} from "@/lib/orders/transitions";

// The statements a payment runs on every Stripe event are built once (db/prepared.ts): their text
// varies only with which parts apply, and their values are placeholders.

/** Locks the order row for the rest of the transaction, so concurrent events apply one after another. */
export async function lockOrder(db: Db, id: string): Promise<Order | null> {
  const [row] = await db
    .select()
    .from(orders)
    .where(eq(orders.id, id))
    .for("update");
  return row ?? null;
}

export type LockedOrder = {
  order: Order;
  /** "" when the order has no customer account (any more). */
  customerName: string;
  stripeCustomerId: string | null;
};

/** Locks the order as lockOrder does, reading its customer's name (for mail) in the same statement. */
export async function lockOrderWithCustomer(
  db: Db,
  id: string,
): Promise<LockedOrder | null> {
  return lockWithCustomer(db, "", buildLockWithCustomer, { id });
}

const lockedColumns = {
  ...getTableColumns(orders),
  customerName: users.name,
  customerStripeId: users.stripeCustomerId,
};
const readLocked = readColumns(lockedColumns);

/** The first of rows that lockOrderWithCustomer's statement returns, as a locked order; null for none. */
export function readLockedOrder(rows: unknown[][]): LockedOrder | null {
  const [row] = readLocked(rows);
  if (!row) return null;
  const { customerName, customerStripeId, ...order } = row;
  return {
    order: order as Order,
    customerName: (customerName as string | null) ?? "",
    stripeCustomerId: customerStripeId as string | null,
  };
}

const lockWithCustomer = sessionStatements(readLockedOrder);

/** lockOrderWithCustomer's statement (the order's id a placeholder, "id"), to run within another. */
export const buildLockWithCustomer = (db: Db) =>
  db
    .select(lockedColumns)
    .from(orders)
    .leftJoin(users, eq(users.id, orders.customerId))
    .where(eq(orders.id, sql.placeholder("id")))
    // The customer's row is only read: another order of theirs must not wait for this one.
    .for("update", { of: orders });

export type PaymentInput = {
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
  /** Other columns of the order to change with it (say, the ids Stripe gave the payment). */
  set?: OrderChanges;
  /** The customer's name for the receipt, when the caller read it with the lock. */
  customerName?: string;
  /** The Stripe Customer who paid, to remember on the customer's account (which has none yet). */
  stripeCustomerId?: string | null;
};

/**
 * Records money received for an order, once per (provider, external id): the payment row, the move
 * to paid, the services it starts and the emptied cart, in one statement with the order's update;
 * the order is then due for its invoice number and receipt (lib/orders/invoices.ts). Safe to call
 * again for the same payment, and after the order has moved past paid (a refund seen first). Call
 * it with the order locked.
 */
export async function recordPayment(
  db: Db,
  order: Order,
  p: PaymentInput,
): Promise<{ order: Order; isNew: boolean }> {
  const payment = placeholderRows("payment", [
    {
      orderId: order.id,
      provider: p.provider,
      externalId: p.externalId,
      status: "succeeded" as const,
      amount: p.amount,
      currency: p.currency.toUpperCase(),
      createdAt: p.now,
    },
  ]);
  const moving = canMove(order.status, "paid");
  const timeline = placeholderRows(
    "timeline",
    moving ? [timelineRow(order.id, "paid", p)] : [],
  );
  // An order that moved past paid unpaid (a refund seen first) still gets its number.
  const due = !order.invoiceNumber && !order.invoiceDueAt;
  const changes = placeholderRows("order", [
    {
      ...p.set,
      ...(moving ? movedColumns(order, "paid", p.now) : {}),
      paidAt: order.paidAt ?? p.now,
      ...(due ? { invoiceDueAt: p.now } : {}),
    },
  ]);
  const linksSubscription = Boolean(p.subscriptionId);
  const linksCustomer = Boolean(p.stripeCustomerId && order.customerId);
  const shape = [
    payment.shape,
    timeline.shape,
    changes.shape,
    linksSubscription ? "subscription" : "",
    p.periodEnd ? "end" : "",
    linksCustomer ? "customer" : "",
  ].join(";");
  const [settled] = await paymentStatements(
    db,
    shape,
    (q) =>
      q
        .with(
          q
            .$with("payment")
            .as(
              q
                .insert(payments)
                .values(payment.rows[0]!)
                .onConflictDoNothing()
                .returning({ id: payments.id }),
            ),
          ...timeline.rows.map((row) =>
            q.$with("timeline").as(q.insert(orderEvents).values(row)),
          ),
          q
            .$with("started")
            .as(startServices(q, linksSubscription, Boolean(p.periodEnd))),
          // The session may have started the services first; they still learn their period here.
          ...(p.periodEnd ? [q.$with("extended").as(extendServices(q))] : []),
          ...(linksCustomer
            ? [q.$with("payer").as(stripeCustomerLink(q))]
            : []),
          ...clearCartsOfOrderCtes(q),
        )
        .update(orders)
        .set(changes.rows[0]!)
        .where(eq(orders.id, sql.placeholder("orderId")))
        .returning({
          ...getTableColumns(orders),
          isNew: sql<boolean>`exists (select 1 from "payment")`,
        }),
    {
      ...payment.values,
      ...timeline.values,
      ...changes.values,
      orderId: order.id,
      now: p.now.toISOString(),
      subscriptionId: p.subscriptionId,
      periodEnd: p.periodEnd?.toISOString(),
      userId: order.customerId,
      stripeCustomerId: p.stripeCustomerId,
    },
  );
  const { isNew, order: paid } = settled!;
  // More money for an order already invoiced: its receipt now (a first one comes with the number).
  if (isNew && order.invoiceNumber)
    await mailCustomerAboutOrder(
      db,
      paid,
      { kind: "receipt", amount: p.amount },
      p.now,
      p.customerName,
    );
  return { order: paid, isNew };
}

const readOrder = readColumns(getTableColumns(orders));
// The order's columns, then whether the payment row was new.
const paymentStatements = sessionStatements((rows) =>
  readOrder(rows).map((order, i) => ({
    order: order as Order,
    isNew: rows[i]!.at(-1) === true,
  })),
);

/** Remembers the customer's Stripe Customer, unless their account has one already. */
export async function rememberStripeCustomer(
  db: Db,
  userId: string,
  stripeCustomerId: string,
): Promise<void> {
  await customerLinks(db, "", stripeCustomerLink, { userId, stripeCustomerId });
}

const customerLinks = sessionStatements(() => undefined);
const stripeCustomerLink = (db: Db) =>
  db
    .update(users)
    .set({ stripeCustomerId: param("stripeCustomerId") })
    .where(
      and(
        eq(users.id, sql.placeholder("userId")),
        isNull(users.stripeCustomerId),
      ),
    );

// A raw placeholder: its value goes to the database as given (timestamps as ISO strings).
const param = (name: string) => sql`${sql.placeholder(name)}`;

function startServices(
  db: Db,
  linksSubscription: boolean,
  hasPeriodEnd: boolean,
) {
  // Without a subscription (bank transfer) the first period runs from the payment.
  const firstPeriodEnd = sql`${param("now")}::timestamptz + make_interval(
    months => case when ${prices.interval} = 'month' then ${prices.intervalCount} else 0 end,
    years => case when ${prices.interval} = 'year' then ${prices.intervalCount} else 0 end,
    weeks => case when ${prices.interval} = 'week' then ${prices.intervalCount} else 0 end,
    days => case when ${prices.interval} = 'day' then ${prices.intervalCount} else 0 end)`;
  return db
    .update(services)
    .set({
      status: "active",
      updatedAt: param("now"),
      ...(linksSubscription
        ? { stripeSubscriptionId: param("subscriptionId") }
        : {}),
      currentPeriodEnd: hasPeriodEnd
        ? param("periodEnd")
        : sql`coalesce(${services.currentPeriodEnd}, (select ${firstPeriodEnd} from ${prices} where ${prices.id} = ${services.priceId}))`,
    })
    .where(
      and(
        eq(services.orderId, sql.placeholder("orderId")),
        eq(services.status, "pending"),
      ),
    );
}

/** The order's services that had started (or ended) before: paid through `periodEnd`, unless later. */
function extendServices(db: Db) {
  return db
    .update(services)
    .set({
      currentPeriodEnd: laterOf(
        services.currentPeriodEnd,
        sql.placeholder("periodEnd"),
      ),
    })
    .where(
      and(
        eq(services.orderId, sql.placeholder("orderId")),
        ne(services.status, "pending"),
      ),
    );
}

/** The later of a period end column and `end` (a placeholder's value: an ISO string). */
export function laterOf(
  current: typeof services.currentPeriodEnd,
  end: Date | Placeholder,
): SQL {
  const at = end instanceof Date ? end.toISOString() : end;
  return sql`greatest(coalesce(${current}, ${at}::timestamptz), ${at}::timestamptz)`;
}
