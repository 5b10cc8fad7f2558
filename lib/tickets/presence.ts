import "server-only";
import { and, eq, gt, ne } from "drizzle-orm";
import { ticketViewers, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { writersOn } from "@/lib/tickets/drafts";
import type { DraftKind } from "@/lib/tickets/schemas";

// The workspace polls every few seconds; an agent counts as viewing for twice that long.
export const VIEWING_WINDOW_MS = 30_000;

export type TicketViewer = {
  id: string;
  name: string;
  /** The box this colleague has a fresh draft in, if any. */
  writing: DraftKind | null;
};

/**
 * Records that `agentId` has the ticket open and returns the other agents who do too, with what
 * each is writing.
 */
export async function touchTicketViewer(
  db: Db,
  ticketId: string,
  agentId: string,
  now: Date,
): Promise<TicketViewer[]> {
  const viewers = await otherViewers(db, ticketId, agentId, now);
  const writers = await writersOn(
    db,
    ticketId,
    viewers.map((v) => v.id),
    agentId,
    now,
  );
  return viewers.map((v) => ({ ...v, writing: writers.get(v.id) ?? null }));
}

async function otherViewers(
  db: Db,
  ticketId: string,
  agentId: string,
  now: Date,
): Promise<Array<{ id: string; name: string }>> {
  await db
    .insert(ticketViewers)
    .values({ ticketId, userId: agentId, seenAt: now })
    .onConflictDoUpdate({
      target: [ticketViewers.ticketId, ticketViewers.userId],
      set: { seenAt: now },
    });
  return db
    .select({ id: users.id, name: users.name })
    .from(ticketViewers)
    .innerJoin(users, eq(users.id, ticketViewers.userId))
    .where(
      and(
        eq(ticketViewers.ticketId, ticketId),
        ne(ticketViewers.userId, agentId),
        gt(ticketViewers.seenAt, new Date(now.getTime() - VIEWING_WINDOW_MS)),
      ),
    );
}
