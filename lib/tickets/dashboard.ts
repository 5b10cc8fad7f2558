import "server-only";
import {
  and,
  count,
  eq,
  gte,
  isNotNull,
  isNull,
  lt,
  sql,
  type AnyColumn,
  type SQL,
} from "drizzle-orm";
import { tickets } from "@/db/schema";
import type { Db } from "@/db/types";
import { isActive, isOverdue } from "@/lib/tickets/query-parts";

// Figures for the staff dashboard. Days are UTC calendar days; "the last 30 days" is today (UTC) and
// the 29 days before it. Raw sql here because the builder has no generate_series, date_trunc or
// percentile_cont; both drivers run the same statements. Subquery columns get unique names because
// drizzle writes them unqualified in the outer query.

const DAYS = 30;

export type DashboardCounts = {
  open: number;
  overdue: number;
  unassigned: number;
};

export type TicketsPerDay = {
  /** The UTC day, "YYYY-MM-DD". */
  day: string;
  created: number;
  /** Tickets first resolved or closed that day. */
  closed: number;
};

export type FirstResponseDay = {
  /** The UTC day the tickets were opened, "YYYY-MM-DD". */
  day: string;
  /** Median time to first response in milliseconds; null when no ticket opened that day got one. */
  medianMs: number | null;
  responded: number;
};

/** The same conditions as the queue's open, overdue and unassigned views, so the cards match it. */
export async function countDashboardTickets(
  db: Db,
  now: Date,
): Promise<DashboardCounts> {
  const n = (cond: SQL | undefined) =>
    sql<number>`count(*) filter (where ${cond})`.mapWith(Number);
  const [row] = await db
    .select({
      open: n(eq(tickets.status, "open")),
      overdue: n(isOverdue(now)),
      unassigned: n(and(isNull(tickets.assigneeId), isActive)),
    })
    .from(tickets);
  return row!;
}

/** New and closed tickets for each of the last 30 UTC days, oldest first, zero-filled. */
export async function listTicketsPerDay(
  db: Db,
  now: Date,
): Promise<TicketsPerDay[]> {
  const perDay = (column: AnyColumn, name: string) =>
    db
      .select({
        day: dayOf(column).as(`${name}_day`),
        n: count().as(`${name}_n`),
      })
      .from(tickets)
      .where(inWindow(column, now))
      .groupBy(dayOf(column))
      .as(name);
  const created = perDay(tickets.createdAt, "created");
  const closed = perDay(tickets.closedAt, "closed");
  return db
    .select({
      day: sql<string>`to_char(days.day, 'YYYY-MM-DD')`,
      created: sql<number>`coalesce(${created.n}, 0)`.mapWith(Number),
      closed: sql<number>`coalesce(${closed.n}, 0)`.mapWith(Number),
    })
    .from(lastDays(now))
    .leftJoin(created, sql`${created.day} = days.day`)
    .leftJoin(closed, sql`${closed.day} = days.day`)
    .orderBy(sql`days.day`);
}

/** For each of the last 30 UTC days, the median first response of the tickets opened that day. */
export async function listMedianFirstResponseByDay(
  db: Db,
  now: Date,
): Promise<FirstResponseDay[]> {
  const responded = db
    .select({
      day: dayOf(tickets.createdAt).as("responded_day"),
      seconds: medianResponseSeconds.as("responded_seconds"),
      n: count().as("responded_n"),
    })
    .from(tickets)
    .where(respondedInWindow(now))
    .groupBy(dayOf(tickets.createdAt))
    .as("responded");
  return db
    .select({
      day: sql<string>`to_char(days.day, 'YYYY-MM-DD')`,
      medianMs: sql<number | null>`${responded.seconds}`.mapWith(toMs),
      responded: sql<number>`coalesce(${responded.n}, 0)`.mapWith(Number),
    })
    .from(lastDays(now))
    .leftJoin(responded, sql`${responded.day} = days.day`)
    .orderBy(sql`days.day`);
}

/**
 * Median first response in milliseconds over the tickets opened in the last 30 UTC days that got
 * one; null when none did.
 */
export async function getMedianFirstResponse(
  db: Db,
  now: Date,
): Promise<number | null> {
  const [row] = await db
    .select({
      medianMs: sql<number | null>`${medianResponseSeconds}`.mapWith(toMs),
    })
    .from(tickets)
    .where(respondedInWindow(now));
  return row?.medianMs ?? null;
}

const medianResponseSeconds = sql<
  number | null
>`percentile_cont(0.5) within group (order by extract(epoch from ${tickets.firstResponseAt} - ${tickets.createdAt})::float8)`;

const toMs = (seconds: unknown) => Math.round(Number(seconds) * 1000);

// The UTC calendar day of a timestamptz, as a timestamp (no time zone) at midnight.
const dayOf = (column: AnyColumn): SQL =>
  sql`date_trunc('day', ${column} at time zone 'UTC')`;

// Midnight UTC today, as a timestamp (no time zone).
const today = (now: Date): SQL =>
  sql`date_trunc('day', ${now.toISOString()}::timestamptz at time zone 'UTC')`;

const lastDays = (now: Date): SQL =>
  sql`generate_series(${today(now)} - ${`${DAYS - 1} days`}::interval, ${today(now)}, interval '1 day') as days(day)`;

// Compares with the bounds turned back into instants, so an index on the column stays usable.
const inWindow = (column: AnyColumn, now: Date): SQL =>
  and(
    gte(
      column,
      sql`(${today(now)} - ${`${DAYS - 1} days`}::interval) at time zone 'UTC'`,
    ),
    lt(column, sql`(${today(now)} + interval '1 day') at time zone 'UTC'`),
  )!;

const respondedInWindow = (now: Date): SQL =>
  and(isNotNull(tickets.firstResponseAt), inWindow(tickets.createdAt, now))!;
