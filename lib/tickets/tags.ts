import "server-only";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { ticketTags, tickets } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { lockTicketByNumber } from "@/lib/tickets/lock";
import type { TicketTagInput } from "@/lib/tickets/schemas";

// Agents' own labels on tickets ("refund", "vip", "outage-2026-12"): added and removed in the
// workspace, shown in the queue and filtered on. Input arrives normalised by `tagName`.

export const TAGS_PER_TICKET = 20;

const refuse = (message: string) =>
  fail("invalid_input", message, { fields: { tag: [message] } });

export async function tagsOf(db: Db, ticketId: string): Promise<string[]> {
  const rows = await db
    .select({ tag: ticketTags.tag })
    .from(ticketTags)
    .where(eq(ticketTags.ticketId, ticketId))
    .orderBy(asc(ticketTags.tag));
  return rows.map((r) => r.tag);
}

/** The tags in use, most used first: the queue's filter and the workspace's suggestions. */
export async function tagsInUse(db: Db, limit = 200): Promise<string[]> {
  const rows = await db
    .select({ tag: ticketTags.tag, n: count() })
    .from(ticketTags)
    .groupBy(ticketTags.tag)
    .orderBy(desc(count()), asc(ticketTags.tag))
    .limit(limit);
  return rows.map((r) => r.tag);
}

/** Tags a ticket; a tag it already has is no change and no error. */
export async function addTag(
  db: Db,
  agent: Viewer,
  input: TicketTagInput,
  now = new Date(),
): Promise<Result<{ tag: string; added: boolean }>> {
  if (!isStaff(agent)) return fail("forbidden", "Only agents tag tickets.");
  return db.transaction(async (tx) => {
    // The ticket's row lock makes the count and the insert one step for concurrent taggers.
    const ticket = await lockTicketByNumber(tx, input.number);
    if (!ticket) return fail("not_found", "We couldn't find that ticket.");
    const held = await tagsOf(tx, ticket.id);
    if (held.includes(input.tag)) return ok({ tag: input.tag, added: false });
    if (held.length >= TAGS_PER_TICKET)
      return refuse(
        `A ticket holds at most ${TAGS_PER_TICKET} tags: remove one first.`,
      );
    await tx
      .insert(ticketTags)
      .values({ ticketId: ticket.id, tag: input.tag, createdAt: now });
    await recordAudit(tx, {
      actor: { kind: "user", id: agent.id },
      action: "ticket.tag_added",
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: { tag: input.tag },
      at: now,
    });
    return ok({ tag: input.tag, added: true });
  });
}

/** Takes a tag off a ticket; one already gone counts as removed. */
export async function removeTag(
  db: Db,
  agent: Viewer,
  input: TicketTagInput,
  now = new Date(),
): Promise<Result<{ tag: string }>> {
  if (!isStaff(agent)) return fail("forbidden", "Only agents tag tickets.");
  return db.transaction(async (tx) => {
    const ticket = await lockTicketByNumber(tx, input.number);
    if (!ticket) return fail("not_found", "We couldn't find that ticket.");
    const [gone] = await tx
      .delete(ticketTags)
      .where(
        and(eq(ticketTags.ticketId, ticket.id), eq(ticketTags.tag, input.tag)),
      )
      .returning({ tag: ticketTags.tag });
    if (gone)
      await recordAudit(tx, {
        actor: { kind: "user", id: agent.id },
        action: "ticket.tag_removed",
        entityType: "ticket",
        entityId: ticket.id,
        ticketId: ticket.id,
        data: { tag: input.tag },
        at: now,
      });
    return ok({ tag: input.tag });
  });
}

/** The queue's condition for tickets carrying `tag`. */
export const taggedWith = (tag: string) =>
  sql`exists (select 1 from ${ticketTags} where ${ticketTags.ticketId} = ${tickets.id} and ${ticketTags.tag} = ${tag})`;

/** A queue row's tags, as one JSON array read with the row. */
export const tagsColumn = sql<
  string[]
>`coalesce((select json_agg(${ticketTags.tag} order by ${ticketTags.tag}) from ${ticketTags} where ${ticketTags.ticketId} = ${tickets.id}), '[]'::json)`;
