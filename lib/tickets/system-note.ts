import "server-only";
import { ticketMessages, type TicketSource } from "@/db/schema";
import type { Db } from "@/db/types";

/**
 * A note Portico itself leaves on a ticket for the agents (an auto-reply that came in, say); call
 * inside the caller's transaction. It is no one's message, so the ticket's status and times stay.
 */
export async function addSystemNote(
  tx: Db,
  ticketId: string,
  note: { text: string; source: TicketSource; emailMessageId: string | null },
  now: Date,
): Promise<void> {
  await tx.insert(ticketMessages).values({
    ticketId,
    kind: "note",
    authorName: "System",
    source: note.source,
    bodyText: note.text,
    emailMessageId: note.emailMessageId,
    createdAt: now,
  });
}
