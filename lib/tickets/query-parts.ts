import "server-only";
import { and, eq, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { attachments, tickets, users, type Attachment } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { TICKET_NUMBER } from "@/lib/tickets/numbers";

// What the customer, queue and workspace reads share: the page size, the newest-first order, the
// attachment columns a thread lists and the full-text match.

export const PAGE_SIZE = 25;

/**
 * The tickets a customer may read. Anyone can sign up as any address, so until the account proves
 * it reads that address's mail it sees only what it opened itself on the web: tickets that came by
 * mail, the API or an agent for the address wait for verification.
 */
export const seenByCustomer = (
  viewer: Pick<Viewer, "id" | "emailVerified">,
): SQL =>
  viewer.emailVerified
    ? eq(tickets.customerId, viewer.id)
    : and(eq(tickets.customerId, viewer.id), eq(tickets.source, "web"))!;

// The queue's views and the dashboard's cards count with these, so the two always agree.
/** Tickets someone still has to act on. */
export const isActive = inArray(tickets.status, ["open", "pending"]);
/** Past due and owed by the team: a pending ticket waits on the customer, so it is never late. */
export const isOverdue = (now: Date): SQL =>
  and(lt(tickets.dueAt, now), eq(tickets.status, "open"))!;

// drizzle-kit writes `.desc()` indexes as DESC NULLS LAST; a plain `desc` means NULLS FIRST, which
// no index serves (even on a NOT NULL column), and every page would sort all matching rows.
export const newestActivity = sql`${tickets.lastMessageAt} desc nulls last`;

export type AttachmentMeta = Pick<
  Attachment,
  "id" | "messageId" | "filename" | "contentType" | "sizeBytes"
>;
export const attachmentMeta = {
  id: attachments.id,
  messageId: attachments.messageId,
  filename: attachments.filename,
  contentType: attachments.contentType,
  sizeBytes: attachments.sizeBytes,
};

// Full-text search over tickets.search_all / search_public: one vector per ticket with the subject,
// number and messages, kept by database triggers. Customers search search_public, which leaves
// internal notes out, so a note's words never lead them to a ticket. Agents also find the tickets of
// customers whose name or email matched (`customerIds`, from customersMatching, read first: given as
// a list, the planner combines the search index with the customer index; as a subquery it walked
// every ticket for a rare word).
export function matchesText(
  q: string,
  audience: "staff" | "customer",
  customerIds: string[] = [],
): SQL {
  const column =
    audience === "staff" ? tickets.searchAll : tickets.searchPublic;
  const byNumber = TICKET_NUMBER.test(q)
    ? sql` or ${tickets.number} = ${q}`
    : sql``;
  const byCustomer =
    audience === "staff" && customerIds.length
      ? sql` or ${inArray(tickets.customerId, customerIds)}`
      : sql``;
  // The vectors hold no word positions (drizzle/0005_ticket_search_triggers.sql), so a phrase
  // operator could never match: a quoted phrase, "e-mail" or "608e8c9f" (which the parser reads as
  // a number and a word) would find nothing. Phrases become AND: every word must be there. Lexemes
  // never hold "<" (tags are not indexed), so only operators are rewritten.
  return sql`(${column} @@ regexp_replace(websearch_to_tsquery('english', ${q})::text, '<[0-9]*->|<[0-9]+>', '&', 'g')::tsquery${byNumber}${byCustomer})`;
}

// At most this many customers match one search: "gmail" must not turn into a list of everyone.
const CUSTOMER_MATCH_LIMIT = 200;

/** Customers whose name or email contains the search text (any letter case). */
export async function customersMatching(db: Db, q: string): Promise<string[]> {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.role, "customer"),
        or(
          sql`lower(${users.email}) like ${pattern}`,
          sql`lower(${users.name}) like ${pattern}`,
        ),
      ),
    )
    .limit(CUSTOMER_MATCH_LIMIT);
  return rows.map((r) => r.id);
}
