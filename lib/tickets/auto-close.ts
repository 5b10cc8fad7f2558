import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { ticketMessages, tickets } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { addSystemNote } from "@/lib/tickets/system-note";

// Resolved tickets the customer let rest are closed after AUTO_CLOSE_DAYS, as the resolution mail
// and the canned replies promise. Closing is quiet: a system note and an audit entry, no mail, so a
// backlog of old resolutions closes without a mail storm.

/** At most this many tickets per run; the next run takes the rest. */
export const AUTO_CLOSE_BATCH = 200;

const DAY_MS = 86_400_000;

/** Customer messages after the resolution keep a ticket from closing (they reopen it anyway). */
const noCustomerWordSince = sql`not exists (
  select 1 from ${ticketMessages}
  where ${ticketMessages.ticketId} = ${tickets.id}
    and ${ticketMessages.kind} = 'customer'
    and ${ticketMessages.createdAt} > ${tickets.closedAt})`;

export async function closeRestingResolvedTickets(
  db: Db,
  opts: { days: number; now: Date; limit?: number },
): Promise<{ closed: number }> {
  if (opts.days <= 0) return { closed: 0 };
  const cutoff = new Date(opts.now.getTime() - opts.days * DAY_MS);
  const stale = and(
    eq(tickets.status, "resolved"),
    lte(tickets.closedAt, cutoff),
    noCustomerWordSince,
  );
  const due = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(stale)
    .orderBy(asc(tickets.closedAt))
    .limit(opts.limit ?? AUTO_CLOSE_BATCH);
  let closed = 0;
  for (const { id } of due) {
    // One transaction per ticket; the re-check under the lock loses to a reply that came first.
    const done = await db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ id: tickets.id, status: tickets.status })
        .from(tickets)
        .where(and(eq(tickets.id, id), stale))
        .for("update");
      if (!locked) return false;
      await tx
        .update(tickets)
        .set({
          status: "closed",
          dueAt: null,
          slaPausedAt: null,
          updatedAt: opts.now,
        })
        .where(eq(tickets.id, id));
      await addSystemNote(
        tx,
        id,
        {
          text: `Closed automatically: resolved ${opts.days} day${opts.days === 1 ? "" : "s"} ago without a reply from the customer. A reply from the customer reopens it.`,
          source: "other",
          emailMessageId: null,
        },
        opts.now,
      );
      await recordAudit(tx, {
        actor: { kind: "system" },
        action: "ticket.closed",
        entityType: "ticket",
        entityId: id,
        ticketId: id,
        data: { by: "auto_close", from: "resolved", days: opts.days },
        at: opts.now,
      });
      return true;
    });
    if (done) closed++;
  }
  return { closed };
}
