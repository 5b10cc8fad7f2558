import fs from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  bannedEmails,
  inboundMail,
  outboundMail,
  ticketMessages,
  ticketParticipants,
  tickets,
  users,
} from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import type { ImapConfig } from "@/lib/env";
import { ingestFromImap, type IngestRunOptions } from "@/lib/mail-ingest/imap";
import { ingestMail } from "@/lib/mail-ingest/ingest";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { startDovecot, type Dovecot } from "@/testing/dovecot";

// IMAP ingestion against a real Dovecot: the corpus checked against its manifest, plus the ledger's
// promises (every message exactly once, through crashes, races and UIDVALIDITY resets) and the
// threading, loop and reopen rules.

const CORPUS = path.resolve(process.cwd(), "testing/fixtures/email");
type ManifestEntry = {
  file: string;
  kind: "new" | "reply" | "forward" | "auto-reply" | "bounce";
  expected_visible_text_contains?: string[];
  expected_visible_text_excludes?: string[];
};
const manifest = JSON.parse(
  fs.readFileSync(path.join(CORPUS, "manifest.json"), "utf8"),
) as ManifestEntry[];

let t: TestDb;
let dovecot: Dovecot;
let folderSeq = 0;

beforeAll(async () => {
  [t, dovecot] = await Promise.all([createTestDb(), startDovecot()]);
  await seedDemoData(t.db);
  // The corpus has a message from test@example.com, which osTicket's default ban list refuses.
  await t.db
    .delete(bannedEmails)
    .where(eq(bannedEmails.email, "test@example.com"));
}, 60_000);
afterAll(async () => {
  await Promise.all([t?.close(), dovecot?.stop()]);
});

/** A fresh folder per test, so tests don't see each other's mail. */
function mailbox(extra: Partial<ImapConfig> = {}): ImapConfig {
  folderSeq += 1;
  return {
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    tlsVerify: true,
    user: dovecot.user,
    password: dovecot.password,
    folder: `T${folderSeq}`,
    processedFolder: undefined,
    heldFolder: undefined,
    ...extra,
  };
}

const run = (config: ImapConfig, over: Partial<IngestRunOptions> = {}) =>
  ingestFromImap(t.db, config, {
    pipeline: { reopenWindowDays: 14 },
    ...over,
  });

let n = 0;
function mail(p: {
  from?: string;
  subject?: string;
  body?: string;
  messageId?: string | null;
  headers?: Record<string, string>;
}): string {
  n += 1;
  const headers: Record<string, string> = {
    From: p.from ?? "Dana Doe <dana@example.org>",
    To: "support@portico.test",
    Subject: p.subject ?? `Question ${n}`,
    Date: new Date().toUTCString(),
    "Content-Type": "text/plain; charset=utf-8",
    ...p.headers,
  };
  if (p.messageId !== null)
    headers["Message-ID"] =
      p.messageId ?? `<case-${n}-${Date.now()}@example.org>`;
  return [
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    "",
    p.body ?? `Body of message ${n}.`,
    "",
  ].join("\r\n");
}

async function ledgerFor(folder: string) {
  return t.db.select().from(inboundMail).where(eq(inboundMail.folder, folder));
}

async function ticketOf(id: string | null) {
  if (!id) throw new Error("no ticket");
  const [ticket] = await t.db.select().from(tickets).where(eq(tickets.id, id));
  const messages = await t.db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, id))
    .orderBy(ticketMessages.createdAt);
  return { ticket: ticket!, messages };
}

