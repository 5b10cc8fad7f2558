import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import {
  departments,
  helpTopics,
  orders,
  slaPlans,
  ticketMessages,
  tickets,
  type Ticket,
  type TicketPriority,
  type TicketSource,
  type User,
} from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit, type AuditInput } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { storeAttachments, type IncomingFile } from "@/lib/tickets/attachments";
import { notifyTicketOpened } from "@/lib/tickets/notify";
import { randomTicketNumber } from "@/lib/tickets/numbers";
import { sanitizeMessageHtml, textToHtml } from "@/lib/tickets/sanitize";
import type { OpenTicketInput } from "@/lib/tickets/schemas";
import { slaDueAt } from "@/lib/tickets/sla";
import { getUserById } from "@/lib/users/queries";

export type OpenedTicket = Ticket & { firstMessageId: string };

/** Everything any door (web, staff, API, mail) knows when a ticket is opened. */
export type TicketOpening = {
  customer: Pick<
    User,
    "id" | "name" | "email" | "emailUndeliverableAt" | "deactivatedAt"
  >;
  actor: AuditInput["actor"];
  source: TicketSource;
  subject: string;
  text: string;
  /** Sanitised here before it is stored. */
  html?: string | null;
  helpTopicId?: number;
  departmentId?: number;
  priority?: TicketPriority;
  orderId?: string;
  files?: IncomingFile[];
  emailMessageId?: string;
  /** Overrides the SLA due time (osTicket's API `duedate`). */
  dueAt?: Date;
  /** Alert the department's agents (default true). */
  alert?: boolean;
  /** Acknowledge to the customer by mail (default true). */
  autorespond?: boolean;
  /** The submitter's address as reported, stored on the first message. */
  ip?: string | null;
  /** An internal note from the system added with the first message (e.g. files that were dropped). */
  systemNote?: string;
  /** A reply to a ticket closed too long ago: the new ticket points back to it. */
  previousTicket?: Pick<Ticket, "id" | "number">;
};

/**
 * Opens a ticket with its first message. The help topic decides department, priority and SLA plan;
 * without one the given (or first) department and its plan apply. Mail goes to the outbox in the
 * same transaction.
 */
export async function openTicket(
  db: Db,
  t: TicketOpening,
  now = new Date(),
): Promise<Result<OpenedTicket>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => openInTransaction(tx, t, now));
    } catch (error) {
      // Two tickets drew the same random number at the same moment: draw again.
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function openInTransaction(
  tx: Db,
  t: TicketOpening,
  now: Date,
): Promise<Result<OpenedTicket>> {
  const [topic] = t.helpTopicId
    ? await tx
        .select()
        .from(helpTopics)
        .where(
          and(eq(helpTopics.id, t.helpTopicId), eq(helpTopics.isActive, true)),
        )
    : [];
  const departmentId = topic?.departmentId ?? t.departmentId;
  // The department and its active SLA plan (the topic's plan wins) in one round trip.
  const slaPlanId = sql`coalesce(${topic?.slaPlanId ?? null}::int, ${departments.slaPlanId})`;
  const [found] = await tx
    .select({ department: departments, plan: slaPlans })
    .from(departments)
    .leftJoin(
      slaPlans,
      and(eq(slaPlans.id, slaPlanId), eq(slaPlans.isActive, true)),
    )
    .where(departmentId ? eq(departments.id, departmentId) : undefined)
    .orderBy(asc(departments.id))
    .limit(1);
  const department = found?.department;
  if (!department)
    return fail("invalid_input", "No department exists to receive the ticket.");
  const plan = found?.plan ?? undefined;

  const insertTicket = (number: string) =>
    tx
      .insert(tickets)
      .values({
        number,
        subject: t.subject,
        status: "open",
        priority: t.priority ?? topic?.priority ?? "normal",
        source: t.source,
        departmentId: department.id,
        helpTopicId: topic?.id ?? null,
        slaPlanId: plan?.id ?? null,
        customerId: t.customer.id,
        orderId: t.orderId ?? null,
        previousTicketId: t.previousTicket?.id ?? null,
        dueAt: t.dueAt ?? (plan ? slaDueAt(now, plan.gracePeriodHours) : null),
        lastMessageAt: now,
        createdAt: now,
        updatedAt: now,
      })
      // A number already taken inserts nothing, and another is drawn.
      .onConflictDoNothing({ target: tickets.number })
      .returning();
  let ticket: Ticket | undefined;
  for (let attempt = 0; !ticket && attempt < 20; attempt++)
    [ticket] = await insertTicket(randomTicketNumber());
  if (!ticket) throw new Error("no free ticket number after 20 draws");

  const [message] = await tx
    .insert(ticketMessages)
    .values({
      ticketId: ticket.id,
      kind: "customer",
      authorId: t.customer.id,
      authorName: t.customer.name,
      authorEmail: t.customer.email,
      source: t.source,
      bodyText: t.text,
      bodyHtml: t.html ? sanitizeMessageHtml(t.html) : textToHtml(t.text),
      emailMessageId: t.emailMessageId,
      ip: t.ip ?? null,
      createdAt: now,
    })
    .returning({ id: ticketMessages.id });
  await storeAttachments(tx, ticket.id, message!.id, t.files ?? []);
  if (t.systemNote) {
    await tx.insert(ticketMessages).values({
      ticketId: ticket.id,
      kind: "note",
      authorName: "System",
      source: t.source,
      bodyText: t.systemNote,
      bodyHtml: textToHtml(t.systemNote),
      createdAt: now,
    });
  }
  await recordAudit(tx, {
    actor: t.actor,
    action: "ticket.opened",
    entityType: "ticket",
    entityId: ticket.id,
    ticketId: ticket.id,
    data: {
      source: t.source,
      department: department.name,
      helpTopic: topic?.name ?? null,
    },
    at: now,
  });
  await notifyTicketOpened(
    tx,
    {
      ticket,
      customer: t.customer,
      department,
      messageText: t.text,
      emailMessageId: t.emailMessageId,
      acknowledge: t.autorespond ?? true,
      alert: t.alert ?? true,
      previousNumber: t.previousTicket?.number,
    },
    now,
  );
  return ok({ ...ticket, firstMessageId: message!.id });
}

/** A customer opening a ticket on the site: only public topics and their own orders. */
export async function openTicketForCustomer(
  db: Db,
  viewer: Viewer,
  input: Omit<OpenTicketInput, "attachments">,
  files: IncomingFile[],
  now = new Date(),
): Promise<Result<Ticket>> {
  const [topic] = await db
    .select()
    .from(helpTopics)
    .where(
      and(
        eq(helpTopics.id, input.helpTopicId),
        eq(helpTopics.isActive, true),
        eq(helpTopics.isPublic, true),
      ),
    );
  if (!topic)
    return fail("invalid_input", "Choose a help topic.", {
      fields: { helpTopicId: ["Choose a help topic."] },
    });
  if (input.orderId) {
    const [order] = await db
      .select({ id: orders.id })
      .from(orders)
      .where(
        and(eq(orders.id, input.orderId), eq(orders.customerId, viewer.id)),
      );
    if (!order)
      return fail("invalid_input", "Choose one of your orders.", {
        fields: { orderId: ["Choose one of your orders."] },
      });
  }
  const customer = await getUserById(db, viewer.id);
  if (!customer) return fail("unauthenticated", "Sign in again.");
  return openTicket(
    db,
    {
      customer,
      actor: { kind: "user", id: viewer.id },
      source: "web",
      subject: input.subject,
      text: input.message,
      helpTopicId: topic.id,
      orderId: input.orderId,
      files,
    },
    now,
  );
}
