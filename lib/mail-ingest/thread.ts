import "server-only";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import {
  outboundMail,
  ticketMessages,
  ticketParticipants,
  tickets,
  type Ticket,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { isUuid } from "@/lib/ids";
import { ticketReferenceInSubject } from "@/lib/mail-ingest/subject-reference";
import { followMerges } from "@/lib/tickets/merge";

// Which ticket an inbound mail belongs to, in the order docs/api.md §10 and issue 5 give: a Message-ID
// Portico sent or stored named in In-Reply-To/References; then a ticket number in the subject, only
// when the sender is that ticket's customer or a participant; otherwise none (a new ticket). A
// ticket merged into another hands its mail on to the target.

// Message-IDs Portico mints for a ticket's thread root: <ticket-<uuid>@domain> (lib/tickets/notify.ts).
const ROOT_ID = /^<ticket-([0-9a-f-]{36})@/i;

export type ThreadMatch = { ticket: Ticket; by: "header" | "subject" };

export async function findThread(
  db: Db,
  mail: {
    inReplyTo: string[];
    references: string[];
    subject: string;
    fromAddress: string;
  },
): Promise<ThreadMatch | null> {
  const ids = [...new Set([...mail.inReplyTo, ...mail.references])].slice(-50);
  if (ids.length > 0) {
    const byHeader = await ticketByMessageIds(db, ids);
    if (byHeader)
      return { ticket: await followMerges(db, byHeader), by: "header" };
  }
  const number = ticketReferenceInSubject(mail.subject);
  if (number) {
    const bySubject = await ticketForSender(db, number, mail.fromAddress);
    if (bySubject)
      return { ticket: await followMerges(db, bySubject), by: "subject" };
  }
  return null;
}

/** The ticket holding a message (in or out) with one of these Message-IDs, newest reference first. */
export async function ticketByMessageIds(
  db: Db,
  ids: string[],
): Promise<Ticket | null> {
  const rootIds = ids
    .flatMap((id) => ROOT_ID.exec(id)?.[1] ?? [])
    .filter(isUuid);
  const found = await db
    .select({ ticketId: ticketMessages.ticketId })
    .from(ticketMessages)
    .where(inArray(ticketMessages.emailMessageId, ids))
    .union(
      db
        .select({ ticketId: sql<string>`${outboundMail.ticketId}` })
        .from(outboundMail)
        .where(
          and(
            inArray(outboundMail.messageId, ids),
            isNotNull(outboundMail.ticketId),
          ),
        ),
    );
  const candidates = [...found.map((f) => f.ticketId), ...rootIds];
  if (candidates.length === 0) return null;
  const [ticket] = await db
    .select()
    .from(tickets)
    .where(inArray(tickets.id, candidates))
    .limit(1);
  return ticket ?? null;
}

async function ticketForSender(
  db: Db,
  number: string,
  fromAddress: string,
): Promise<Ticket | null> {
  const email = fromAddress.trim().toLowerCase();
  const [row] = await db
    .select({ ticket: tickets })
    .from(tickets)
    .where(
      and(
        eq(tickets.number, number),
        sql`(
          exists (select 1 from users u where u.id = ${tickets.customerId} and lower(u.email) = ${email})
          or exists (select 1 from ${ticketParticipants} p
                     where p.ticket_id = ${tickets.id} and lower(p.email) = ${email})
        )`,
      ),
    );
  return row?.ticket ?? null;
}