describe("the email corpus through Dovecot", () => {
  it("gives every message one outcome as the manifest expects, read or not", async () => {
    const config = mailbox({ processedFolder: "Processed" });
    const files = manifest.map((m) => m.file);
    for (const [i, file] of files.entries())
      await dovecot.append(fs.readFileSync(path.join(CORPUS, file)), {
        folder: config.folder,
        // Every other message was already opened by someone in a mail client.
        flags: i % 2 === 0 ? ["\\Seen"] : [],
      });

    const summary = await run(config);
    expect(summary.fetched).toBe(files.length);
    expect(summary.failed).toBe(0);
    const ledger = await ledgerFor(config.folder);
    expect(ledger).toHaveLength(files.length);

    // All moved after their commit.
    expect(await dovecot.list("Processed")).toHaveLength(files.length);
    expect(await dovecot.list(config.folder)).toEqual([]);

    // A fresh folder numbers the messages 1, 2, … in the order they were appended.
    for (const [i, entry] of manifest.entries()) {
      const row = ledger.find((r) => r.uid === i + 1);
      expect(row, entry.file).toBeDefined();
      if (entry.kind === "auto-reply") {
        expect(row!.outcome, entry.file).toBe("ignored");
        expect(row!.reason, entry.file).toMatch(/^auto_reply/);
      } else if (entry.kind === "bounce") {
        expect(row!.outcome, entry.file).toBe("bounce");
      } else {
        expect(["created", "replied"], entry.file).toContain(row!.outcome);
        const { messages } = await ticketOf(row!.ticketId);
        const message = messages.find((m) => m.id === row!.ticketMessageId);
        const visible = (message?.bodyText ?? "")
          .replace(/\s+/g, " ")
          .toLowerCase();
        for (const s of entry.expected_visible_text_contains ?? [])
          expect(visible, `${entry.file} shows "${s}"`).toContain(
            s.replace(/\s+/g, " ").toLowerCase(),
          );
        for (const s of entry.expected_visible_text_excludes ?? [])
          expect(visible, `${entry.file} hides "${s}"`).not.toContain(
            s.replace(/\s+/g, " ").toLowerCase(),
          );
      }
    }
    // No auto-reply or bounce was acknowledged: no mail went to their senders.
    const autoSenders = ledger
      .filter((r) => r.outcome !== "created" && r.fromAddress)
      .map((r) => r.fromAddress!.toLowerCase());
    const acks = await t.db
      .select({ to: outboundMail.toAddress })
      .from(outboundMail)
      .where(eq(outboundMail.kind, "ticket_acknowledgement"));
    for (const a of acks) expect(autoSenders).not.toContain(a.to.toLowerCase());
  }, 120_000);
});

