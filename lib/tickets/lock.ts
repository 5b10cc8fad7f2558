import "server-only";
import { eq } from "drizzle-orm";
import { tickets, type Ticket } from "@/db/schema";
import type { Db } from "@/db/types";

/**
 * The ticket with this number, its row locked for the rest of the transaction: every change an
 * agent makes to one ticket starts here, so two of them happen one after the other.
 */
export async function lockTicketByNumber(
  db: Db,
  number: string,
): Promise<Ticket | null> {
  const [row] = await db
    .select()
    .from(tickets)
    .where(eq(tickets.number, number))
    .for("update");
  return row ?? null;
}
