// Staff reads take the agent (after db) only when it changes the answer; entry points check access.
import "server-only";
import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
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
import {
  parseStoredHours,
  summarizeHours,
} from "@/lib/helpdesk/business-hours";
import type { Db } from "@/db/types";
import { isUuid } from "@/lib/ids";
import { TICKET_NUMBER } from "@/lib/tickets/numbers";
import {
  attachmentMeta,
  newestActivity,
  type AttachmentMeta,
} from "@/lib/tickets/query-parts";

// One ticket as an agent works it: the thread with notes and events, its files, the agents it can
// go to, and the customer's other tickets and orders beside it.

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
  slaPlan: {
    name: string;
    gracePeriodHours: number;
    /** "24/7" or "Mon–Fri 09:00–17:00 Europe/Berlin": what the grace period counts. */
    hours: string;
  } | null;
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
      | "externalId"
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
      slaBusinessHours: slaPlans.businessHours,
      slaTimeZone: slaPlans.timeZone,
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
          externalId: orders.externalId,
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
        ? {
            name: row.slaName,
            gracePeriodHours: row.slaHours,
            hours: summarizeHours(
              parseStoredHours(row.slaBusinessHours),
              row.slaTimeZone ?? "UTC",
            ),
          }
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

/** What the merge box offers: the customer's other tickets that can still take messages. */
export async function listMergeTargets(
  db: Db,
  ticket: Pick<Ticket, "id" | "customerId">,
): Promise<Array<Pick<Ticket, "number" | "subject" | "status">>> {
  return db
    .select({
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.customerId, ticket.customerId),
        ne(tickets.id, ticket.id),
        isNull(tickets.mergedIntoId),
      ),
    )
    .orderBy(desc(tickets.lastMessageAt))
    .limit(50);
}
