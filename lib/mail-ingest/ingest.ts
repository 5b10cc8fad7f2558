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
} from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";
import { rootMessage } from "@/lib/errors";
import { bannedAddress } from "@/lib/helpdesk/ban-list";
import { classifyMail } from "@/lib/mail-ingest/classify";
import {
  decide,
  type Decision,
  type HoldReason,
  type LedgerEntry,
  type Lookups,
  type MailFacts,
  type Rules,
} from "@/lib/mail-ingest/decide";
import {
  displayNameFor,
  normaliseAddress,
  parseMail,
  type MailAddress,
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
import { addSystemNote } from "@/lib/tickets/system-note";
import { createContact } from "@/lib/users/contacts";
import { getUserByEmail } from "@/lib/users/queries";

// The one mail pipeline behind both doors (IMAP ingestion and POST /api/tickets.email): parse,
// recognise repeats, refuse or set aside what must not become a ticket, thread, then create the
// ticket or the reply and the ledger row in one transaction, so a message is accounted for exactly
// once even when two runs race. What becomes of a message is decided in decide.ts, from the facts
// gathered here; the steps below carry each decision out.

export type IngestSource = {
  /** The watched address (IMAP), or "pipe" for mail posted to the API. */
  receivingAddress: string;
  folder?: string;
  uidValidity?: number;
  uid?: number;
};

export type IngestOptions = Rules & {
  /** Attachment types kept (default ATTACHMENT_TYPES); others are set aside with a note. */
  allowedTypes?: string[];
};

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
  return rootMessage(error);
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

/** One message on its way through a transaction: what every step writes its ledger row from. */
type Ingesting = {
  tx: Db;
  raw: Uint8Array;
  mail: ParsedMail;
  ledgerKey: string;
  source: IngestSource;
  options: IngestOptions;
};

async function ingestOnce(
  tx: Db,
  raw: Uint8Array,
  mail: ParsedMail,
  ledgerKey: string,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestOutcome> {
  const m: Ingesting = { tx, raw, mail, ledgerKey, source, options };
  const facts: MailFacts = {
    from: mail.from,
    subject: mail.subject,
    sizeBytes: mail.sizeBytes,
    class: classifyMail(mail),
  };
  return carryOut(
    m,
    decide(facts, await lookUp(tx, mail, options.now), options),
  );
}

/** Each decision's writes, and the outcome the caller is told. */
async function carryOut(m: Ingesting, d: Decision): Promise<IngestOutcome> {
  switch (d.kind) {
    case "duplicate": {
      const [stored] = await m.tx
        .select()
        .from(tickets)
        .where(eq(tickets.id, d.ticketId));
      if (d.ledger) await record(m, d.ledger);
      return { kind: "duplicate", ticket: stored ?? null };
    }
    case "bounce":
      await recordBounce(m.tx, d, m.options.now);
      await record(m, d.ledger);
      return { kind: "bounce", failedRecipients: d.failedRecipients };
    case "no-sender":
      if (d.ledger) await record(m, d.ledger);
      return { kind: "refused", reason: "no_sender" };
    case "own-mail":
      await record(m, d.ledger);
      return { kind: "ignored", reason: "own_mail", ticket: null };
    case "banned":
      if (d.ledger) await record(m, d.ledger);
      return { kind: "refused", reason: "banned", email: d.email };
    case "auto-reply":
      if (d.ticket)
        await addSystemNote(
          m.tx,
          d.ticket.id,
          { text: d.note, source: "email", emailMessageId: m.mail.messageId },
          m.options.now,
        );
      await record(m, d.ledger);
      return { kind: "ignored", reason: "auto_reply", ticket: d.ticket };
    case "hold":
      await record(m, d.ledger);
      if (d.reason === "too_large")
        await tellSenderTooLarge(m.tx, m.mail, m.options);
      return { kind: "held", reason: d.reason };
    case "reply":
      return appendReply(m, d);
    case "new-ticket":
      return openFromMail(m, d);
  }
}

/** The message's one ledger row, written in the transaction that acts on it. */
async function record(
  m: Ingesting,
  entry: LedgerEntry & Partial<Pick<InboundMail, "ticketMessageId">>,
): Promise<void> {
  await m.tx.insert(inboundMail).values({
    ...ledgerFields(m.raw, m.mail, m.source, m.options.now),
    messageId: m.ledgerKey,
    ...entry,
  });
}

/** The reply on its (locked) ticket, which opens again if it was resolved or closed. */
async function appendReply(
  m: Ingesting,
  d: Extract<Decision, { kind: "reply" }>,
): Promise<IngestOutcome> {
  const { tx, mail, options } = m;
  const { body, files } = messageContent(mail, options);
  const [locked] = await tx
    .select()
    .from(tickets)
    .where(eq(tickets.id, d.ticket.id))
    .for("update");
  const appended = await appendCustomerMessage(
    tx,
    locked!,
    {
      author: {
        id: d.author?.id ?? null,
        name: d.author?.name ?? displayNameFor(d.from),
        email: d.from.address,
      },
      source: "email",
      ...body,
      emailMessageId: mail.messageId,
      files,
    },
    options.now,
  );
  await addParticipants(tx, locked!, null, mail, options);
  await record(m, {
    outcome: "replied",
    ticketId: locked!.id,
    ticketMessageId: appended.messageId,
  });
  return { kind: "replied", ticket: appended.ticket };
}

/** A new ticket, for the sender (made a contact when unknown) or for a long-closed ticket's customer. */
async function openFromMail(
  m: Ingesting,
  d: Extract<Decision, { kind: "new-ticket" }>,
): Promise<IngestOutcome> {
  const { tx, mail, options } = m;
  const { body, files, refusedNote } = messageContent(mail, options);
  const customer =
    d.customer ?? (await createMailContact(tx, d.from, options.now));
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
      previousTicket: d.previous ?? undefined,
    },
    options.now,
  );
  if (!opened.ok)
    throw opened.error.message === NO_DEPARTMENT
      ? new NoDepartmentError()
      : new Error(opened.error.message);
  await addParticipants(tx, opened.value, customer.email, mail, options);
  await record(m, {
    outcome: "created",
    ticketId: opened.value.id,
    ticketMessageId: opened.value.firstMessageId,
    reason: d.ledgerReason,
  });
  return d.previous
    ? { kind: "created", ticket: opened.value, previous: d.previous }
    : { kind: "created", ticket: opened.value };
}