describe("exactly once", () => {
  it("a second run finds nothing new; mail stays flagged when no processed folder is set", async () => {
    const config = mailbox();
    await dovecot.append(mail({}), { folder: config.folder });
    await dovecot.append(mail({}), { folder: config.folder });
    expect((await run(config)).created).toBe(2);
    const again = await run(config);
    expect(again.fetched).toBe(0);
    const listed = await dovecot.list(config.folder);
    expect(listed.every((m) => m.flags.includes("$Portico"))).toBe(true);
    expect(listed.every((m) => !m.flags.includes("\\Seen"))).toBe(true);
  });

  it("a crash between the commit and the move: the next run moves it and creates nothing", async () => {
    const config = mailbox({ processedFolder: "Done" });
    const raw = mail({});
    const uid = await dovecot.append(raw, { folder: config.folder });
    // The first run got as far as the commit, then died before touching the server.
    await ingestMail(
      t.db,
      new TextEncoder().encode(raw),
      {
        receivingAddress: config.user,
        folder: config.folder,
        uidValidity: 0,
        uid,
      },
      { systemAddresses: [], now: new Date(), recordRefusals: true },
    );
    const [before] = await t.db.select({ n: count() }).from(tickets);
    const summary = await run(config);
    expect(summary).toMatchObject({ fetched: 1, created: 0, duplicates: 1 });
    const [after] = await t.db.select({ n: count() }).from(tickets);
    expect(after!.n).toBe(before!.n);
    expect(await dovecot.list(config.folder)).toEqual([]);
    expect(await ledgerFor(config.folder)).toHaveLength(1);
  });

  it("two runs at once over 500 messages record and ticket each exactly once", async () => {
    const config = mailbox({ processedFolder: "Done500" });
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) {
      const id = `<race-${i}-${Date.now()}@example.org>`;
      ids.push(id);
      await dovecot.append(mail({ messageId: id, subject: `Race ${i}` }), {
        folder: config.folder,
      });
    }
    const [a, b] = await Promise.all([
      run(config, { batchSize: 25 }),
      run(config, { batchSize: 40 }),
    ]);
    expect(a.failed + b.failed).toBe(0);
    expect(a.created + b.created).toBe(500);
    const ledger = await ledgerFor(config.folder);
    expect(ledger).toHaveLength(500);
    expect(new Set(ledger.map((r) => r.messageId))).toEqual(new Set(ids));
    const created = await t.db
      .select({ n: count() })
      .from(ticketMessages)
      .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
      .where(eq(tickets.source, "email"));
    expect(created[0]!.n).toBeGreaterThanOrEqual(500);
    for (const id of ids.slice(0, 20)) {
      const [row] = await t.db
        .select({ n: count() })
        .from(ticketMessages)
        .where(eq(ticketMessages.emailMessageId, id));
      expect(row!.n).toBe(1);
    }
    // Two sessions moving the same messages at once is a race inside Dovecot: it may leave a few
    // behind (a MOVE that moved nothing, which the run notices and does not count past) or file a
    // second copy in the processed folder. Nothing is lost and nothing is ticketed twice: the next
    // run recognises what was left as seen and settles it, creating nothing. (The scheduled job's
    // lease keeps runs from overlapping in the first place.)
    const [before] = await t.db.select({ n: count() }).from(tickets);
    const cleanup = await run(config);
    expect(cleanup.created + cleanup.replied + cleanup.failed).toBe(0);
    expect(cleanup.duplicates).toBe(cleanup.fetched);
    const [after] = await t.db.select({ n: count() }).from(tickets);
    expect(after!.n).toBe(before!.n);
    expect(await dovecot.list(config.folder)).toEqual([]);
    const archived = await dovecot.list("Done500");
    expect(new Set(archived.map((m) => m.messageId))).toEqual(new Set(ids));
  }, 180_000);

  it("a UIDVALIDITY reset is noticed and imports nothing twice", async () => {
    const config = mailbox();
    const raws = [mail({}), mail({}), mail({ messageId: null })];
    for (const raw of raws)
      await dovecot.append(raw, { folder: config.folder });
    expect((await run(config)).created).toBe(3);

    await dovecot.recreateFolder(config.folder);
    for (const raw of raws)
      await dovecot.append(raw, { folder: config.folder });
    await dovecot.append(mail({}), { folder: config.folder });
    const summary = await run(config);
    expect(summary).toMatchObject({
      uidValidityChanged: true,
      fetched: 4,
      created: 1,
      duplicates: 3,
    });
    expect(await ledgerFor(config.folder)).toHaveLength(4);
  });
});

describe("threading and the participant rule", () => {
  it("a reply by header joins its ticket; a subject reference only for the ticket's people", async () => {
    const config = mailbox();
    const first = `<thread-${Date.now()}@example.org>`;
    await dovecot.append(
      mail({
        messageId: first,
        from: "Pat Owner <pat@example.org>",
        subject: "Printer offline",
        headers: { Cc: "Quinn Colleague <quinn@example.org>" },
      }),
      { folder: config.folder },
    );
    await run(config);
    const [row] = await ledgerFor(config.folder);
    const { ticket } = await ticketOf(row!.ticketId);
    const participants = await t.db
      .select({ email: ticketParticipants.email })
      .from(ticketParticipants)
      .where(eq(ticketParticipants.ticketId, ticket.id));
    expect(participants.map((p) => p.email)).toEqual(["quinn@example.org"]);

    await dovecot.append(
      mail({
        from: "pat@example.org",
        subject: "Re: Printer offline",
        body: "Still offline.\n\nOn Monday Pat wrote:\n> Printer offline",
        headers: { "In-Reply-To": first, References: first },
      }),
      { folder: config.folder },
    );
    // A participant writes with only the number in the subject.
    await dovecot.append(
      mail({
        from: "quinn@example.org",
        subject: `RE: AW: [TICKET-${ticket.number}] Printer offline`,
        body: "Same here.",
      }),
      { folder: config.folder },
    );
    // A stranger quoting the number gets a ticket of their own.
    await dovecot.append(
      mail({
        from: "mallory@example.net",
        subject: `Re: Ticket #${ticket.number}`,
        body: "Let me in.",
      }),
      { folder: config.folder },
    );
    const summary = await run(config);
    expect(summary).toMatchObject({ replied: 2, created: 1 });
    const { messages } = await ticketOf(ticket.id);
    expect(messages.map((m) => m.bodyText)).toEqual([
      `Body of message ${n - 3}.`,
      "Still offline.",
      "Same here.",
    ]);
    expect(messages[1]!.originalText).toContain("> Printer offline");
    expect(messages.some((m) => m.bodyText.includes("Let me in"))).toBe(false);
  });
});

