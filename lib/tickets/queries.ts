import "server-only";
import { and, asc, count, desc, eq, inArray, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  departments,
  helpTopics,
  ticketMessages,
  tickets,
  users,
  type Ticket,
  type TicketMessage,
  type TicketStatus,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { TICKET_NUMBER } from "@/lib/tickets/numbers";

export type CustomerTicketRow = Pick<
  Ticket,
  "id" | "number" | "subject" | "status" | "lastMessageAt" | "createdAt"
> & {
  helpTopic: string | null;
};

/** The viewer's own tickets, newest activity first. */
export async function listTicketsForCustomer(
  db: Db,
  viewer: Viewer,
  opts: { status?: TicketStatus; limit?: number; offset?: number } = {},
): Promise<CustomerTicketRow[]> {
  return db
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
    .where(
      and(
        eq(tickets.customerId, viewer.id),
        opts.status ? eq(tickets.status, opts.status) : undefined,
      ),
    )
    .orderBy(desc(tickets.lastMessageAt))
    .limit(opts.limit ?? 25)
    .offset(opts.offset ?? 0);
}

export type CustomerTicket = Ticket & {
  helpTopic: string | null;
  department: string;
  /** The customer's messages and agents' replies; internal notes are never included. */
  messages: TicketMessage[];
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
    })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(helpTopics, eq(helpTopics.id, tickets.helpTopicId))
    .where(and(eq(tickets.number, number), eq(tickets.customerId, viewer.id)));
  if (!row) return null;
  const messages = await db
    .select()
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.ticketId, row.ticket.id),
        ne(ticketMessages.kind, "note"),
      ),
    )
    .orderBy(asc(ticketMessages.createdAt));
  return {
    ...row.ticket,
    helpTopic: row.helpTopic,
    department: row.department,
    messages,
  };
}

export type QueueRow = Pick<
  Ticket,
  | "id"
  | "number"
  | "subject"
  | "status"
  | "priority"
  | "dueAt"
  | "lastMessageAt"
  | "source"
> & { customerName: string; department: string; assigneeName: string | null };

/** The agents' queue: tickets that still need work, newest activity first. */
export async function listQueue(
  db: Db,
  opts: { statuses?: TicketStatus[]; limit?: number } = {},
): Promise<QueueRow[]> {
  const assignee = alias(users, "assignee");
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      dueAt: tickets.dueAt,
      lastMessageAt: tickets.lastMessageAt,
      source: tickets.source,
      customerName: users.name,
      department: departments.name,
      assigneeName: assignee.name,
    })
    .from(tickets)
    .innerJoin(users, eq(users.id, tickets.customerId))
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .where(inArray(tickets.status, opts.statuses ?? ["open", "pending"]))
    .orderBy(desc(tickets.lastMessageAt))
    .limit(opts.limit ?? 50);
}

export async function countTicketsByStatus(
  db: Db,
): Promise<Record<TicketStatus, number>> {
  const rows = await db
    .select({ status: tickets.status, n: count() })
    .from(tickets)
    .groupBy(tickets.status);
  const counts: Record<TicketStatus, number> = {
    open: 0,
    pending: 0,
    resolved: 0,
    closed: 0,
  };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
