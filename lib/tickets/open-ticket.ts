import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql, type WithSubquery } from "drizzle-orm";
import type { PgPreparedQuery, PreparedQueryConfig } from "drizzle-orm/pg-core";
import {
  attachments,
  auditLog,
  helpTopics,
  orders,
  outboundMail,
  ticketMessages,
  tickets,
  type Ticket,
  type TicketPriority,
  type TicketSource,
  type User,
} from "@/db/schema";
import { isUniqueViolation, violatedConstraint } from "@/db/errors";
import { isTransaction, placeholderRows, preparedQueries } from "@/db/prepared";
import type { Db } from "@/db/types";
import { auditRow, type AuditInput } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { outboxRows } from "@/lib/mail/outbox";
import { fail, ok, type Result } from "@/lib/result";
import { attachmentRows, type IncomingFile } from "@/lib/tickets/attachments";
import { ticketOpenedMails } from "@/lib/tickets/notify";
import { randomTicketNumber } from "@/lib/tickets/numbers";
import {
  decideRouting,
  readRoutingFacts,
  type RoutingFacts,
} from "@/lib/tickets/routing";
import { sanitizeMessageHtml, textToHtml } from "@/lib/tickets/sanitize";
import type { OpenTicketInput } from "@/lib/tickets/schemas";
import { getUserById } from "@/lib/users/queries";

// Seen by agents in the mail log when a message could not become a ticket, and by the web form.
export const NO_DEPARTMENT =
  "No department exists to receive the ticket: finish setting up Portico (npm run cli -- setup, or /setup) or add a department under Settings > Departments.";

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
  /** Already read with readRoutingFacts for this topic and department: spares openTicket the read. */
  routingFacts?: RoutingFacts;
};

/**
 * Opens a ticket with its first message, where decideRouting sends it (the help topic, else the
 * given or first department). Two round trips: one read for the routing facts, one statement that
 * writes the ticket, its messages, files, audit entry and mail (atomic on its own, so it needs no
 * transaction; inside a caller's it takes a savepoint).
 */
export async function openTicket(
  db: Db,
  t: TicketOpening,
  now = new Date(),
): Promise<Result<OpenedTicket>> {
  const facts = t.routingFacts ?? (await readRoutingFacts(db, t)).facts;
  const routing = decideRouting(facts, t, now);
  if (!routing) return fail("invalid_input", NO_DEPARTMENT);
  const { topic, department } = routing;

  // Ids are drawn here rather than by the database, so every row can name them in one statement.
  const ticketId = randomUUID();
  const firstMessageId = randomUUID();
  const messages: NewTicketMessage[] = [
    {
      id: firstMessageId,
      ticketId,
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
    },
  ];
  if (t.systemNote)
    messages.push({
      ticketId,
      kind: "note",
      authorName: "System",
      source: t.source,
      bodyText: t.systemNote,
      bodyHtml: textToHtml(t.systemNote),
      createdAt: now,
    });
  const files = attachmentRows(ticketId, firstMessageId, t.files ?? []);
  const audit = auditRow({
    actor: t.actor,
    action: "ticket.opened",
    entityType: "ticket",
    entityId: ticketId,
    ticketId,
    data: {
      source: t.source,
      department: department.name,
      helpTopic: topic?.name ?? null,
    },
    at: now,
  });

  for (let draw = 1; ; draw++) {
    const ticket: NewTicket = {
      id: ticketId,
      number: randomTicketNumber(),
      subject: t.subject,
      status: "open",
      priority: routing.priority,
      source: t.source,
      departmentId: department.id,
      helpTopicId: topic?.id ?? null,
      slaPlanId: routing.slaPlanId,
      customerId: t.customer.id,
      orderId: t.orderId ?? null,
      previousTicketId: t.previousTicket?.id ?? null,
      dueAt: routing.dueAt,
      slaStartedAt: now,
      lastMessageAt: now,
      createdAt: now,
      updatedAt: now,
    };
    // The mail quotes the ticket's number, so it is built again for each draw.
    const mails = ticketOpenedMails({
      ticket: { id: ticketId, number: ticket.number, subject: t.subject },
      customer: t.customer,
      department,
      messageText: t.text,
      emailMessageId: t.emailMessageId,
      acknowledge: t.autorespond ?? true,
      agents: routing.alertRecipients,
      previousNumber: t.previousTicket?.number,
    });
    try {
      const written = await writeTicket(db, {
        ticket,
        messages,
        files,
        audit,
        mail: outboxRows(mails, now),
      });
      return ok({ ...written, firstMessageId });
    } catch (error) {
      // Another ticket holds the drawn number: nothing was written; draw again.
      if (
        draw < 20 &&
        isUniqueViolation(error) &&
        violatedConstraint(error) === "tickets_number_key"
      )
        continue;
      throw error;
    }
  }
}

type NewTicket = typeof tickets.$inferInsert;
type NewTicketMessage = typeof ticketMessages.$inferInsert;

/**
 * Writes a new ticket and everything that comes with it as one statement. Inside a caller's
 * transaction it runs under a savepoint, so a number another ticket took leaves that transaction
 * usable for the next draw.
 */
async function writeTicket(
  db: Db,
  rows: {
    ticket: NewTicket;
    messages: NewTicketMessage[];
    files: (typeof attachments.$inferInsert)[];
    audit: typeof auditLog.$inferInsert;
    mail: (typeof outboundMail.$inferInsert)[];
  },
): Promise<Ticket> {
  const ticket = placeholderRows("ticket", [rows.ticket]);
  const messages = placeholderRows("message", rows.messages);
  const audit = placeholderRows("audit", [rows.audit]);
  const files = placeholderRows("file", rows.files);
  const mail = placeholderRows("mail", rows.mail);
  const parts = [ticket, messages, audit, files, mail];
  const build = (q: Db) => {
    const ctes: WithSubquery[] = [
      q.$with("message").as(q.insert(ticketMessages).values(messages.rows)),
      q.$with("audit").as(q.insert(auditLog).values(audit.rows)),
    ];
    if (files.rows.length > 0)
      ctes.push(q.$with("file").as(q.insert(attachments).values(files.rows)));
    if (mail.rows.length > 0)
      ctes.push(q.$with("mail").as(q.insert(outboundMail).values(mail.rows)));
    return (
      q
        .with(...ctes)
        .insert(tickets)
        // The first message's words go in with the ticket, so the message's trigger finds nothing to
        // add and the row is written once (drizzle/0010_ticket_search_first_message.sql).
        .values({
          ...ticket.rows[0]!,
          searchAll: sql`portico_search_words(${sql.placeholder("words")})`,
        })
        .returning()
        .prepare("open_ticket")
    );
  };
  const write = async (q: Db) => {
    const statement = ticketWrites(
      q,
      parts.map((p) => p.shape).join(";"),
      build,
    );
    const [written] = await statement.execute(
      Object.assign(
        { words: rows.messages[0]!.bodyText },
        ...parts.map((p) => p.values),
      ),
    );
    if (!written) throw new Error("the ticket insert returned nothing");
    return written;
  };
  return isTransaction(db) ? db.transaction((tx) => write(tx)) : write(db);
}

// The write's text depends on how many messages, files and mails a ticket has, and which columns
// they set: a handful of shapes in practice.
const ticketWrites =
  preparedQueries<
    PgPreparedQuery<PreparedQueryConfig & { execute: Ticket[] }>
  >();

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