describe("no loops, no noise", () => {
  let ticketId: string;
  let number: string;
  let rootId: string;
  beforeEach(async () => {
    const config = mailbox();
    rootId = `<loop-${Date.now()}-${Math.random()}@example.org>`;
    await dovecot.append(
      mail({ messageId: rootId, from: "Rae <rae@example.org>" }),
      { folder: config.folder },
    );
    await run(config);
    const [row] = await ledgerFor(config.folder);
    ticketId = row!.ticketId!;
    const { ticket } = await ticketOf(ticketId);
    number = ticket.number;
    await t.db
      .update(tickets)
      .set({ status: "pending" })
      .where(eq(tickets.id, ticketId));
  });

  it("an out-of-office on a ticket is noted without changing it or answering it", async () => {
    const config = mailbox();
    const [acksBefore] = await t.db
      .select({ n: count() })
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, "rae@example.org"));
    await dovecot.append(
      mail({
        from: "rae@example.org",
        subject: `Out of Office: [TICKET-${number}]`,
        headers: { "Auto-Submitted": "auto-replied", "In-Reply-To": rootId },
        body: "I am away until Monday.",
      }),
      { folder: config.folder },
    );
    const summary = await run(config);
    expect(summary.ignored).toEqual({ auto_reply: 1 });
    const { ticket, messages } = await ticketOf(ticketId);
    expect(ticket.status).toBe("pending");
    expect(messages.at(-1)).toMatchObject({ kind: "note" });
    const [acksAfter] = await t.db
      .select({ n: count() })
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, "rae@example.org"));
    expect(acksAfter!.n).toBe(acksBefore!.n);
  });

  it("a bounce marks the outbound mail failed and the address undeliverable", async () => {
    const config = mailbox();
    const [ack] = await t.db
      .select()
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.ticketId, ticketId),
          eq(outboundMail.kind, "ticket_acknowledgement"),
        ),
      );
    const dsn = [
      "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",
      "To: support@portico.test",
      `Subject: Undelivered Mail Returned to Sender`,
      `Message-ID: <dsn-${Date.now()}@mx.example.org>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      "",
      "--B",
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      "--B",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.org",
      "",
      "Final-Recipient: rfc822; rae@example.org",
      "Action: failed",
      "Status: 5.1.1",
      "",
      "--B",
      "Content-Type: text/rfc822-headers",
      "",
      `Message-ID: ${ack!.messageId}`,
      "To: rae@example.org",
      "",
      "--B--",
      "",
    ].join("\r\n");
    await dovecot.append(dsn, { folder: config.folder });
    const summary = await run(config);
    expect(summary.bounces).toBe(1);
    const [after] = await t.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.id, ack!.id));
    expect(after!.status).toBe("failed");
    const [rae] = await t.db
      .select()
      .from(users)
      .where(eq(users.email, "rae@example.org"));
    expect(rae!.emailUndeliverableAt).not.toBeNull();
  });

  it("our own notification coming back is recognised and ignored", async () => {
    const config = mailbox();
    const [ack] = await t.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.ticketId, ticketId));
    await dovecot.append(
      mail({
        from: "Forwarder <fwd@example.org>",
        messageId: ack!.messageId,
        subject: ack!.subject,
      }),
      { folder: config.folder },
    );
    const summary = await run(config);
    expect(summary.ignored).toEqual({ own_mail: 1 });
  });
});

describe("closed tickets and the reopen window", () => {
  async function closedTicket(daysAgo: number) {
    const config = mailbox();
    const id = `<closed-${daysAgo}-${Date.now()}@example.org>`;
    await dovecot.append(mail({ messageId: id, from: "sam.c@example.org" }), {
      folder: config.folder,
    });
    await run(config);
    const [row] = await ledgerFor(config.folder);
    const closedAt = new Date(Date.now() - daysAgo * 86_400_000);
    await t.db
      .update(tickets)
      .set({ status: "closed", closedAt })
      .where(eq(tickets.id, row!.ticketId!));
    return { id, ticketId: row!.ticketId! };
  }

  it("a reply within the window reopens the ticket", async () => {
    const { id, ticketId } = await closedTicket(3);
    const config = mailbox();
    await dovecot.append(
      mail({
        from: "sam.c@example.org",
        headers: { "In-Reply-To": id },
        body: "It broke again.",
      }),
      { folder: config.folder },
    );
    expect((await run(config)).replied).toBe(1);
    const { ticket } = await ticketOf(ticketId);
    expect(ticket).toMatchObject({ status: "open", closedAt: null });
  });

  it("a reply after the window opens a new ticket linked to the old one, and says so", async () => {
    const { id, ticketId } = await closedTicket(20);
    const config = mailbox();
    await dovecot.append(
      mail({
        from: "sam.c@example.org",
        headers: { "In-Reply-To": id },
        body: "Months later, the same problem.",
      }),
      { folder: config.folder },
    );
    expect((await run(config)).created).toBe(1);
    const [row] = await ledgerFor(config.folder);
    const { ticket } = await ticketOf(row!.ticketId);
    const old = await ticketOf(ticketId);
    expect(ticket.previousTicketId).toBe(ticketId);
    expect(old.ticket.status).toBe("closed");
    const [ack] = await t.db
      .select()
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.ticketId, ticket.id),
          eq(outboundMail.kind, "ticket_acknowledgement"),
        ),
      );
    expect(ack!.bodyText).toContain(`Ticket #${old.ticket.number} was closed`);
  });
});

