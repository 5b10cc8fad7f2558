import "server-only";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";
import { systemAddresses } from "@/lib/mail-ingest/addresses";
import { ingestMail, type IngestOutcome } from "@/lib/mail-ingest/ingest";

/**
 * A message posted to POST /api/tickets.email (docs/api.md §10): the mail pipeline's second door.
 * This decides what becomes of the mail; lib/osticket/pipe-mail.ts answers the API's caller.
 * Throws NoDepartmentError while nothing can take a ticket.
 */
export async function ingestPipedMail(
  db: Db,
  raw: Uint8Array,
  options: { now: Date },
): Promise<IngestOutcome> {
  return ingestMail(
    db,
    raw,
    { receivingAddress: "pipe" },
    {
      systemAddresses: await systemAddresses(db),
      now: options.now,
      // A reply to a long-closed ticket opens a new one here too; the hold rules are the
      // mailbox's (a caller of the API expects a ticket, as osTicket gives it).
      reopenWindowDays: env().mailIngest.reopenWindowDays,
    },
  );
}
