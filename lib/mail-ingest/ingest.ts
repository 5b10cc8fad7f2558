import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  inboundMail,
  outboundMail,
  ticketMessages,
  ticketParticipants,
  tickets,
  users,
  type InboundMail,
  type Ticket,
  type User,
} from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { bannedAddress } from "@/lib/helpdesk/ban-list";
import { classifyMail } from "@/lib/mail-ingest/classify";
import {
  displayNameFor,
  parseMail,
  type ParsedMail,
} from "@/lib/mail-ingest/parse";
import { visibleReply } from "@/lib/mail-ingest/reply-text";
import { isForwardSubject } from "@/lib/mail-ingest/subject-reference";
import { findThread } from "@/lib/mail-ingest/thread";
import { log } from "@/lib/log";
import { enqueueMail } from "@/lib/mail/outbox";
import { messageTooLargeMail } from "@/lib/mail/templates/inbound";
import { describeRefusedFile, screenFiles } from "@/lib/tickets/attachments";
import { NO_DEPARTMENT, openTicket } from "@/lib/tickets/open-ticket";
import { appendCustomerMessage } from "@/lib/tickets/reply";
import { getUserByEmail } from "@/lib/users/queries";

// The one mail pipeline behind both doors (IMAP ingestion and POST /api/tickets.email): parse,
// recognise repeats, refuse or set aside what must not become a ticket, thread, then create the
// ticket or the reply and the ledger row in one transaction, so a message is accounted for exactly
// once even when two runs race.

export type IngestSource = {
  /** The watched address (IMAP), or "pipe" for mail posted to the API. */
  receivingAddress: string;
  folder?: string;
  uidValidity?: number;
  uid?: number;
};

export type IngestOptions = {
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
  /** Attachment types kept (default ATTACHMENT_TYPES); others are set aside with a note. */
  allowedTypes?: string[];
};

export type HoldReason = "unknown_sender" | "too_large" | "rate_limited";

export type IngestOutcome =
  | { kind: "created"; ticket: Ticket; previous?: Ticket }
  | { kind: "replied"; ticket: Ticket }
  /** Seen before (same Message-ID, or the same bytes): nothing new was written. */
  | { kind: "duplicate"; ticket: Ticket | null }
  | {
      kind: "ignored";
      reason: "auto_reply" | "own_mail";
      ticket: Ticket | null;
    }
  | { kind: "bounce"; failedRecipients: string[] }
  | { kind: "held"; reason: HoldReason }
  | { kind: "refused"; reason: "no_sender" }
  | { kind: "refused"; reason: "banned"; email: string };

/** Nothing can take the ticket yet (Portico is not set up): the whole message is rolled back. */
export class NoDepartmentError extends Error {
  constructor() {
    super(NO_DEPARTMENT);
    this.name = "NoDepartmentError";
  }
}

/** The ledger's key for a message: its Message-ID, or a hash of its bytes when it has none. */
const ledgerKeyOf = (mail: ParsedMail) =>
  mail.messageId ?? `sha256:${mail.contentHash}`;

