import "server-only";
import { and, eq, gt, ne } from "drizzle-orm";
import { ticketViewers, users } from "@/db/schema";
import type { Db } from "@/db/types";

// The workspace polls every few seconds; an agent counts as viewing for twice that long.
export const VIEWING_WINDOW_MS = 30_000;

/** Records that `agentId` has the ticket open and returns the other agents who do too. */
export async function touchTicketViewer(
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
