import "server-only";
import { and, eq } from "drizzle-orm";
import {
  ticketMessages,
  tickets,
  users,
  type Ticket,
  type TicketMessage,
  type TicketSource,
  type TicketStatus,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { storeAttachments, type IncomingFile } from "@/lib/tickets/attachments";
import { discardDraft } from "@/lib/tickets/drafts";
import { notifyAgentReply, notifyCustomerReply } from "@/lib/tickets/notify";
import { sanitizeMessageHtml, textToHtml } from "@/lib/tickets/sanitize";
import { lockTicketByNumber } from "@/lib/tickets/lock";
import { seenByCustomer } from "@/lib/tickets/query-parts";
import { signed } from "@/lib/tickets/signatures";
import { slaClockUpdate } from "@/lib/tickets/sla-clock";
import { getUserById } from "@/lib/users/queries";

const NOT_FOUND = "We couldn't find that ticket.";

/** Who wrote a message: a user, or a mail sender who is not (yet) one. */
export type MessageAuthor = {
  id: string | null;
  name: string;
  email: string | null;
};

/** A message as any door hands it over. */
export type NewMessage = {
  author: MessageAuthor;
  source: TicketSource;
  text: string;
  /** Sanitised before it is stored; plain text is turned into HTML when absent. */
  html?: string | null;
  /** For mail: the whole text, when quoted history or a signature was cut from `text`. */
  originalText?: string | null;
  emailMessageId?: string | null;
  files: IncomingFile[];
};

/** Appends a message with its attachments; call inside the ticket's transaction. */
async function addMessage(
  tx: Db,
  ticketId: string,
  m: NewMessage & { kind: TicketMessage["kind"] },
  now: Date,
): Promise<{ id: string }> {
  const [message] = await tx
    .insert(ticketMessages)
    .values({
      ticketId,
      kind: m.kind,
      authorId: m.author.id,
      authorName: m.author.name,
      authorEmail: m.author.email,
      source: m.source,
      bodyText: m.text,
      bodyHtml: m.html ? sanitizeMessageHtml(m.html) : textToHtml(m.text),
      originalText: m.originalText ?? null,
      emailMessageId: m.emailMessageId ?? null,
      createdAt: now,
    })
    .returning({ id: ticketMessages.id });
  await storeAttachments(tx, ticketId, message!.id, m.files);
  return message!;
}
const isClosed = (s: TicketStatus) => s === "resolved" || s === "closed";

async function customerTicket(
  db: Db,
  viewer: Viewer,
  number: string,
): Promise<Ticket | null> {
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.number, number), seenByCustomer(viewer)))
    .for("update");
  return row ?? null;
}

/** The customer answers on their ticket. A resolved or closed ticket opens again. */
export async function addCustomerReply(
  db: Db,
  viewer: Viewer,
  input: { number: string; message: string },
  files: IncomingFile[],
  now = new Date(),
): Promise<Result<{ ticket: Ticket; reopened: boolean }>> {
  return db.transaction(async (tx) => {
    const ticket = await customerTicket(tx, viewer, input.number);
    if (!ticket) return fail("not_found", NOT_FOUND);
    if (ticket.mergedIntoId) return mergedRefusal(tx, ticket.mergedIntoId);
    return ok(
      await appendCustomerMessage(
        tx,
        ticket,
        {
          author: viewer,
          source: "web",
          text: input.message,
          files,
        },
        now,
      ),
    );
  });
}

/**
 * A message from the customer's side (the customer, or a participant by mail) on a ticket locked by
 * the caller's transaction: the ticket is open again (a resolved or closed one is reopened with a
 * fresh SLA due time) and the assignee is told.
 */
export async function appendCustomerMessage(
  tx: Db,
  ticket: Ticket,
  m: NewMessage,
  now: Date,
): Promise<{ ticket: Ticket; reopened: boolean; messageId: string }> {
  const reopened = isClosed(ticket.status);
  const message = await addMessage(
    tx,
    ticket.id,
    { kind: "customer", ...m },
    now,
  );
  const [updated] = await tx
    .update(tickets)
    .set({
      lastMessageAt: now,
      updatedAt: now,
      // An answer from the customer puts the ball back in the agents' court: the SLA clock runs
      // again (or afresh, when the ticket was finished).
      status: "open",
      ...(await slaClockUpdate(tx, ticket, "open", now)),
      ...(reopened ? { closedAt: null } : {}),
    })
    .where(eq(tickets.id, ticket.id))
    .returning();
  if (reopened) {
    await recordAudit(tx, {
      actor: m.author.id
        ? { kind: "user", id: m.author.id }
        : { kind: "email" },
      action: "ticket.reopened",
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: { by: "reply", from: ticket.status },
      at: now,
    });
  }
  const assignee = ticket.assigneeId
    ? await getUserById(tx, ticket.assigneeId)
    : null;
  await notifyCustomerReply(
    tx,
    {
      ticket: updated!,
      assignee,
      customerName: m.author.name,
      messageText: m.text,
    },
    now,
  );
  return { ticket: updated!, reopened, messageId: message.id };
}

