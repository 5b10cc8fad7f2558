import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { ticketParticipants, tickets, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { isBannedEmail } from "@/lib/helpdesk/ban-list";
import { fail, ok, type Result } from "@/lib/result";

// People copied on a ticket (CC): they get the agents' replies by mail and may answer by mail. Mail
// adds the customer's own Cc'd colleagues; agents add and remove addresses in the workspace.

export type Participant = { email: string; name: string | null };

const refuse = (message: string) =>
  fail("invalid_input", message, { fields: { email: [message] } });

/** Everyone copied on a ticket, by address. */
export async function listParticipants(
  db: Db,
  ticketId: string,
): Promise<Participant[]> {
  return db
    .select({ email: ticketParticipants.email, name: users.name })
    .from(ticketParticipants)
    .leftJoin(users, eq(users.id, ticketParticipants.userId))
    .where(eq(ticketParticipants.ticketId, ticketId))
    .orderBy(asc(sql`lower(${ticketParticipants.email})`));
}

/** An agent copies an address on a ticket. Not the customer's own, a colleague's or a banned one. */
export async function addParticipant(
  db: Db,
  agent: Viewer,
  input: { number: string; email: string },
  now = new Date(),
): Promise<Result<Participant>> {
  const email = input.email.trim();
  const lowered = email.toLowerCase();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ ticket: tickets, customerEmail: users.email })
      .from(tickets)
      .innerJoin(users, eq(users.id, tickets.customerId))
      .where(eq(tickets.number, input.number));
    if (!row) return fail("not_found", "We couldn't find that ticket.");
    if (row.ticket.mergedIntoId)
      return refuse("This ticket was merged into another: copy people there.");
    if (row.customerEmail.toLowerCase() === lowered)
      return refuse(
        "That is the customer's own address: they get every reply.",
      );
    const [known] = await tx
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(sql`lower(${users.email}) = ${lowered}`);
    if (known && known.role !== "customer")
      return refuse(
        "That address belongs to a staff member: agents follow tickets in the desk, not by CC.",
      );
    if (await isBannedEmail(tx, email))
      return refuse("That address is on the ban list.");
    const [already] = await tx
      .select({ email: ticketParticipants.email })
      .from(ticketParticipants)
      .where(
        and(
          eq(ticketParticipants.ticketId, row.ticket.id),
          sql`lower(${ticketParticipants.email}) = ${lowered}`,
        ),
      );
    if (already)
      return refuse("That address is already copied on this ticket.");
    await tx.insert(ticketParticipants).values({
      ticketId: row.ticket.id,
      email,
      userId: known?.id ?? null,
      createdAt: now,
    });
    await recordAudit(tx, {
      actor: { kind: "user", id: agent.id },
      action: "ticket.cc_added",
      entityType: "ticket",
      entityId: row.ticket.id,
      ticketId: row.ticket.id,
      data: { email },
      at: now,
    });
    return ok({ email, name: known?.name ?? null });
  });
}

/** An agent stops copying an address: it gets no more replies, and its mail is no longer taken. */
export async function removeParticipant(
  db: Db,
  agent: Viewer,
  input: { number: string; email: string },
  now = new Date(),
): Promise<Result<{ email: string }>> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.number, input.number));
    if (!ticket) return fail("not_found", "We couldn't find that ticket.");
    const removed = await tx
      .delete(ticketParticipants)
      .where(
        and(
          eq(ticketParticipants.ticketId, ticket.id),
          sql`lower(${ticketParticipants.email}) = ${input.email.trim().toLowerCase()}`,
        ),
      )
      .returning({ email: ticketParticipants.email });
    if (!removed[0])
      return fail("not_found", "That address is not copied on this ticket.");
    await recordAudit(tx, {
      actor: { kind: "user", id: agent.id },
      action: "ticket.cc_removed",
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: { email: removed[0].email },
      at: now,
    });
    return ok({ email: removed[0].email });
  });
}
