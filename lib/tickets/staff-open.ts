import "server-only";
import { eq } from "drizzle-orm";
import { helpTopics, type Ticket } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { isBannedEmail } from "@/lib/helpdesk/ban-list";
import { fail, ok, type Result } from "@/lib/result";
import type { IncomingFile } from "@/lib/tickets/attachments";
import { openTicket } from "@/lib/tickets/open-ticket";
import type { StaffTicketInput } from "@/lib/tickets/schemas";
import { createContact } from "@/lib/users/contacts";
import { getUserByEmail } from "@/lib/users/queries";
import { updateTicket } from "@/lib/tickets/update-ticket";

const field = (name: string, message: string) =>
  fail("invalid_input", message, { fields: { [name]: [message] } });

/**
 * An agent opens a ticket for a customer who phoned or came by: for an existing customer (found by
 * address, any letter case) or a new contact, who can claim the account later. The first message is
 * the customer's request as the agent took it down. The customer is told by mail only if the agent
 * chose to; the department is alerted unless the agent takes the ticket.
 */
export async function openTicketForContact(
  db: Db,
  agent: Viewer,
  input: Omit<StaffTicketInput, "attachments">,
  files: IncomingFile[],
  now = new Date(),
): Promise<Result<Ticket>> {
  if (input.helpTopicId) {
    const [topic] = await db
      .select({ isActive: helpTopics.isActive })
      .from(helpTopics)
      .where(eq(helpTopics.id, input.helpTopicId));
    if (!topic?.isActive) return field("helpTopicId", "Choose a help topic.");
  }
  return db.transaction(async (tx) => {
    const existing = await getUserByEmail(tx, input.email);
    if (existing && existing.role !== "customer")
      return field(
        "email",
        "That address belongs to a staff member. Open tickets for customers only.",
      );
    if (existing?.deactivatedAt)
      return field("email", "That customer's account is closed.");
    if (!existing && (await isBannedEmail(tx, input.email)))
      return field(
        "email",
        "That address is on the ban list. Remove it there first if this is a real customer.",
      );
    const actor = { kind: "user" as const, id: agent.id };
    const customer =
      existing ??
      (await createContact(
        tx,
        { email: input.email, name: input.name || input.email },
        actor,
        "staff",
        now,
      ));
    const opened = await openTicket(
      tx,
      {
        customer,
        actor,
        source: input.source,
        subject: input.subject,
        text: input.message,
        helpTopicId: input.helpTopicId,
        departmentId: input.departmentId,
        priority: input.priority,
        files,
        autorespond: input.notify,
        alert: !input.assignToMe,
      },
      now,
    );
    if (!opened.ok) return opened;
    let ticket: Ticket = opened.value;
    await recordAudit(tx, {
      actor,
      action: "ticket.opened_for_customer",
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: { source: input.source, notified: input.notify },
      at: now,
    });
    if (input.assignToMe) {
      // The same path as "Assign to me" in the workspace: checks, audit entry and all.
      const assigned = await updateTicket(
        tx,
        agent,
        { number: ticket.number, assigneeId: agent.id },
        now,
      );
      if (!assigned.ok) return assigned;
      ticket = assigned.value;
    }
    return ok(ticket);
  });
}
