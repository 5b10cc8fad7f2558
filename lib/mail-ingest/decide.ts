import "server-only";
import type { InboundMail, Ticket, User } from "@/db/schema";
import type { MailClass } from "@/lib/mail-ingest/classify";
import { normaliseAddress, type MailAddress } from "@/lib/mail-ingest/parse";
import type { ThreadMatch } from "@/lib/mail-ingest/thread";

// What becomes of one inbound message, worked out from what is already known about it and nothing
// else, so each rule can be tested without a database. lib/mail-ingest/ingest.ts gathers the facts
// and carries the decision out.

/** What the message itself says. */
export type MailFacts = {
  from: MailAddress | null;
  subject: string;
  sizeBytes: number;
  /** classifyMail's verdict: a person's mail, an auto-reply or a bounce. */
  class: MailClass;
};

/** What the database knows about the message and its sender. */
export type Lookups = {
  /** A ticket message already carries this Message-ID: it came in through the other door. */
  storedTicketId: string | null;
  /** The Message-ID is one of Portico's own outgoing mails. */
  ownMail: boolean;
  banned: boolean;
  /** Messages from the sender recorded in the last hour. */
  recentFromSender: number;
  thread: ThreadMatch | null;
  /** The user the From address belongs to. */
  author: User | null;
};

/** The rules a message is judged by: the settings of IngestOptions that decide its fate. */
export type Rules = {
  /** Portico's own addresses: never participants, and mail from them is our own coming back. */
  systemAddresses: string[];
  now: Date;
  /**
   * A mailbox's ledger accounts for every message, refusals included (IMAP). Piped mail answers its
   * caller instead, so a refusal there leaves no row.
   */
  recordRefusals?: boolean;
  /** Whether a first mail from an unknown sender opens a ticket or waits for an agent. */
  unknownSenders?: "create" | "hold";
  /** Larger messages are held and the sender told. */
  maxBytes?: number;
  /** More mails than this from one sender in an hour are held (0 or absent: no limit). */
  senderLimitPerHour?: number;
  /** A reply to a ticket closed longer ago than this opens a new, linked ticket. */
  reopenWindowDays?: number;
  /** An agent released a held message: the hold rules no longer apply to it. */
  released?: boolean;
};

export type HoldReason = "unknown_sender" | "too_large" | "rate_limited";

/** The message's ledger row, as far as the decision alone can fill it in. */
export type LedgerEntry = Pick<InboundMail, "outcome"> &
  Partial<Pick<InboundMail, "reason" | "ticketId">>;

export type Decision =
  /** Already on a ticket through the other door: nothing new is written. */
  | { kind: "duplicate"; ticketId: string; ledger: LedgerEntry | null }
  /** A delivery failure: the mail it answers failed, its recipients are undeliverable. */
  | {
      kind: "bounce";
      failedRecipients: string[];
      originalMessageId: string | null;
      ledger: LedgerEntry;
    }
  | { kind: "no-sender"; ledger: LedgerEntry | null }
  /** Our own notification coming back (a loop through a forwarder, or sent to ourselves). */
  | { kind: "own-mail"; ledger: LedgerEntry }
  | { kind: "banned"; email: string; ledger: LedgerEntry | null }
  /** Noted on its ticket for the agents (when it has one), without reopening or answering it. */
  | {
      kind: "auto-reply";
      ticket: Ticket | null;
      note: string;
      ledger: LedgerEntry;
    }
  | { kind: "hold"; reason: HoldReason; ledger: LedgerEntry }
  /** A message on an open ticket, or one closed recently enough to reopen. */
  | { kind: "reply"; ticket: Ticket; from: MailAddress; author: User | null }
  /**
   * A new ticket: the sender's own (`customer` null: a contact is made for them), or, for a late
   * reply to a long-closed ticket, one that continues `previous`.
   */
  | {
      kind: "new-ticket";
      from: MailAddress;
      customer: User | null;
      previous: Ticket | null;
      ledgerReason: string | null;
    };

export function decide(
  mail: MailFacts,
  found: Lookups,
  rules: Rules,
): Decision {
  const refusal = (entry: LedgerEntry) => (rules.recordRefusals ? entry : null);
  if (found.storedTicketId)
    return {
      kind: "duplicate",
      ticketId: found.storedTicketId,
      ledger: refusal({
        outcome: "ignored",
        reason: "duplicate",
        ticketId: found.storedTicketId,
      }),
    };
  if (mail.class.kind === "bounce")
    return {
      kind: "bounce",
      failedRecipients: mail.class.failedRecipients,
      originalMessageId: mail.class.originalMessageId,
      ledger: { outcome: "bounce", reason: mail.class.reason },
    };
  const { from } = mail;
  if (!from)
    return {
      kind: "no-sender",
      ledger: refusal({ outcome: "failed", reason: "no usable From address" }),
    };
  const system = new Set(rules.systemAddresses.map(normaliseAddress));
  if (system.has(normaliseAddress(from.address)) || found.ownMail)
    return {
      kind: "own-mail",
      ledger: { outcome: "ignored", reason: "own_mail" },
    };
  if (found.banned)
    return {
      kind: "banned",
      email: from.address,
      ledger: refusal({ outcome: "ignored", reason: "banned sender" }),
    };

  const { thread, author } = found;
  if (mail.class.kind === "auto_reply")
    return {
      kind: "auto-reply",
      ticket: thread?.ticket ?? null,
      note: `Automatic reply from ${from.address}: ${mail.subject}`,
      ledger: {
        outcome: "ignored",
        reason: `auto_reply: ${mail.class.reason}`,
        ticketId: thread?.ticket.id ?? null,
      },
    };

  const hold = rules.released
    ? null
    : holdReason(mail, found.recentFromSender, !author && !thread, rules);
  if (hold)
    return {
      kind: "hold",
      reason: hold,
      ledger: { outcome: "held", reason: hold },
    };

  if (
    thread &&
    !closedTooLongAgo(thread.ticket, rules.now, rules.reopenWindowDays)
  )
    return { kind: "reply", ticket: thread.ticket, from, author };
  return {
    kind: "new-ticket",
    from,
    customer: author,
    previous: thread?.ticket ?? null,
    ledgerReason: thread ? `continues #${thread.ticket.number}` : null,
  };
}

function holdReason(
  mail: MailFacts,
  recentFromSender: number,
  unknownSender: boolean,
  rules: Rules,
): HoldReason | null {
  if (rules.maxBytes && mail.sizeBytes > rules.maxBytes) return "too_large";
  if (rules.senderLimitPerHour && recentFromSender >= rules.senderLimitPerHour)
    return "rate_limited";
  if (unknownSender && rules.unknownSenders === "hold") return "unknown_sender";
  return null;
}

function closedTooLongAgo(
  ticket: Ticket,
  now: Date,
  windowDays: number | undefined,
): boolean {
  if (windowDays === undefined || !ticket.closedAt) return false;
  if (ticket.status !== "closed" && ticket.status !== "resolved") return false;
  return now.getTime() - ticket.closedAt.getTime() > windowDays * 86_400_000;
}
