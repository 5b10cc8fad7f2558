import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import {
  attachments,
  outboundMail,
  ticketDrafts,
  ticketMessages,
  ticketParticipants,
  tickets,
  type Ticket,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";

const refuse = (message: string) =>
  fail("invalid_input", message, { fields: { target: [message] } });

/**
 * Merges one ticket into another of the same customer, as osTicket and Zammad do: the messages,
 * attachments, participants and sent mail move to the target (so a mail reply to any of them lands
 * there), the target becomes findable by the merged ticket's words, and the merged ticket is closed
 * with a link to the target. The thread events stay where they happened.
 */
export async function mergeTickets(
  db: Db,
  agent: Viewer,
  input: { source: string; target: string },
  now = new Date(),
): Promise<Result<{ target: Ticket; moved: number }>> {
  if (input.source === input.target)
    return refuse(
      "Choose another ticket: a ticket cannot be merged into itself.",
    );
  return db.transaction(async (tx) => {
    // Both rows locked in one statement, in a stable order, so two crossing merges cannot deadlock.
    const rows = await tx
      .select()
      .from(tickets)
      .where(inArray(tickets.number, [input.source, input.target]))
      .orderBy(tickets.id)
      .for("update");
    const source = rows.find((r) => r.number === input.source);
    const target = rows.find((r) => r.number === input.target);
    if (!source) return fail("not_found", "We couldn't find that ticket.");
    if (!target) return refuse(`There is no ticket #${input.target}.`);
    if (source.customerId !== target.customerId)
      return refuse("Only tickets of the same customer can be merged.");
    if (source.mergedIntoId)
      return refuse("This ticket was already merged into another one.");
    if (target.mergedIntoId)
      return refuse(
        `#${target.number} was itself merged into another ticket: merge into that one.`,
      );

    const moved = await tx
      .update(ticketMessages)
      .set({ ticketId: target.id })
      .where(eq(ticketMessages.ticketId, source.id))
      .returning({ id: ticketMessages.id });
    await tx
      .update(attachments)
      .set({ ticketId: target.id })
      .where(eq(attachments.ticketId, source.id));
    await tx
      .update(outboundMail)
      .set({ ticketId: target.id })
      .where(eq(outboundMail.ticketId, source.id));
    await tx.execute(sql`
      insert into ${ticketParticipants} (ticket_id, email, user_id, created_at)
      select ${target.id}, email, user_id, created_at from ${ticketParticipants}
      where ticket_id = ${source.id}
      on conflict do nothing`);
    await tx
      .delete(ticketParticipants)
      .where(eq(ticketParticipants.ticketId, source.id));
    // A draft answers the merged ticket's question in its context; it does not survive the move.
    await tx.delete(ticketDrafts).where(eq(ticketDrafts.ticketId, source.id));

    const [merged] = await tx
      .update(tickets)
      .set({
        // The search vectors are kept by triggers on new messages; moved ones bring their words.
        searchAll: sql`${tickets.searchAll} || ${source.searchAll}::tsvector`,
        searchPublic: sql`${tickets.searchPublic} || ${source.searchPublic}::tsvector`,
        lastMessageAt:
          source.lastMessageAt > target.lastMessageAt
            ? source.lastMessageAt
            : target.lastMessageAt,
        updatedAt: now,
      })
      .where(eq(tickets.id, target.id))
      .returning();
    await tx
      .update(tickets)
      .set({
        status: "closed",
        closedAt: source.closedAt ?? now,
        dueAt: null,
        slaPausedAt: null,
        mergedIntoId: target.id,
        updatedAt: now,
      })
      .where(eq(tickets.id, source.id));

    const actor = { kind: "user" as const, id: agent.id };
    await recordAudit(tx, {
      actor,
      action: "ticket.merged_into",
      entityType: "ticket",
      entityId: source.id,
      ticketId: source.id,
      data: { number: target.number },
      at: now,
    });
    await recordAudit(tx, {
      actor,
      action: "ticket.merged_from",
      entityType: "ticket",
      entityId: target.id,
      ticketId: target.id,
      data: { number: source.number, messages: moved.length },
      at: now,
    });
    return ok({ target: merged!, moved: moved.length });
  });
}

/** The ticket mail about `ticket` belongs to now: the end of its merge chain. */
export async function followMerges(db: Db, ticket: Ticket): Promise<Ticket> {
  let current = ticket;
  // A chain longer than a few links means a merge cycle from hand-edited data: stop, don't spin.
  for (let hop = 0; hop < 10 && current.mergedIntoId; hop++) {
    const [next] = await db
      .select()
      .from(tickets)
      .where(eq(tickets.id, current.mergedIntoId));
    if (!next) break;
    current = next;
  }
  return current;
}

/** The number of the ticket a merged one joined, or null for a ticket that was not merged. */
export async function mergedIntoNumber(
  db: Db,
  ticket: Pick<Ticket, "mergedIntoId">,
): Promise<string | null> {
  if (!ticket.mergedIntoId) return null;
  const [row] = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(eq(tickets.id, ticket.mergedIntoId));
  return row?.number ?? null;
}