/**
 * What the database knows that the decision needs: whether the message or its sender are known,
 * and, when there is a sender, the ticket it belongs to and the sender's account.
 */
async function lookUp(tx: Db, mail: ParsedMail, now: Date): Promise<Lookups> {
  const facts = await senderFacts(tx, mail, now);
  const from = mail.from?.address;
  if (!from) return { ...facts, thread: null, author: null };
  const thread = await findThread(tx, {
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    subject: mail.subject,
    fromAddress: from,
  });
  return { ...facts, thread, author: await getUserByEmail(tx, from) };
}

/**
 * The message's text and files for its ticket: the web upload rules apply, so a file of a type
 * not on ATTACHMENT_TYPES is set aside, and said so in a note.
 */
function messageContent(mail: ParsedMail, options: IngestOptions) {
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
  if (refused.length)
    log.info("mail_ingest.files_refused", {
      messageId: mail.messageId,
      files: refused.map((f) => f.name),
    });
  return {
    body: messageBody(mail),
    files,
    refusedNote: refused.length
      ? ["File Import Error", ...refused.map(describeRefusedFile)].join("\n")
      : undefined,
  };
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
  const email = normaliseAddress(mail.from?.address ?? "");
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
  options: IngestOptions,
): Promise<void> {
  const system = new Set(options.systemAddresses.map(normaliseAddress));
  const candidates = [
    ...new Set(
      [...mail.to, ...mail.cc].map((a) => normaliseAddress(a.address)),
    ),
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
  const emails = candidates.filter((e) => e !== normaliseAddress(ownerEmail));
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
        createdAt: options.now,
      })),
    )
    .onConflictDoNothing();
}

/** A customer without a password, named as the mail names them. */
const createMailContact = (tx: Db, from: MailAddress, now: Date) =>
  createContact(
    tx,
    { email: from.address, name: displayNameFor(from) },
    { kind: "email" },
    "email",
    now,
  );

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
  const recipients = bounce.failedRecipients.map(normaliseAddress);
  if (recipients.length > 0)
    await tx
      .update(users)
      .set({ emailUndeliverableAt: now })
      .where(inArray(sql`lower(${users.email})`, recipients));
}
