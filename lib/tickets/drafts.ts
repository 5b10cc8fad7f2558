import "server-only";
import { and, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { ticketDrafts } from "@/db/schema";
import type { Db } from "@/db/types";
import type { DraftKind } from "@/lib/tickets/schemas";

// What an agent is writing on a ticket, kept on the server so it survives a tab switch, a reload and
// another device. One draft per agent, ticket and box (reply or note); sending discards it.

// "Sam is writing a reply" while his draft changed this recently (autosave runs about every second
// while he types), so a draft left for the night does not look like someone at work.
export const WRITING_WINDOW_MS = 2 * 60_000;

export type Drafts = Partial<Record<DraftKind, string>>;

/** Saves the text of one box; an empty text removes the draft. */
export async function saveDraft(
  db: Db,
  d: { ticketId: string; userId: string; kind: DraftKind; body: string },
  now: Date,
): Promise<"saved" | "removed"> {
  if (!d.body.trim()) {
    await discardDraft(db, d);
    return "removed";
  }
  await db
    .insert(ticketDrafts)
    .values({ ...d, updatedAt: now })
    .onConflictDoUpdate({
      target: [ticketDrafts.ticketId, ticketDrafts.userId, ticketDrafts.kind],
      set: { body: d.body, updatedAt: now },
    });
  return "saved";
}

/** Removes a draft: when its message is sent (inside that transaction) or the agent discards it. */
export async function discardDraft(
  db: Db,
  d: { ticketId: string; userId: string; kind: DraftKind },
): Promise<void> {
  await db
    .delete(ticketDrafts)
    .where(
      and(
        eq(ticketDrafts.ticketId, d.ticketId),
        eq(ticketDrafts.userId, d.userId),
        eq(ticketDrafts.kind, d.kind),
      ),
    );
}

/** This agent's drafts on a ticket, by box. */
export async function draftsFor(
  db: Db,
  ticketId: string,
  userId: string,
): Promise<Drafts> {
  const rows = await db
    .select({ kind: ticketDrafts.kind, body: ticketDrafts.body })
    .from(ticketDrafts)
    .where(
      and(eq(ticketDrafts.ticketId, ticketId), eq(ticketDrafts.userId, userId)),
    );
  const drafts: Drafts = {};
  for (const r of rows)
    if (r.kind === "reply" || r.kind === "note") drafts[r.kind] = r.body;
  return drafts;
}

/** Which of `agentIds` are writing on the ticket now, and in which box (a reply wins over a note). */
export async function writersOn(
  db: Db,
  ticketId: string,
  agentIds: string[],
  excludeUserId: string,
  now: Date,
): Promise<Map<string, DraftKind>> {
  if (agentIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: ticketDrafts.userId, kind: ticketDrafts.kind })
    .from(ticketDrafts)
    .where(
      and(
        eq(ticketDrafts.ticketId, ticketId),
        inArray(ticketDrafts.userId, agentIds),
        ne(ticketDrafts.userId, excludeUserId),
        gt(ticketDrafts.updatedAt, new Date(now.getTime() - WRITING_WINDOW_MS)),
        sql`length(btrim(${ticketDrafts.body})) > 0`,
      ),
    );
  const writers = new Map<string, DraftKind>();
  for (const r of rows) {
    if (r.kind !== "reply" && r.kind !== "note") continue;
    if (r.kind === "reply" || !writers.has(r.userId))
      writers.set(r.userId, r.kind);
  }
  return writers;
}
