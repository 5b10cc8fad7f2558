// Staff reads take the agent (after db) only when it changes the answer; entry points check access.
import "server-only";
import { and, count, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { departments, tickets, users, type Ticket } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import {
  isActive,
  isOverdue,
  customersMatching,
  matchesText,
  newestActivity,
  PAGE_SIZE,
} from "@/lib/tickets/query-parts";
import type { QueueFilters } from "@/lib/tickets/schemas";
import { taggedWith, tagsColumn } from "@/lib/tickets/tags";

// The agents' queue, as the staff home page and its live feed (/api/staff/queue) read it.

export type QueueRow = Pick<
  Ticket,
  | "id"
  | "number"
  | "subject"
  | "status"
  | "priority"
  | "dueAt"
  | "lastMessageAt"
  | "createdAt"
  | "source"
> & {
  customerName: string;
  department: string;
  assigneeId: string | null;
  assigneeName: string | null;
  tags: string[];
};

export type QueueCounts = Record<
  | "open"
  | "mine"
  | "unassigned"
  | "overdue"
  | "pending"
  | "resolved"
  | "closed"
  | "all",
  number
>;

export type QueuePage = {
  rows: QueueRow[];
  /** Exact, or SEARCH_TOTAL_CAP when totalIsCapped. */
  total: number;
  totalIsCapped: boolean;
  page: number;
  pageSize: number;
  /** How many tickets each view holds, or, during a search, how many of its matches. */
  counts: QueueCounts;
};

function viewCondition(
  view: QueueFilters["view"],
  agent: Viewer,
  now: Date,
): SQL | undefined {
  switch (view) {
    case "open":
      return eq(tickets.status, "open");
    case "mine":
      return and(eq(tickets.assigneeId, agent.id), isActive);
    case "unassigned":
      return and(isNull(tickets.assigneeId), isActive);
    case "overdue":
      return isOverdue(now);
    case "pending":
    case "resolved":
    case "closed":
      return eq(tickets.status, view);
    case "all":
      return undefined;
  }
}

const ORDER: Record<QueueFilters["sort"], SQL[]> = {
  activity: [newestActivity],
  created: [sql`${tickets.createdAt} desc nulls last`],
  due: [sql`${tickets.dueAt} asc nulls last`, newestActivity],
  // The enum's order is low < normal < high < emergency.
  priority: [sql`${tickets.priority} desc`, newestActivity],
};

// Past this many matches a search says "1,000+": an exact count of a common word would read every
// ticket's search vector, where the page itself stops after 25 rows.
export const SEARCH_TOTAL_CAP = 1000;

/** One page of the agents' queue, its total, and how many tickets each view holds right now. */
export async function listQueue(
  db: Db,
  agent: Viewer,
  f: QueueFilters,
  now: Date,
): Promise<QueuePage> {
  const assignee = alias(users, "assignee");
  const search = f.q
    ? matchesText(f.q, "staff", await customersMatching(db, f.q))
    : undefined;
  const where = and(
    viewCondition(f.view, agent, now),
    f.departmentId ? eq(tickets.departmentId, f.departmentId) : undefined,
    f.priority ? eq(tickets.priority, f.priority) : undefined,
    f.source ? eq(tickets.source, f.source) : undefined,
    f.assigneeId ? eq(tickets.assigneeId, f.assigneeId) : undefined,
    f.tag ? taggedWith(f.tag) : undefined,
    search,
  );
  const [rows, [total], counts] = await Promise.all([
    db
      .select({
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        priority: tickets.priority,
        dueAt: tickets.dueAt,
        lastMessageAt: tickets.lastMessageAt,
        createdAt: tickets.createdAt,
        source: tickets.source,
        customerName: users.name,
        department: departments.name,
        assigneeId: tickets.assigneeId,
        assigneeName: assignee.name,
        tags: tagsColumn,
      })
      .from(tickets)
      .innerJoin(users, eq(users.id, tickets.customerId))
      .innerJoin(departments, eq(departments.id, tickets.departmentId))
      .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
      .where(where)
      .orderBy(...ORDER[f.sort])
      .limit(PAGE_SIZE)
      .offset((f.page - 1) * PAGE_SIZE),
    f.q
      ? cappedCount(db, where)
      : db.select({ n: count() }).from(tickets).where(where),
    queueCounts(db, agent, now, search),
  ]);
  const totalIsCapped = Boolean(f.q) && (total?.n ?? 0) > SEARCH_TOTAL_CAP;
  return {
    rows,
    total: totalIsCapped ? SEARCH_TOTAL_CAP : (total?.n ?? 0),
    totalIsCapped,
    page: f.page,
    pageSize: PAGE_SIZE,
    counts,
  };
}

function cappedCount(db: Db, where: SQL | undefined) {
  const upTo = db
    .select({ one: sql`1`.as("one") })
    .from(tickets)
    .where(where)
    .limit(SEARCH_TOTAL_CAP + 1)
    .as("up_to");
  return db.select({ n: count() }).from(upTo);
}

// One pass over the table with FILTER clauses instead of eight separate counts. During a search,
// over its first SEARCH_TOTAL_CAP + 1 matches only, so a common word costs what a page costs.
async function queueCounts(
  db: Db,
  agent: Viewer,
  now: Date,
  search?: SQL,
): Promise<QueueCounts> {
  const n = (cond: SQL | undefined) =>
    sql<number>`count(*) filter (where ${cond ?? sql`true`})`.mapWith(Number);
  const [row] = await db
    .select({
      open: n(viewCondition("open", agent, now)),
      mine: n(viewCondition("mine", agent, now)),
      unassigned: n(viewCondition("unassigned", agent, now)),
      overdue: n(viewCondition("overdue", agent, now)),
      pending: n(viewCondition("pending", agent, now)),
      resolved: n(viewCondition("resolved", agent, now)),
      closed: n(viewCondition("closed", agent, now)),
      all: n(undefined),
    })
    .from(tickets)
    .where(
      search
        ? inArray(
            tickets.id,
            db
              .select({ id: tickets.id })
              .from(tickets)
              .where(search)
              .limit(SEARCH_TOTAL_CAP + 1),
          )
        : undefined,
    );
  return row!;
}