describe("held mail", () => {
  it("holds unknown senders when configured, too-large mail (telling the sender) and floods", async () => {
    const config = mailbox({ heldFolder: "Held" });
    await dovecot.append(mail({ from: "stranger@example.com" }), {
      folder: config.folder,
    });
    const big = mail({
      from: "alice@example.com",
      subject: "Huge scan",
      body: "x".repeat(300_000),
    });
    await dovecot.append(big, { folder: config.folder });
    const flooder = await buildUser(t.db);
    for (let i = 0; i < 4; i++)
      await dovecot.append(mail({ from: flooder.email }), {
        folder: config.folder,
      });
    const summary = await run(config, {
      pipeline: {
        unknownSenders: "hold",
        maxBytes: 200_000,
        senderLimitPerHour: 3,
      },
    });
    expect(summary.held).toEqual({
      unknown_sender: 1,
      too_large: 1,
      rate_limited: 1,
    });
    expect(summary.created).toBe(3);
    expect((await dovecot.list("Held")).length).toBeGreaterThanOrEqual(3);
    const [notice] = await t.db
      .select()
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.kind, "inbound_too_large"),
          eq(outboundMail.toAddress, "alice@example.com"),
        ),
      );
    expect(notice!.subject).toBe("Message too large: Huge scan");
    const tooLarge = (await ledgerFor(config.folder)).find(
      (r) => r.reason === "too_large",
    );
    expect(tooLarge!.raw).toBeNull(); // never downloaded
  });
});
