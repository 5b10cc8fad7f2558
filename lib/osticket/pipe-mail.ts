import "server-only";
import type { Db } from "@/db/types";
import {
  NoDepartmentError,
  type IngestOutcome,
} from "@/lib/mail-ingest/ingest";
import { ingestPipedMail } from "@/lib/mail-ingest/pipe";
import {
  NO_DEPARTMENT,
  osTicketFailure,
  USER_INCOMPLETE,
  type OsTicketResult,
} from "@/lib/osticket/errors";

export type PipeAnswer =
  | { kind: "ticket"; id: string; number: string }
  /** Recorded, but no ticket to name (an auto-reply or a bounce): Portico answers 202 with why. */
  | { kind: "accepted"; note: string };

/**
 * POST /api/tickets.email (docs/api.md §10): the mail pipeline decides, this answers the caller. A
 * new ticket, a reply and a repeat of an earlier message all answer with the ticket's number, as
 * upstream does.
 */
export async function pipeMail(
  db: Db,
  raw: Uint8Array,
  options: { now: Date },
): Promise<OsTicketResult<PipeAnswer>> {
  try {
    return pipeAnswer(await ingestPipedMail(db, raw, options));
  } catch (error) {
    // Not set up yet: osTicket's "no department" answer, with what to do, instead of "unknown error".
    if (error instanceof NoDepartmentError)
      return osTicketFailure({ kind: "validation", errors: [NO_DEPARTMENT] });
    throw error;
  }
}

/** What the API's caller hears for each outcome of the mail pipeline. */
export function pipeAnswer(outcome: IngestOutcome): OsTicketResult<PipeAnswer> {
  switch (outcome.kind) {
    case "created":
    case "replied":
      return ticketAnswer(outcome.ticket);
    case "duplicate":
    case "ignored":
      return outcome.ticket
        ? ticketAnswer(outcome.ticket)
        : accepted(
            outcome.kind === "duplicate"
              ? "Message already received"
              : `Message recorded without a ticket: ${outcome.reason === "own_mail" ? "sent by this help desk" : "automatic reply"}`,
          );
    case "bounce":
      return accepted("Message recorded as a delivery failure report");
    case "held":
      return accepted("Message held for review");
    case "refused":
      return outcome.reason === "banned"
        ? osTicketFailure({ kind: "ticket_denied", email: outcome.email })
        : osTicketFailure({ kind: "validation", errors: [USER_INCOMPLETE] });
  }
}

const ticketAnswer = (t: { id: string; number: string }) =>
  ({
    ok: true,
    value: { kind: "ticket", id: t.id, number: t.number },
  }) as const;
const accepted = (note: string) =>
  ({ ok: true, value: { kind: "accepted", note } }) as const;
