import "server-only";
import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import {
  departments,
  outboundMail,
  ticketMessages,
  type Ticket,
  type User,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";
import {
  departmentAlertRecipients,
  wantsAlert,
} from "@/lib/tickets/alert-settings";
import { listParticipants } from "@/lib/tickets/participants";
import {
  enqueueMail,
  enqueueMails,
  newMessageId,
  type OutgoingMail,
} from "@/lib/mail/outbox";
import {
  agentReplyCopyMail,
  agentReplyMail,
  customerReplyAlertMail,
  newTicketAlertMail,
  ticketAcknowledgementMail,
} from "@/lib/mail/templates/tickets";

// Ticket mail, written to the outbox inside the transaction that causes it. Every mail of a ticket
// hangs off one root Message-ID (the customer's own mail for tickets that came in by mail), and each
// new one answers the previous, so clients thread them and an inbound reply matches by header alone.

type Person = Pick<
  User,
  "id" | "name" | "email" | "emailUndeliverableAt" | "deactivatedAt"
>;

export const customerTicketUrl = (number: string) =>
  `${env().appUrl}/tickets/${number}`;
export const staffTicketUrl = (number: string) =>
  `${env().appUrl}/staff/tickets/${number}`;

async function threadHeaders(
  db: Db,
  ticket: Pick<Ticket, "id">,
): Promise<{ inReplyTo: string; references: string[] }> {
  const [first] = await db
    .select({ id: ticketMessages.emailMessageId })
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.ticketId, ticket.id),
        isNotNull(ticketMessages.emailMessageId),
      ),
    )
    .orderBy(asc(ticketMessages.createdAt))
    .limit(1);
  const root = first?.id ?? newMessageId(`ticket-${ticket.id}`);
  const prior = await db
    .select({ id: outboundMail.messageId })
    .from(outboundMail)
    .where(eq(outboundMail.ticketId, ticket.id))
    .orderBy(desc(outboundMail.createdAt))
    .limit(10);
  const chain = prior.map((p) => p.id).reverse();
  return {
    inReplyTo: chain[chain.length - 1] ?? root,
    references: [root, ...chain],
  };
}

const canMail = (p: Person) => !p.emailUndeliverableAt && !p.deactivatedAt;

/** A department's agents who get new-ticket alerts: active, with a deliverable address. */
export type AlertRecipient = { name: string; email: string };
type AlertRecipientWithId = AlertRecipient & { id: string };

/**
 * The mail a new ticket sends: the customer's acknowledgement and an alert to each of `agents`.
 * Built, not written, so the ticket and its mail go to the database in one statement.
 */
export function ticketOpenedMails(p: {
  ticket: Pick<Ticket, "id" | "number" | "subject">;
  customer: Person;
  department: { name: string };
  messageText: string;
  /** The customer's own Message-ID when the ticket came in by mail: the thread's root. */
  emailMessageId?: string | null;
  acknowledge: boolean;
  /** Whom to alert; empty when the caller asked for no alert. */
  agents: AlertRecipient[];
  /** Set when this ticket continues one closed too long ago to reopen. */
  previousNumber?: string;
}): OutgoingMail[] {
  // A new ticket has no mail yet, so its thread is known without reading it back.
  const root = p.emailMessageId ?? newMessageId(`ticket-${p.ticket.id}`);
  const mails: OutgoingMail[] = [];
  let last = root;
  if (p.acknowledge && canMail(p.customer)) {
    const mail = ticketAcknowledgementMail({
      number: p.ticket.number,
      subject: p.ticket.subject,
      url: customerTicketUrl(p.ticket.number),
      customerName: p.customer.name,
      previousNumber: p.previousNumber,
    });
    last = newMessageId();
    mails.push({
      kind: "ticket_acknowledgement",
      to: p.customer.email,
      ticketId: p.ticket.id,
      ...mail,
      messageId: last,
      inReplyTo: root,
      references: [root],
    });
  }
  // Every alert answers the same mail: the acknowledgement, or the root.
  const thread = {
    inReplyTo: last,
    references: last === root ? [root] : [root, last],
  };
  for (const agent of p.agents)
    mails.push({
      kind: "new_ticket_alert",
      to: agent.email,
      ticketId: p.ticket.id,
      ...newTicketAlertMail({
        number: p.ticket.number,
        subject: p.ticket.subject,
        url: staffTicketUrl(p.ticket.number),
        agentName: agent.name,
        customerName: p.customer.name,
        customerEmail: p.customer.email,
        department: p.department.name,
        messageText: p.messageText,
      }),
      ...thread,
    });
  return mails;
}

/** An agent's reply: to the customer, and a copy to everyone copied on the ticket. */
export async function notifyAgentReply(
  db: Db,
  p: { ticket: Ticket; customer: Person; agentName: string; replyText: string },
  now: Date,
): Promise<void> {
  const thread = await threadHeaders(db, p.ticket);
  const mails: OutgoingMail[] = [];
  if (canMail(p.customer))
    mails.push({
      kind: "agent_reply",
      to: p.customer.email,
      ticketId: p.ticket.id,
      ...agentReplyMail({
        number: p.ticket.number,
        subject: p.ticket.subject,
        url: customerTicketUrl(p.ticket.number),
        customerName: p.customer.name,
        agentName: p.agentName,
        replyText: p.replyText,
        // The resolution mail tells the customer the ticket closes itself unless they answer.
        closesInDays: p.ticket.status === "resolved" ? env().autoCloseDays : 0,
      }),
      ...thread,
    });
  for (const cc of await listParticipants(db, p.ticket.id))
    mails.push({
      kind: "agent_reply_cc",
      to: cc.email,
      ticketId: p.ticket.id,
      ...agentReplyCopyMail({
        number: p.ticket.number,
        subject: p.ticket.subject,
        customerName: p.customer.name,
        agentName: p.agentName,
        replyText: p.replyText,
      }),
      ...thread,
    });
  await enqueueMails(db, mails, now);
}

/**
 * A customer's message (or a CC'd participant's) on an existing ticket: its assignee is alerted, or,
 * while nobody owns it, the department's agents, each only if they have not turned that alert off.
 */
export async function notifyCustomerReply(
  db: Db,
  p: {
    ticket: Ticket;
    assignee: Person | null;
    customerName: string;
    messageText: string;
  },
  now: Date,
): Promise<void> {
  // An assignee who has left (deactivated) owns nothing any more: the department hears instead.
  const owner = p.assignee && !p.assignee.deactivatedAt ? p.assignee : null;
  const recipients: AlertRecipientWithId[] = owner
    ? canMail(owner) && (await wantsAlert(db, owner.id, "my_ticket_reply"))
      ? [owner]
      : []
    : await departmentAlertRecipients(
        db,
        p.ticket.departmentId,
        "unassigned_reply",
      );
  if (recipients.length === 0) return;
  const department = owner
    ? undefined
    : (
        await db
          .select({ name: departments.name })
          .from(departments)
          .where(eq(departments.id, p.ticket.departmentId))
      )[0]?.name;
  const thread = await threadHeaders(db, p.ticket);
  for (const agent of recipients) {
    const mail = customerReplyAlertMail({
      number: p.ticket.number,
      subject: p.ticket.subject,
      url: staffTicketUrl(p.ticket.number),
      agentName: agent.name,
      customerName: p.customerName,
      messageText: p.messageText,
      unassignedIn: department,
    });
    await enqueueMail(
      db,
      {
        kind: "customer_reply_alert",
        to: agent.email,
        ticketId: p.ticket.id,
        ...mail,
        ...thread,
      },
      now,
    );
  }
}
