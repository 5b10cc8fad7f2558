import "server-only";
import { and, asc, count, eq, ne } from "drizzle-orm";
import {
  attachments,
  departments,
  helpTopics,
  orders,
  ticketMessages,
  tickets,
  type Attachment,
  type Order,
  type Ticket,
  type TicketMessage,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { isUuid } from "@/lib/ids";
import { TICKET_NUMBER } from "@/lib/tickets/numbers";
import {
  attachmentMeta,
  matchesText,
  newestActivity,
  PAGE_SIZE,
  seenByCustomer,
  type AttachmentMeta,
} from "@/lib/tickets/query-parts";
import type { CustomerTicketFilters } from "@/lib/tickets/schemas";

// What a customer reads of their tickets. Each read takes the viewer and is scoped to them: someone
// else's ticket reads as missing, and internal notes are never part of the answer.

export type CustomerTicketRow = Pick<
  Ticket,
  "id" | "number" | "subject" | "status" | "lastMessageAt" | "createdAt"
> & {
  helpTopic: string | null;
};

/** The viewer's own tickets, newest activity first, with the total for paging. */
export async function listTicketsForCustomer(
  db: Db,
  viewer: Pick<Viewer, "id" | "emailVerified">,
  filters: CustomerTicketFilters = { status: "all", page: 1 },
): Promise<{ rows: CustomerTicketRow[]; total: number }> {
  const where = and(
    seenByCustomer(viewer),
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
    .where(and(eq(tickets.number, number), seenByCustomer(viewer)));
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
        seenByCustomer(viewer),
        ne(ticketMessages.kind, "note"),
      ),
    );
  return row?.attachment ?? null;
}
