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
import { isEmailBanned } from "@/lib/helpdesk/ban-list";
import { classifyMail } from "@/lib/mail-ingest/classify";
import {
  displayNameFor,
  parseMail,
  type ParsedMail,
} from "@/lib/mail-ingest/parse";
import { visibleReply } from "@/lib/mail-ingest/reply-text";
import { isForwardSubject } from "@/lib/mail-ingest/subject-reference";
import { findThread } from "@/lib/mail-ingest/thread";
import { openTicket } from "@/lib/tickets/open-ticket";
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
  /** Whether a first mail from an unknown sender opens a ticket or waits for an agent. */
  unknownSenders?: "create" | "hold";
};

export type IngestOutcome =
  | { kind: "created"; ticket: Ticket }
  | { kind: "replied"; ticket: Ticket }
  /** Seen before (same Message-ID, or the same bytes): nothing new was written. */
  | { kind: "duplicate"; ticket: Ticket | null }
  | {
      kind: "ignored";
      reason: "auto_reply" | "own_mail";
      ticket: Ticket | null;
    }
  | { kind: "bounce"; failedRecipients: string[] }
  | { kind: "held"; reason: "unknown_sender" }
  | { kind: "refused"; reason: "no_sender" }
  | { kind: "refused"; reason: "banned"; email: string };

export async function ingestMail(
  db: Db,
  raw: Uint8Array,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestOutcome> {
  const mail = await parseMail(raw);
  const ledgerKey = mail.messageId ?? `sha256:${mail.contentHash}`;
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
  if (row) return { kind: "duplicate", ticket: row.ticket };
  // The same message reached Portico through the other door, or before the ledger existed.
  if (ledgerKey.startsWith("<")) {
    const [stored] = await db
      .select({ ticket: tickets })
      .from(ticketMessages)
      .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
      .where(eq(ticketMessages.emailMessageId, ledgerKey))
      .limit(1);
    if (stored) return { kind: "duplicate", ticket: stored.ticket };
  }
  return null;
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
      receivingAddress: source.receivingAddress,
      messageId: ledgerKey,
      folder: source.folder ?? null,
      uidValidity: source.uidValidity ?? null,
      uid: source.uid ?? null,
      fromAddress: mail.from?.address ?? null,
      subject: mail.subject,
      sizeBytes: mail.sizeBytes,
      raw,
      receivedAt: mail.date,
      processedAt: now,
      ...row,
    });

  const system = new Set(options.systemAddresses.map(lower));
  const from = mail.from;
  const classified = classifyMail(mail);
  if (classified.kind === "bounce") {
    await recordBounce(tx, classified, now);
    await ledger({ outcome: "bounce", reason: classified.reason });
    return { kind: "bounce", failedRecipients: classified.failedRecipients };
  }
  if (!from) return { kind: "refused", reason: "no_sender" };
  if (system.has(lower(from.address))) {
    await ledger({ outcome: "ignored", reason: "own_mail" });
    return { kind: "ignored", reason: "own_mail", ticket: null };
  }
  if (await isEmailBanned(tx, from.address))
    return { kind: "refused", reason: "banned", email: from.address };

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
  const body = messageBody(mail);
  const files = mail.attachments.map((a) => ({
    name: a.name,
    type: a.type,
    data: a.data,
    contentId: a.contentId ?? undefined,
    isInline: a.inline,
  }));

  if (thread) {
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
    await addParticipants(tx, locked!, mail, system, now);
    await ledger({
      outcome: "replied",
      ticketId: locked!.id,
      ticketMessageId: appended.messageId,
    });
    return { kind: "replied", ticket: appended.ticket };
  }

  if (!author && options.unknownSenders === "hold") {
    await ledger({ outcome: "held", reason: "unknown_sender" });
    return { kind: "held", reason: "unknown_sender" };
  }
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
      emailMessageId: mail.messageId ?? undefined,
    },
    now,
  );
  if (!opened.ok) throw new Error(opened.error.message);
  await addParticipants(tx, opened.value, mail, system, now);
  const [first] = await tx
    .select({ id: ticketMessages.id })
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, opened.value.id))
    .limit(1);
  await ledger({
    outcome: "created",
    ticketId: opened.value.id,
    ticketMessageId: first?.id ?? null,
  });
  return { kind: "created", ticket: opened.value };
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
  mail: ParsedMail,
  system: Set<string>,
  now: Date,
): Promise<void> {
  const [customer] = await tx
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, ticket.customerId));
  const skip = new Set([...system, lower(customer?.email ?? "")]);
  const emails = [
    ...new Set([...mail.to, ...mail.cc].map((a) => lower(a.address))),
  ].filter((e) => e.includes("@") && !skip.has(e));
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