export async function ingestMail(
  db: Db,
  raw: Uint8Array,
  source: IngestSource,
  options: IngestOptions,
  parsed?: ParsedMail,
): Promise<IngestOutcome> {
  const mail = parsed ?? (await parseMail(raw));
  const ledgerKey = ledgerKeyOf(mail);
  for (let attempt = 0; ; attempt++) {
    const seen = await alreadySeen(db, source.receivingAddress, ledgerKey);
    if (seen) return seen;
    try {
      return await db.transaction((tx) =>
        ingestOnce(tx, raw, mail, ledgerKey, source, options),
      );
    } catch (error) {
      // Another run recorded the same message first: answer as it did.
      if (attempt < 2 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

/**
 * Runs a held or failed message through the pipeline again, for an agent. Its ledger row is
 * replaced in the same transaction, so the message still has exactly one outcome.
 */
export async function reprocessLedgerEntry(
  db: Db,
  id: string,
  options: IngestOptions,
): Promise<IngestOutcome | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(inboundMail)
      .where(
        and(
          eq(inboundMail.id, id),
          inArray(inboundMail.outcome, ["held", "failed"]),
        ),
      )
      .for("update");
    if (!row?.raw) return null;
    await tx.delete(inboundMail).where(eq(inboundMail.id, id));
    const raw = new Uint8Array(row.raw);
    return ingestOnce(
      tx,
      raw,
      await parseMail(raw),
      row.messageId,
      {
        receivingAddress: row.receivingAddress,
        folder: row.folder ?? undefined,
        uidValidity: row.uidValidity ?? undefined,
        uid: row.uid ?? undefined,
      },
      { ...options, recordRefusals: true, released: true },
    );
  });
}

class Rollback extends Error {
  constructor(readonly outcome: IngestOutcome) {
    super("dry run");
  }
}

/** What ingestion would do with a message, worked out in a transaction that is then rolled back. */
export async function previewMail(
  db: Db,
  raw: Uint8Array,
  source: IngestSource,
  options: IngestOptions,
  parsed?: ParsedMail,
): Promise<IngestOutcome> {
  const mail = parsed ?? (await parseMail(raw));
  const ledgerKey = ledgerKeyOf(mail);
  const seen = await alreadySeen(db, source.receivingAddress, ledgerKey);
  if (seen) return seen;
  try {
    await db.transaction(async (tx) => {
      throw new Rollback(
        await ingestOnce(tx, raw, mail, ledgerKey, source, options),
      );
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
  throw new Error("unreachable: the preview transaction always rolls back");
}

/**
 * A message over the size limit, known only by its envelope: recorded as held (without its source,
 * which stays on the server) and its sender told, without ever downloading it.
 */
export async function holdOversized(
  db: Db,
  meta: {
    size?: number;
    envelope?: {
      messageId?: string;
      subject?: string;
      date?: Date | string;
      from?: Array<{ name?: string; address?: string }>;
    };
  },
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestOutcome> {
  const envelope = meta.envelope ?? {};
  const fromAddress = envelope.from?.[0]?.address ?? null;
  const subject = envelope.subject ?? "";
  const messageId =
    envelope.messageId ??
    `size:${source.uidValidity ?? 0}:${source.uid ?? 0}:${meta.size ?? 0}`;
  const [row] = await db
    .insert(inboundMail)
    .values({
      receivingAddress: source.receivingAddress,
      messageId,
      folder: source.folder ?? null,
      uidValidity: source.uidValidity ?? null,
      uid: source.uid ?? null,
      fromAddress,
      subject,
      sizeBytes: meta.size ?? 0,
      raw: null,
      receivedAt: validDate(envelope.date),
      processedAt: options.now,
      outcome: "held",
      reason: "too_large",
    })
    .onConflictDoNothing()
    .returning({ id: inboundMail.id });
  if (!row) return { kind: "duplicate", ticket: null };
  if (fromAddress)
    await tellSenderTooLarge(
      db,
      {
        from: { address: fromAddress, name: "" },
        subject,
        messageId: envelope.messageId ?? null,
        sizeBytes: meta.size ?? 0,
      },
      options,
    );
  return { kind: "held", reason: "too_large" };
}

function validDate(value: Date | string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The pipeline's rules as configured (MAIL_*, REOPEN_WINDOW_DAYS). */
export function ingestRulesFromEnv(): Pick<
  IngestOptions,
  "unknownSenders" | "maxBytes" | "senderLimitPerHour" | "reopenWindowDays"
> {
  const rules = env().mailIngest;
  return {
    unknownSenders: rules.unknownSenders,
    maxBytes: rules.maxBytes,
    senderLimitPerHour: rules.senderLimitPerHour,
    reopenWindowDays: rules.reopenWindowDays,
  };
}

/** A message the pipeline could not handle: recorded as failed with the error, for a replay. */
export async function recordIngestFailure(
  db: Db,
  raw: Uint8Array,
  source: IngestSource,
  error: unknown,
  now: Date,
): Promise<void> {
  const mail = await parseMail(raw);
  await db
    .insert(inboundMail)
    .values({
      ...ledgerFields(raw, mail, source, now),
      messageId: ledgerKeyOf(mail),
      outcome: "failed",
      reason: failureReason(error).slice(0, 500),
    })
    .onConflictDoNothing();
}

/** Drizzle wraps a database error in one whose message is the whole SQL statement; agents want the cause. */
export function failureReason(error: unknown): string {
  let e = error;
  for (let depth = 0; e instanceof Error && e.cause && depth < 4; depth++)
    e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

function ledgerFields(
  raw: Uint8Array,
  mail: ParsedMail,
  source: IngestSource,
  now: Date,
) {
  return {
    receivingAddress: source.receivingAddress,
    folder: source.folder ?? null,
    uidValidity: source.uidValidity ?? null,
    uid: source.uid ?? null,
    fromAddress: mail.from?.address ?? null,
    subject: mail.subject,
    sizeBytes: mail.sizeBytes,
    raw,
    receivedAt: mail.date,
    processedAt: now,
  };
}

async function alreadySeen(
  db: Db,
  receivingAddress: string,
  ledgerKey: string,
): Promise<IngestOutcome | null> {
  const [row] = await db
    .select({ ledger: inboundMail, ticket: tickets })
    .from(inboundMail)
    .leftJoin(tickets, eq(tickets.id, inboundMail.ticketId))
    .where(
      and(
        eq(inboundMail.receivingAddress, receivingAddress),
        eq(inboundMail.messageId, ledgerKey),
      ),
    );
  return row ? { kind: "duplicate", ticket: row.ticket } : null;
}

async function ingestOnce(
  tx: Db,
  raw: Uint8Array,
  mail: ParsedMail,
  ledgerKey: string,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestOutcome> {
  const { now } = options;
  const ledger = (
    row: Pick<InboundMail, "outcome"> &
      Partial<Pick<InboundMail, "reason" | "ticketId" | "ticketMessageId">>,
  ) =>
    tx.insert(inboundMail).values({
      ...ledgerFields(raw, mail, source, now),
      messageId: ledgerKey,
      ...row,
    });

  const facts = await senderFacts(tx, mail, options.now);
  // The same message reached Portico through the other door (or before the ledger existed).
  if (facts.storedTicketId) {
    const [stored] = await tx
      .select()
      .from(tickets)
      .where(eq(tickets.id, facts.storedTicketId));
    if (options.recordRefusals)
      await ledger({
        outcome: "ignored",
        reason: "duplicate",
        ticketId: facts.storedTicketId,
      });
    return { kind: "duplicate", ticket: stored ?? null };
  }

  const system = new Set(options.systemAddresses.map(lower));
  const from = mail.from;
  const classified = classifyMail(mail);
  if (classified.kind === "bounce") {
    await recordBounce(tx, classified, now);
    await ledger({ outcome: "bounce", reason: classified.reason });
    return { kind: "bounce", failedRecipients: classified.failedRecipients };
  }
  if (!from) {
    if (options.recordRefusals)
      await ledger({ outcome: "failed", reason: "no usable From address" });
    return { kind: "refused", reason: "no_sender" };
  }
  // Our own notifications coming back (a loop through a forwarder, or sent to ourselves).
  if (system.has(lower(from.address)) || facts.ownMail) {
    await ledger({ outcome: "ignored", reason: "own_mail" });
    return { kind: "ignored", reason: "own_mail", ticket: null };
  }
  if (facts.banned) {
    if (options.recordRefusals)
      await ledger({ outcome: "ignored", reason: "banned sender" });
    return { kind: "refused", reason: "banned", email: from.address };
  }

  const thread = await findThread(tx, {
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    subject: mail.subject,
    fromAddress: from.address,
  });

  if (classified.kind === "auto_reply") {
    // Noted on its ticket for the agents, without reopening it or answering it.
    if (thread)
      await tx.insert(ticketMessages).values({
        ticketId: thread.ticket.id,
        kind: "note",
        authorName: "System",
        source: "email",
        bodyText: `Automatic reply from ${from.address}: ${mail.subject}`,
        emailMessageId: mail.messageId,
        createdAt: now,
      });
    await ledger({
      outcome: "ignored",
      reason: `auto_reply: ${classified.reason}`,
      ticketId: thread?.ticket.id ?? null,
    });
    return {
      kind: "ignored",
      reason: "auto_reply",
      ticket: thread?.ticket ?? null,
    };
  }

  const author = await getUserByEmail(tx, from.address);
  const hold = options.released
    ? null
    : holdReason(mail, facts.recentFromSender, !author && !thread, options);
  if (hold) {
    await ledger({ outcome: "held", reason: hold });
    if (hold === "too_large") await tellSenderTooLarge(tx, mail, options);
    return { kind: "held", reason: hold };
  }

  const body = messageBody(mail);
  // The web upload rules: a file of a type not on ATTACHMENT_TYPES is set aside, and said so.
  const { accepted: files, refused } = screenFiles(
    mail.attachments.map((a) => ({
      name: a.name,
      type: a.type,
      data: a.data,
      contentId: a.contentId ?? undefined,
      isInline: a.inline,
    })),
    options.allowedTypes ?? env().attachments.types,
  );
  const refusedNote = refused.length
    ? ["File Import Error", ...refused.map(describeRefusedFile)].join("\n")
    : undefined;
  if (refused.length)
    log.info("mail_ingest.files_refused", {
      messageId: mail.messageId,
      files: refused.map((f) => f.name),
    });

  const reopenable =
    thread && !closedTooLongAgo(thread.ticket, now, options.reopenWindowDays);
  if (thread && reopenable) {
    const [locked] = await tx
      .select()
      .from(tickets)
      .where(eq(tickets.id, thread.ticket.id))
      .for("update");
    const appended = await appendCustomerMessage(
      tx,
      locked!,
      {
        author: {
          id: author?.id ?? null,
          name: author?.name ?? displayNameFor(from),
          email: from.address,
        },
        source: "email",
        ...body,
        emailMessageId: mail.messageId,
        files,
      },
      now,
    );
    await addParticipants(tx, locked!, null, mail, system, now);
    await ledger({
      outcome: "replied",
      ticketId: locked!.id,
      ticketMessageId: appended.messageId,
    });
    return { kind: "replied", ticket: appended.ticket };
  }

  // A new ticket: the sender's own, or, for a late reply to a long-closed one, its customer's.
  const customer = author ?? (await createMailContact(tx, mail, now));
  const opened = await openTicket(
    tx,
    {
      customer,
      actor: { kind: "email" },
      source: "email",
      subject: mail.subject || "[No Subject]",
      ...body,
      files,
      systemNote: refusedNote,
      emailMessageId: mail.messageId ?? undefined,
      previousTicket: thread?.ticket,
    },
    now,
  );
  if (!opened.ok)
    throw opened.error.message === NO_DEPARTMENT
      ? new NoDepartmentError()
      : new Error(opened.error.message);
  await addParticipants(tx, opened.value, customer.email, mail, system, now);
  await ledger({
    outcome: "created",
    ticketId: opened.value.id,
    ticketMessageId: opened.value.firstMessageId,
    reason: thread ? `continues #${thread.ticket.number}` : null,
  });
  return thread
    ? { kind: "created", ticket: opened.value, previous: thread.ticket }
    : { kind: "created", ticket: opened.value };
}

function holdReason(
  mail: ParsedMail,
  recentFromSender: number,
  unknownSender: boolean,
  options: IngestOptions,
): HoldReason | null {
  if (options.maxBytes && mail.sizeBytes > options.maxBytes) return "too_large";
  if (
    options.senderLimitPerHour &&
    recentFromSender >= options.senderLimitPerHour
  )
    return "rate_limited";
  if (unknownSender && options.unknownSenders === "hold")
    return "unknown_sender";
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

/**
 * What the pipeline asks about every message, in one round trip: is its Message-ID already on a
 * ticket (the other door) or one of our own outgoing mails, is the sender banned, and how much
 * has the sender sent in the last hour.
 */
async function senderFacts(
  tx: Db,
  mail: ParsedMail,
  now: Date,
): Promise<{
  storedTicketId: string | null;
  ownMail: boolean;
  banned: boolean;
  recentFromSender: number;
}> {
  const id = mail.messageId ?? "";
  const email = lower(mail.from?.address ?? "");
  const since = new Date(now.getTime() - 3600_000).toISOString();
  const [row] = await tx
    .select({
      storedTicketId: sql<string | null>`(select ${ticketMessages.ticketId}
        from ${ticketMessages} where ${ticketMessages.emailMessageId} = ${id} limit 1)`,
      ownMail: sql<boolean>`exists (select 1 from ${outboundMail}
        where ${outboundMail.messageId} = ${id})`,
      banned: bannedAddress(email),
      recentFromSender: sql<number>`(select count(*)::int from ${inboundMail}
        where lower(${inboundMail.fromAddress}) = ${email}
        and ${inboundMail.processedAt} >= ${since}::timestamptz)`,
    })
    .from(sql`(values (1)) as one (x)`);
  return {
    storedTicketId: id ? (row?.storedTicketId ?? null) : null,
    ownMail: Boolean(id && row?.ownMail),
    banned: Boolean(email && row?.banned),
    recentFromSender: Number(row?.recentFromSender ?? 0),
  };
}

async function tellSenderTooLarge(
  tx: Db,
  mail: Pick<ParsedMail, "from" | "subject" | "messageId" | "sizeBytes">,
  options: IngestOptions,
): Promise<void> {
  const to = mail.from?.address;
  if (!to) return;
  const limitMb = Math.floor((options.maxBytes ?? 0) / 1024 / 1024);
  await enqueueMail(
    tx,
    {
      kind: "inbound_too_large",
      to,
      ...messageTooLargeMail({
        subject: mail.subject || "[No Subject]",
        sizeMb: Math.ceil(mail.sizeBytes / 1024 / 1024),
        limitMb,
      }),
      inReplyTo: mail.messageId ?? undefined,
      references: mail.messageId ? [mail.messageId] : undefined,
    },
    options.now,
  );
}

const lower = (s: string) => s.trim().toLowerCase();

/** The visible reply as the message; the whole text kept when quotes or a signature were cut. */
function messageBody(mail: ParsedMail): {
  text: string;
  html: string | null;
  originalText: string | null;
} {
  const text = mail.text.trim();
  // A forward's point is the forwarded content, so only the quotes above it are cut.
  const { visible } = visibleReply(text, {
    forward: isForwardSubject(mail.subject),
  });
  if (visible === text)
    return { text: text || "-", html: mail.html, originalText: null };
  // The HTML still holds the quoted history, so the shortened text stands for the message.
  return { text: visible, html: null, originalText: text };
}

/** To and Cc addresses other than Portico's own and the ticket's customer may write into the ticket. */
async function addParticipants(
  tx: Db,
  ticket: Ticket,
  customerEmail: string | null,
  mail: ParsedMail,
  system: Set<string>,
  now: Date,
): Promise<void> {
  const candidates = [
    ...new Set([...mail.to, ...mail.cc].map((a) => lower(a.address))),
  ].filter((e) => e.includes("@") && !system.has(e));
  if (candidates.length === 0) return;
  const ownerEmail =
    customerEmail ??
    (
      await tx
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, ticket.customerId))
    )[0]?.email ??
    "";
  const emails = candidates.filter((e) => e !== lower(ownerEmail));
  if (emails.length === 0) return;
  const known = await tx
    .select({ id: users.id, email: sql<string>`lower(${users.email})` })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, emails));
  await tx
    .insert(ticketParticipants)
    .values(
      emails.map((email) => ({
        ticketId: ticket.id,
        email,
        userId: known.find((k) => k.email === email)?.id ?? null,
        createdAt: now,
      })),
    )
    .onConflictDoNothing();
}

/** A customer without a password, named as the mail names them. */
async function createMailContact(
  tx: Db,
  mail: ParsedMail,
  now: Date,
): Promise<User> {
  const from = mail.from!;
  const [created] = await tx
    .insert(users)
    .values({
      email: from.address.trim(),
      name: displayNameFor(from),
      role: "customer",
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordAudit(tx, {
    actor: { kind: "email" },
    action: "user.created",
    entityType: "user",
    entityId: created!.id,
    data: { email: created!.email, via: "email" },
    at: now,
  });
  return created!;
}

/** A delivery failure: the outbound mail it answers failed, and its recipients are undeliverable. */
async function recordBounce(
  tx: Db,
  bounce: { failedRecipients: string[]; originalMessageId: string | null },
  now: Date,
): Promise<void> {
  if (bounce.originalMessageId)
    await tx
      .update(outboundMail)
      .set({ status: "failed", lastError: "bounced" })
      .where(eq(outboundMail.messageId, bounce.originalMessageId));
  const recipients = bounce.failedRecipients.map(lower);
  if (recipients.length > 0)
    await tx
      .update(users)
      .set({ emailUndeliverableAt: now })
      .where(inArray(sql`lower(${users.email})`, recipients));
}