/** The customer closes or reopens their own ticket from the portal. */
export async function setTicketOpenByCustomer(
  db: Db,
  viewer: Viewer,
  number: string,
  open: boolean,
  now = new Date(),
): Promise<Result<Ticket>> {
  return db.transaction(async (tx) => {
    const ticket = await customerTicket(tx, viewer, number);
    if (!ticket) return fail("not_found", NOT_FOUND);
    if (open === !isClosed(ticket.status)) return ok(ticket); // already as asked: nothing to do
    const [updated] = await tx
      .update(tickets)
      .set({
        ...(open
          ? { status: "open", closedAt: null }
          : { status: "closed", closedAt: now }),
        ...(await slaClockUpdate(tx, ticket, open ? "open" : "closed", now)),
        updatedAt: now,
      })
      .where(eq(tickets.id, ticket.id))
      .returning();
    await recordAudit(tx, {
      actor: { kind: "user", id: viewer.id },
      action: open ? "ticket.reopened" : "ticket.closed",
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: { by: "customer", from: ticket.status },
      at: now,
    });
    return ok(updated!);
  });
}

/** Any staff member may work any ticket; agents are not limited to their departments. */
/** A merged ticket takes no more messages: the conversation goes on in the ticket it joined. */
async function mergedRefusal(db: Db, targetId: string) {
  const [target] = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(eq(tickets.id, targetId));
  return fail(
    "conflict",
    `This ticket was merged into #${target?.number ?? "another ticket"}: please write there.`,
  );
}

/**
 * An agent's public reply: mailed to the customer, first response recorded, status set as chosen
 * (by default the ticket waits for the customer).
 */
export async function addAgentReply(
  db: Db,
  agent: Viewer,
  input: {
    number: string;
    message: string;
    status: TicketStatus;
    signature?: string | null;
  },
  files: IncomingFile[],
  now = new Date(),
): Promise<Result<Ticket>> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicketByNumber(tx, input.number);
    if (!ticket) return fail("not_found", NOT_FOUND);
    if (ticket.mergedIntoId) return mergedRefusal(tx, ticket.mergedIntoId);
    // The thread and the mail both carry exactly what was sent, signature included.
    const text = signed(input.message, input.signature ?? undefined);
    await addMessage(
      tx,
      ticket.id,
      {
        kind: "reply",
        author: agent,
        source: "staff",
        text,
        files,
      },
      now,
    );
    await discardDraft(tx, {
      ticketId: ticket.id,
      userId: agent.id,
      kind: "reply",
    });
    const closing = isClosed(input.status);
    const [updated] = await tx
      .update(tickets)
      .set({
        status: input.status,
        firstResponseAt: ticket.firstResponseAt ?? now,
        // Answering an unassigned ticket takes it, as agents expect from osTicket.
        assigneeId: ticket.assigneeId ?? agent.id,
        lastMessageAt: now,
        updatedAt: now,
        closedAt: closing ? (ticket.closedAt ?? now) : null,
        ...(await slaClockUpdate(tx, ticket, input.status, now)),
      })
      .where(eq(tickets.id, ticket.id))
      .returning();
    if (!ticket.assigneeId) {
      await recordAudit(tx, {
        actor: { kind: "user", id: agent.id },
        action: "ticket.assigned",
        entityType: "ticket",
        entityId: ticket.id,
        ticketId: ticket.id,
        data: { from: null, to: agent.name, toId: agent.id },
        at: now,
      });
    }
    if (input.status !== ticket.status) {
      await recordAudit(tx, {
        actor: { kind: "user", id: agent.id },
        action: "ticket.status_changed",
        entityType: "ticket",
        entityId: ticket.id,
        ticketId: ticket.id,
        data: { from: ticket.status, to: input.status },
        at: now,
      });
    }
    const [customer] = await tx
      .select()
      .from(users)
      .where(eq(users.id, ticket.customerId));
    await notifyAgentReply(
      tx,
      {
        ticket: updated!,
        customer: customer!,
        agentName: agent.name,
        replyText: text,
      },
      now,
    );
    return ok(updated!);
  });
}

/** An internal note: agents only, never mailed, never shown to the customer. */
export async function addInternalNote(
  db: Db,
  agent: Viewer,
  input: { number: string; message: string },
  files: IncomingFile[],
  now = new Date(),
): Promise<Result<Ticket>> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicketByNumber(tx, input.number);
    if (!ticket) return fail("not_found", NOT_FOUND);
    if (ticket.mergedIntoId) return mergedRefusal(tx, ticket.mergedIntoId);
    await addMessage(
      tx,
      ticket.id,
      {
        kind: "note",
        author: agent,
        source: "staff",
        text: input.message,
        files,
      },
      now,
    );
    await discardDraft(tx, {
      ticketId: ticket.id,
      userId: agent.id,
      kind: "note",
    });
    // A note is activity for agents but not for the customer's "newest activity" order.
    const [updated] = await tx
      .update(tickets)
      .set({ updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    return ok(updated!);
  });
}
