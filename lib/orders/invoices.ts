import "server-only";
import { asc, count, eq, getTableColumns, isNotNull, sql } from "drizzle-orm";
import { counters, orders, payments, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import { insertOutboxRows } from "@/lib/mail/outbox";
import { orderMailRow, receivesOrderMail } from "@/lib/orders/notify";

// Invoice numbers run per calendar year without gaps: "2026-0001", "2026-0002", … A payment only
// marks its order due (invoice_due_at, in the payment's transaction); the numbers are given here,
// every due order at once, one run at a time. When each payment took the next number itself, the
// counter's row was locked until that payment's commit reached the disk, so payments could only
// commit one after another. The receipt, which names the number, is queued with it. Numbers follow
// the order of payment, except for an order that was locked when its run came (see numberBatch).

/** Orders numbered per transaction: a backlog is worked through in runs of this many. */
const BATCH = 500;
// One run at a time across every process: the transaction-scoped advisory lock is the queue.
const INVOICE_LOCK = 0x706f7274; // "port"

const dueColumns = {
  ...getTableColumns(orders),
  customerName: users.name,
  customerEmailVerifiedAt: users.emailVerifiedAt,
  customerOrderMail: users.orderMail,
  // What the receipt says was paid: the order's first payment.
  firstAmount: sql<number | null>`(select ${payments.amount} from ${payments}
    where ${payments.orderId} = ${orders.id} and ${payments.status} = 'succeeded'
    order by ${payments.createdAt}, ${payments.id} limit 1)`,
};

/**
 * Gives every due order its invoice number and queues its receipt; returns how many were numbered.
 * Safe to run at any time and from anywhere: runs wait for each other.
 */
export async function numberDueInvoices(db: Db, now: Date): Promise<number> {
  return (await numberRun(db, now)).numbered;
}

/** What a run did: orders numbered, and due orders it passed over because another transaction held them. */
type Run = { numbered: number; passedOver: number };

async function numberRun(db: Db, now: Date): Promise<Run> {
  let numbered = 0;
  for (;;) {
    const batch = await db.transaction((tx) => numberBatch(tx, now));
    numbered += batch.numbered;
    if (batch.numbered < BATCH)
      return { numbered, passedOver: batch.passedOver };
  }
}

async function numberBatch(tx: Db, now: Date): Promise<Run> {
  const year = now.getUTCFullYear();
  const counter = `invoice:${year}`;
  // Sent together, as are the writes below: statements of one transaction share a round trip
  // (postgres.js pipelines what is sent at once), and a run follows every burst of payments. The
  // lock goes first: PostgreSQL runs a connection's statements in the order they came, so the
  // reads start once it is held.
  const [, due, [current], [all]] = await Promise.all([
    tx.execute(sql`select pg_advisory_xact_lock(${INVOICE_LOCK})`),
    tx
      .select(dueColumns)
      .from(orders)
      .leftJoin(users, eq(users.id, orders.customerId))
      .where(isNotNull(orders.invoiceDueAt))
      .orderBy(asc(orders.invoiceDueAt), asc(orders.id))
      .limit(BATCH)
      // An order another transaction holds (a webhook applying its event) is left to a later run:
      // the one that webhook starts if it pays, else a follow-up of this one (drain), else the
      // scheduled job's. Waiting for it would hold this run, and the orders it has locked, until
      // that commit.
      .for("update", { of: orders, skipLocked: true }),
    tx
      .select({ value: counters.value })
      .from(counters)
      .where(eq(counters.name, counter)),
    // Every due order, held or not: those the first statement passed over are the difference.
    tx
      .select({ due: count() })
      .from(orders)
      .where(isNotNull(orders.invoiceDueAt)),
  ]);
  const passedOver = Math.max(0, (all?.due ?? 0) - due.length);
  if (due.length === 0) return { numbered: 0, passedOver };

  let last = current?.value ?? 0;
  const numbered = due.map((order) => ({
    ...order,
    // As padStart does: at least four digits, never cut.
    invoiceNumber: `${year}-${String(++last).padStart(4, "0")}`,
    invoicedAt: now,
    invoiceDueAt: null,
  }));
  const assigned = JSON.stringify(
    numbered.map((o) => ({ id: o.id, number: o.invoiceNumber })),
  );
  const receipts = await Promise.all(
    numbered
      .filter((o) =>
        receivesOrderMail(
          o.customerId
            ? o.customerOrderMail === null
              ? null
              : {
                  orderMail: o.customerOrderMail,
                  emailVerifiedAt: o.customerEmailVerifiedAt,
                }
            : null,
        ),
      )
      .map((o) =>
        orderMailRow(
          tx,
          o,
          { kind: "receipt", amount: o.firstAmount ?? o.totalAmount },
          now,
          o.customerName ?? "",
        ),
      ),
  );

  await Promise.all([
    tx.execute(sql`update ${orders}
      set invoice_number = v.number, invoiced_at = ${now.toISOString()}::timestamptz, invoice_due_at = null
      from json_to_recordset(${assigned}::json) as v(id uuid, number text)
      where ${orders.id} = v.id`),
    insertOutboxRows(tx, receipts),
    tx
      .insert(counters)
      .values({ name: counter, value: last })
      .onConflictDoUpdate({ target: counters.name, set: { value: last } }),
  ]);
  return { numbered: due.length, passedOver };
}

type Waiter = { now: Date; resolve: () => void; reject: (e: unknown) => void };
type Runner = {
  running: boolean;
  waiting: Waiter[];
  /** Follow-up runs in a row for orders passed over (AGAIN_AT_MOST). */
  again: number;
};
// On globalThis: the webhook is answered outside Next's bundles, the staff action inside them.
const KEY = Symbol.for("portico.invoiceRunners");
const runners: WeakMap<Db, Runner> = ((
  globalThis as { [KEY]?: WeakMap<Db, Runner> }
)[KEY] ??= new WeakMap());

/**
 * Numbers the invoices due so far, sharing runs with concurrent callers of this process: resolves
 * once a run that started after the call has finished (so it saw the caller's committed payment).
 * Call it after the payment's transaction has committed.
 */
export function numberInvoicesNow(db: Db, now: Date): Promise<void> {
  let runner = runners.get(db);
  if (!runner)
    runners.set(db, (runner = { running: false, waiting: [], again: 0 }));
  const queued = new Promise<void>((resolve, reject) =>
    runner.waiting.push({ now, resolve, reject }),
  );
  if (!runner.running) void drain(db, runner);
  return queued;
}

/**
 * A run that passed over held orders is followed by another this long after, a few times: the
 * payment holding one has usually committed by then, and may have nobody left to start a run
 * (a repeat of its event pays nothing). The scheduled job numbers anything still left.
 */
const AGAIN_AFTER_MS = 50;
const AGAIN_AT_MOST = 20;

async function drain(db: Db, runner: Runner): Promise<void> {
  runner.running = true;
  let passedOver = 0;
  while (runner.waiting.length > 0) {
    const waiters = runner.waiting.splice(0);
    const now = new Date(Math.max(...waiters.map((w) => w.now.getTime())));
    try {
      ({ passedOver } = await numberRun(db, now));
      for (const w of waiters) w.resolve();
    } catch (error) {
      passedOver = 0;
      for (const w of waiters) w.reject(error);
    }
  }
  runner.running = false;
  if (passedOver === 0) runner.again = 0;
  else if (runner.again < AGAIN_AT_MOST) {
    runner.again += 1;
    setTimeout(() => {
      numberInvoicesNow(db, new Date()).catch((error: unknown) =>
        log.error("orders.invoice_numbering_failed", { error }),
      );
    }, AGAIN_AFTER_MS).unref();
  }
}
