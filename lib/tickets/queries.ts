import "server-only";
import {
  and,
  asc,
  count,
  desc,
  eq,
  inArray,
  isNull,
  lt,
  ne,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  attachments,
  auditLog,
  departments,
  helpTopics,
  orders,
  slaPlans,
  ticketMessages,
  tickets,
  users,
  type Attachment,
  type Order,
  type Ticket,
  type TicketMessage,
  type TicketStatus,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { TICKET_NUMBER } from "@/lib/tickets/numbers";
import type {
  CustomerTicketFilters,
  QueueFilters,
} from "@/lib/tickets/schemas";

export const PAGE_SIZE = 25;

// drizzle-kit writes `.desc()` indexes as DESC NULLS LAST; a plain `desc` means NULLS FIRST, which
// no index serves (even on a NOT NULL column), and every page would sort all matching rows.
const newestActivity = sql`${tickets.lastMessageAt} desc nulls last`;

export type AttachmentMeta = Pick<
  Attachment,
  "id" | "messageId" | "filename" | "contentType" | "sizeBytes"
>;
const attachmentMeta = {
  id: attachments.id,
  messageId: attachments.messageId,
  filename: attachments.filename,
  contentType: attachments.contentType,
  sizeBytes: attachments.sizeBytes,
};

// Full-text search over tickets.search_all / search_public: one vector per ticket with the subject,
// number and messages, kept by database triggers. Customers search search_public, which leaves
// internal notes out, so a note's words never lead them to a ticket.
function matchesText(q: string, audience: "staff" | "customer"): SQL {
  const column =
    audience === "staff" ? tickets.searchAll : tickets.searchPublic;
  const byNumber = TICKET_NUMBER.test(q)
    ? sql` or ${tickets.number} = ${q}`
    : sql``;
  return sql`(${column} @@ websearch_to_tsquery('english', ${q})${byNumber})`;
}

/* ----------------------------------------------------------------------------------------------- */
/* Customers                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

export type CustomerTicketRow = Pick<
  Ticket,
  "id" | "number" | "subject" | "status" | "lastMessageAt" | "createdAt"
> & {
  helpTopic: string | null;
};

/** The viewer's own tickets, newest activity first, with the total for paging. */
export async function listTicketsForCustomer(
  db: Db,
  viewer: Viewer,
  filters: CustomerTicketFilters = { status: "all", page: 1 },
): Promise<{ rows: CustomerTicketRow[]; total: number }> {
  const where = and(
    eq(tickets.customerId, viewer.id),
    filters.status !== "all" ? eq(tickets.status, filters.status) : undefined,
    filters.q ? matchesText(filters.q, "customer") : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        lastMessageAt: tickets.lastMessageAt,
        createdAt: tickets.createdAt,
        helpTopic: helpTopics.name,
      })
      .from(tickets)
      .leftJoin(helpTopics, eq(helpTopics.id, tickets.helpTopicId))
      .where(where)
      .orderBy(newestActivity)
      .limit(PAGE_SIZE)
      .offset((filters.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(tickets).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export type CustomerTicket = Ticket & {
  helpTopic: string | null;
  department: string;
  order: Pick<Order, "id" | "number"> | null;
  /** The customer's messages and agents' replies; internal notes are never included. */
  messages: TicketMessage[];
  attachments: AttachmentMeta[];
};

/**
 * One of the viewer's tickets by its public number. Null when it doesn't exist or belongs to
 * someone else: callers answer 404 either way, so existence never leaks.
 */
export async function getTicketForCustomer(
  db: Db,
  viewer: Viewer,
  number: string,
): Promise<CustomerTicket | null> {
  if (!TICKET_NUMBER.test(number)) return null;
  const [row] = await db
    .select({
      ticket: tickets,
      helpTopic: helpTopics.name,
      department: departments.name,
      orderNumber: orders.number,
    })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(helpTopics, eq(helpTopics.id, tickets.helpTopicId))
    .leftJoin(orders, eq(orders.id, tickets.orderId))
    .where(and(eq(tickets.number, number), eq(tickets.customerId, viewer.id)));
  if (!row) return null;
  const [messages, files] = await Promise.all([
    db
      .select()
      .from(ticketMessages)
      .where(
        and(
          eq(ticketMessages.ticketId, row.ticket.id),
          ne(ticketMessages.kind, "note"),
        ),
      )
      .orderBy(asc(ticketMessages.createdAt)),
    db
      .select(attachmentMeta)
      .from(attachments)
      .innerJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
      .where(
        and(
          eq(attachments.ticketId, row.ticket.id),
          ne(ticketMessages.kind, "note"),
        ),
      )
      .orderBy(asc(attachments.createdAt)),
  ]);
  return {
    ...row.ticket,
    helpTopic: row.helpTopic,
    department: row.department,
    order:
      row.ticket.orderId && row.orderNumber
        ? { id: row.ticket.orderId, number: row.orderNumber }
        : null,
    messages,
    attachments: files,
  };
}

/** An attachment the viewer may download: on their own ticket, never on an internal note. */
export async function getAttachmentForCustomer(
  db: Db,
  viewer: Viewer,
  number: string,
  id: string,
): Promise<Attachment | null> {
  if (!TICKET_NUMBER.test(number) || !isUuid(id)) return null;
  const [row] = await db
    .select({ attachment: attachments })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .innerJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
    .where(
      and(
        eq(attachments.id, id),
        eq(tickets.number, number),
        eq(tickets.customerId, viewer.id),
        ne(ticketMessages.kind, "note"),
      ),
    );
  return row?.attachment ?? null;
}

export async function getAttachmentForStaff(
  db: Db,
  number: string,
  id: string,
): Promise<Attachment | null> {
  if (!TICKET_NUMBER.test(number) || !isUuid(id)) return null;
  const [row] = await db
    .select({ attachment: attachments })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .where(and(eq(attachments.id, id), eq(tickets.number, number)));
  return row?.attachment ?? null;
}

/* ----------------------------------------------------------------------------------------------- */
/* Staff queue                                                                                     */
/* ----------------------------------------------------------------------------------------------- */

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
  counts: QueueCounts;
};

const active = inArray(tickets.status, ["open", "pending"]);

function viewCondition(
  view: QueueFilters["view"],
  agent: Viewer,
  now: Date,
): SQL | undefined {
  switch (view) {
    case "open":
      return eq(tickets.status, "open");
    case "mine":
      return and(eq(tickets.assigneeId, agent.id), active);
    case "unassigned":
      return and(isNull(tickets.assigneeId), active);
    case "overdue":
      return and(lt(tickets.dueAt, now), active);
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
  const where = and(
    viewCondition(f.view, agent, now),
    f.departmentId ? eq(tickets.departmentId, f.departmentId) : undefined,
    f.priority ? eq(tickets.priority, f.priority) : undefined,
    f.source ? eq(tickets.source, f.source) : undefined,
    f.assigneeId ? eq(tickets.assigneeId, f.assigneeId) : undefined,
    f.q ? matchesText(f.q, "staff") : undefined,
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
    queueCounts(db, agent, now),
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

// One pass over the table with FILTER clauses instead of eight separate counts.
async function queueCounts(
  db: Db,
  agent: Viewer,
  now: Date,
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
    .from(tickets);
  return row!;
}

/* ----------------------------------------------------------------------------------------------- */
/* Staff workspace                                                                                 */
/* ----------------------------------------------------------------------------------------------- */

export type ThreadEvent = {
  id: number;
  action: string;
  actorName: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
};
export type ThreadItem =
  | { type: "message"; message: TicketMessage }
  | { type: "event"; event: ThreadEvent };

export type StaffTicket = {
  ticket: Ticket;
  department: string;
  helpTopic: string | null;
  slaPlan: { name: string; gracePeriodHours: number } | null;
  assigneeName: string | null;
  customer: {
    id: string;
    name: string;
    email: string;
    phone: string | null;
    createdAt: Date;
  };
  /** Messages (notes included) and events, oldest first. */
  thread: ThreadItem[];
  attachments: AttachmentMeta[];
  otherTickets: Array<
    Pick<Ticket, "id" | "number" | "subject" | "status" | "lastMessageAt">
  >;
  orders: Array<
    Pick<
      Order,
      | "id"
      | "number"
      | "status"
      | "totalAmount"
      | "currency"
      | "placedAt"
      | "provider"
    >
  >;
};

export async function getTicketForStaff(
  db: Db,
  number: string,
): Promise<StaffTicket | null> {
  if (!TICKET_NUMBER.test(number)) return null;
  const assignee = alias(users, "assignee");
  const [row] = await db
    .select({
      ticket: tickets,
      department: departments.name,
      helpTopic: helpTopics.name,
      slaName: slaPlans.name,
      slaHours: slaPlans.gracePeriodHours,
      assigneeName: assignee.name,
      customer: {
        id: users.id,
        name: users.name,
        email: users.email,
        phone: users.phone,
        createdAt: users.createdAt,
      },
    })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .innerJoin(users, eq(users.id, tickets.customerId))
    .leftJoin(helpTopics, eq(helpTopics.id, tickets.helpTopicId))
    .leftJoin(slaPlans, eq(slaPlans.id, tickets.slaPlanId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .where(eq(tickets.number, number));
  if (!row) return null;
  const id = row.ticket.id;
  const actor = alias(users, "actor");
  const [messages, events, files, otherTickets, customerOrders] =
    await Promise.all([
      db
        .select()
        .from(ticketMessages)
        .where(eq(ticketMessages.ticketId, id))
        .orderBy(asc(ticketMessages.createdAt)),
      db
        .select({
          id: auditLog.id,
          action: auditLog.action,
          actorName: actor.name,
          data: auditLog.data,
          createdAt: auditLog.createdAt,
        })
        .from(auditLog)
        .leftJoin(actor, eq(actor.id, auditLog.actorId))
        .where(
          and(eq(auditLog.ticketId, id), ne(auditLog.action, "ticket.opened")),
        )
        // Several events share one timestamp when one save changes several things: keep their order.
        .orderBy(asc(auditLog.createdAt), asc(auditLog.id)),
      db
        .select(attachmentMeta)
        .from(attachments)
        .where(eq(attachments.ticketId, id))
        .orderBy(asc(attachments.createdAt)),
      db
        .select({
          id: tickets.id,
          number: tickets.number,
          subject: tickets.subject,
          status: tickets.status,
          lastMessageAt: tickets.lastMessageAt,
        })
        .from(tickets)
        .where(and(eq(tickets.customerId, row.customer.id), ne(tickets.id, id)))
        .orderBy(newestActivity)
        .limit(10),
      db
        .select({
          id: orders.id,
          number: orders.number,
          status: orders.status,
          totalAmount: orders.totalAmount,
          currency: orders.currency,
          placedAt: orders.placedAt,
          provider: orders.provider,
        })
        .from(orders)
        .where(
          or(
            eq(orders.customerId, row.customer.id),
            sql`lower(${orders.email}) = lower(${row.customer.email})`,
          ),
        )
        .orderBy(desc(orders.placedAt))
        .limit(10),
    ]);
  const thread: ThreadItem[] = [
    ...messages.map((message) => ({
      type: "message" as const,
      message,
      at: message.createdAt,
    })),
    ...events.map((event) => ({
      type: "event" as const,
      event,
      at: event.createdAt,
    })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((entry): ThreadItem =>
      entry.type === "message"
        ? { type: "message", message: entry.message }
        : { type: "event", event: entry.event },
    );
  return {
    ticket: row.ticket,
    department: row.department,
    helpTopic: row.helpTopic,
    slaPlan:
      row.slaName && row.slaHours
        ? { name: row.slaName, gracePeriodHours: row.slaHours }
        : null,
    assigneeName: row.assigneeName,
    customer: row.customer,
    thread,
    attachments: files,
    otherTickets,
    orders: customerOrders,
  };
}

/** Newest activity on a ticket, for the workspace's "replied since you opened it" notice. */
export async function getTicketActivity(
  db: Db,
  number: string,
): Promise<{
  id: string;
  status: TicketStatus;
  lastMessageAt: Date;
  updatedAt: Date;
} | null> {
  if (!TICKET_NUMBER.test(number)) return null;
  const [row] = await db
    .select({
      id: tickets.id,
      status: tickets.status,
      lastMessageAt: tickets.lastMessageAt,
      updatedAt: tickets.updatedAt,
    })
    .from(tickets)
    .where(eq(tickets.number, number));
  return row ?? null;
}

export async function listAssignableAgents(
  db: Db,
): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(
      and(inArray(users.role, ["agent", "admin"]), isNull(users.deactivatedAt)),
    )
    .orderBy(asc(users.name));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string): boolean => UUID.test(value);
