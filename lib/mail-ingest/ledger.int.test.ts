import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, inboundMail, tickets, users } from "@/db/schema";
import { DEMO_USERS, seedDemoData } from "@/db/seed";
import type { Viewer } from "@/lib/auth/viewer";
import {
  holdOversized,
  ingestMail,
  recordIngestFailure,
  type IngestOptions,
} from "@/lib/mail-ingest/ingest";
import {
  getInboundRaw,
  INBOUND_PAGE_SIZE,
  listInboundMail,
  releaseInboundMail,
} from "@/lib/mail-ingest/ledger";
import { createTestDb, type TestDb } from "@/testing/db";

const SOURCE = { receivingAddress: "support@portico.test" };
const start = new Date("2026-03-02T09:00:00Z");
let clock = 0;
/** Each ingestion a minute after the last, so "newest first" has an order to show. */
const tick = () => new Date(start.getTime() + ++clock * 60_000);
const options = (now = tick()): IngestOptions => ({
  systemAddresses: [],
  now,
  recordRefusals: true,
  unknownSenders: "hold",
});

function message(m: {
  from: string;
  subject: string;
  id: string;
  headers?: string[];
  body?: string;
}): Uint8Array {
  return new TextEncoder().encode(
    [
      `From: ${m.from}`,
      "To: support@portico.test",
      `Subject: ${m.subject}`,
      `Message-ID: <${m.id}>`,
      "Date: Mon, 02 Mar 2026 08:55:00 +0000",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      ...(m.headers ?? []),
      "",
      m.body ?? "Hello, something is wrong with my order.",
      "",
    ].join("\r\n"),
  );
}

let t: TestDb;
let agent: Viewer;
let customer: Viewer;
const viewerFor = async (email: string): Promise<Viewer> => {
  const [u] = await t.db.select().from(users).where(eq(users.email, email));
  return {
    id: u!.id,
    email: u!.email,
    name: u!.name,
    role: u!.role,
    emailVerified: true,
  };
};
// Stored Message-IDs keep their angle brackets; tests name messages without them.
const ledgerRowsFor = (messageId: string) =>
  t.db
    .select()
    .from(inboundMail)
    .where(
      and(
        eq(inboundMail.receivingAddress, SOURCE.receivingAddress),
        eq(inboundMail.messageId, `<${messageId}>`),
      ),
    );
const idOf = async (messageId: string) =>
  (await ledgerRowsFor(messageId))[0]!.id;

beforeAll(async () => {
  t = await createTestDb();
  await seedDemoData(t.db, start);
  agent = await viewerFor(DEMO_USERS.agentSam.email);
  customer = await viewerFor(DEMO_USERS.alice.email);
});
afterAll(() => t.close());

describe("inbound mail ledger: the list", () => {
  const printer = message({
    from: "Alice Martin <alice@example.com>",
    subject: "Printer on fire",
    id: "printer-1@mail.example.com",
  });
  beforeAll(async () => {
    await ingestMail(t.db, printer, SOURCE, options());
    await ingestMail(
      t.db,
      message({
        from: "stranger@elsewhere.test",
        subject: "Can I buy in bulk?",
        id: "bulk-1@elsewhere.test",
      }),
      SOURCE,
      options(),
    );
    await ingestMail(
      t.db,
      message({
        from: "bob@example.com",
        subject: "Out of office",
        id: "ooo-1@example.com",
        headers: ["Auto-Submitted: auto-replied"],
      }),
      SOURCE,
      options(),
    );
    await ingestMail(
      t.db,
      message({
        from: "carol@example.com",
        subject: "50% off_code not applied",
        id: "discount-1@example.com",
      }),
      SOURCE,
      options(),
    );
  });

  it("shows every message newest first, with its outcome, ticket and whether its source is kept", async () => {
    const list = await listInboundMail(t.db);
    expect(list.rows.map((r) => r.subject)).toEqual([
      "50% off_code not applied",
      "Out of office",
      "Can I buy in bulk?",
      "Printer on fire",
    ]);
    const [discount, ooo, bulk, fire] = list.rows;
    expect(fire).toMatchObject({
      fromAddress: "alice@example.com",
      outcome: "created",
      reason: null,
      hasRaw: true,
      sizeBytes: printer.byteLength,
      receivedAt: new Date("2026-03-02T08:55:00Z"),
    });
    expect(fire!.ticketNumber).toMatch(/^\d{6}$/);
    expect(bulk).toMatchObject({
      outcome: "held",
      reason: "unknown_sender",
      ticketNumber: null,
      hasRaw: true,
    });
    expect(ooo).toMatchObject({ outcome: "ignored" });
    expect(ooo!.reason).toMatch(/^auto_reply: /);
    expect(discount).toMatchObject({ outcome: "created" });
    expect(list.rows[0]).not.toHaveProperty("raw");
    expect(list.counts).toMatchObject({
      all: 4,
      created: 2,
      held: 1,
      ignored: 1,
      replied: 0,
      bounce: 0,
      failed: 0,
    });
    expect(list.total).toBe(4);
  });

  it("searches subject, sender and Message-ID without regard to case", async () => {
    const subjects = async (q: string) =>
      (await listInboundMail(t.db, { q })).rows.map((r) => r.subject);
    expect(await subjects("PRINTER")).toEqual(["Printer on fire"]);
    expect(await subjects("elsewhere.TEST")).toEqual(["Can I buy in bulk?"]);
    expect(await subjects("ooo-1@")).toEqual(["Out of office"]);
    expect(await subjects("nothing like this")).toEqual([]);
  });

  it("takes % and _ in a search literally", async () => {
    const subjects = async (q: string) =>
      (await listInboundMail(t.db, { q })).rows.map((r) => r.subject);
    expect(await subjects("50%")).toEqual(["50% off_code not applied"]);
    expect(await subjects("%")).toEqual(["50% off_code not applied"]);
    expect(await subjects("f_c")).toEqual(["50% off_code not applied"]);
  });

  it("filters by outcome, counting the search's matches per outcome", async () => {
    const held = await listInboundMail(t.db, { outcome: "held" });
    expect(held.rows.map((r) => r.subject)).toEqual(["Can I buy in bulk?"]);
    expect(held.total).toBe(1);
    expect(held.counts.all).toBe(4);

    const searched = await listInboundMail(t.db, {
      q: "example.com",
      outcome: "created",
    });
    expect(searched.rows.map((r) => r.subject)).toEqual([
      "50% off_code not applied",
      "Printer on fire",
    ]);
    expect(searched.counts).toMatchObject({
      all: 3,
      created: 2,
      ignored: 1,
      held: 0,
    });
    expect(searched.total).toBe(2);
  });

  it("pages by 50", async () => {
    const many = Array.from({ length: INBOUND_PAGE_SIZE + 3 }, (_, i) => ({
      receivingAddress: SOURCE.receivingAddress,
      messageId: `paging-${i}@example.com`,
      fromAddress: "paging@example.com",
      subject: `Paging ${i}`,
      sizeBytes: 100,
      outcome: "ignored" as const,
      reason: "duplicate",
      processedAt: new Date(start.getTime() - (i + 1) * 60_000),
    }));
    await t.db.insert(inboundMail).values(many);
    const first = await listInboundMail(t.db, { q: "paging@" });
    expect(first.rows).toHaveLength(INBOUND_PAGE_SIZE);
    expect(first.rows[0]!.subject).toBe("Paging 0");
    expect(first.total).toBe(INBOUND_PAGE_SIZE + 3);
    const second = await listInboundMail(t.db, { q: "paging@", page: 2 });
    expect(second.rows.map((r) => r.subject)).toEqual([
      "Paging 50",
      "Paging 51",
      "Paging 52",
    ]);
  });
});

describe("inbound mail ledger: raw source", () => {
  it("returns the bytes exactly as they arrived", async () => {
    const raw = message({
      from: "alice@example.com",
      subject: "Raw bytes, ünïcode",
      id: "raw-1@example.com",
      body: "Line one\r\nLine two with trailing spaces   ",
    });
    await ingestMail(t.db, raw, SOURCE, options());
    const got = await getInboundRaw(t.db, await idOf("raw-1@example.com"));
    expect(got).not.toBeNull();
    expect(Buffer.from(got!.raw).equals(Buffer.from(raw))).toBe(true);
    expect(got).toMatchObject({
      messageId: "<raw-1@example.com>",
      subject: "Raw bytes, ünïcode",
    });
  });

  it("has nothing for an unknown id, a malformed id or a source left on the server", async () => {
    expect(
      await getInboundRaw(t.db, "00000000-0000-0000-0000-000000000000"),
    ).toBeNull();
    expect(await getInboundRaw(t.db, "not-a-uuid")).toBeNull();
    await holdOversized(
      t.db,
      {
        size: 30_000_000,
        envelope: {
          messageId: "<huge-1@example.com>",
          subject: "Huge scan",
          from: [{ address: "alice@example.com" }],
        },
      },
      SOURCE,
      { ...options(), maxBytes: 10_000_000 },
    );
    const id = await idOf("huge-1@example.com");
    expect(await getInboundRaw(t.db, id)).toBeNull();
    const [row] = (await listInboundMail(t.db, { q: "huge-1@" })).rows;
    expect(row).toMatchObject({
      outcome: "held",
      reason: "too_large",
      hasRaw: false,
    });
  });
});

describe("inbound mail ledger: releasing and replaying", () => {
  const auditFor = (action: string) =>
    t.db.select().from(auditLog).where(eq(auditLog.action, action));

  it("turns a held message from an unknown sender into a ticket, keeping one ledger row", async () => {
    const messageId = "new-customer-1@faraway.test";
    const outcome = await ingestMail(
      t.db,
      message({
        from: "Dana Field <dana@faraway.test>",
        subject: "Question before I order",
        id: messageId,
      }),
      SOURCE,
      options(),
    );
    expect(outcome).toEqual({ kind: "held", reason: "unknown_sender" });
    const heldId = await idOf(messageId);

    const now = tick();
    const released = await releaseInboundMail(t.db, agent, heldId, now);
    expect(released.ok).toBe(true);
    if (!released.ok) return;
    expect(released.value.message).toMatch(/^Created ticket #\d{6}$/);

    const rows = await ledgerRowsFor(messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "created", processedAt: now });
    const [ticket] = await t.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, rows[0]!.ticketId!));
    expect(released.value.message).toBe(`Created ticket #${ticket!.number}`);
    expect(ticket!.subject).toBe("Question before I order");

    const [listed] = (await listInboundMail(t.db, { q: messageId })).rows;
    expect(listed).toMatchObject({
      outcome: "created",
      ticketNumber: ticket!.number,
    });

    expect(await auditFor("inbound_mail.released")).toEqual([
      expect.objectContaining({
        actorKind: "user",
        actorId: agent.id,
        entityType: "inbound_mail",
        entityId: rows[0]!.id,
        ticketId: ticket!.id,
        data: expect.objectContaining({
          messageId: `<${messageId}>`,
          previousId: heldId,
          previousOutcome: "held",
          previousReason: "unknown_sender",
          outcome: "created",
        }),
      }),
    ]);

    // The held row is gone, so a second click finds nothing to release.
    const again = await releaseInboundMail(t.db, agent, heldId, tick());
    expect(!again.ok && again.error.code).toBe("not_found");
    expect(await ledgerRowsFor(messageId)).toHaveLength(1);
  });

  it("replays a failed message", async () => {
    const messageId = "failed-1@example.com";
    const raw = message({
      from: "bob@example.com",
      subject: "Refund please",
      id: messageId,
    });
    await recordIngestFailure(
      t.db,
      raw,
      SOURCE,
      new Error("connection reset"),
      tick(),
    );
    const [failed] = await ledgerRowsFor(messageId);
    expect(failed).toMatchObject({
      outcome: "failed",
      reason: "connection reset",
    });

    const replayed = await releaseInboundMail(t.db, agent, failed!.id, tick());
    expect(replayed.ok && replayed.value.message).toMatch(
      /^Created ticket #\d{6}$/,
    );
    const rows = await ledgerRowsFor(messageId);
    expect(rows.map((r) => r.outcome)).toEqual(["created"]);
    expect(await auditFor("inbound_mail.replayed")).toEqual([
      expect.objectContaining({
        actorId: agent.id,
        entityId: rows[0]!.id,
        data: expect.objectContaining({
          previousOutcome: "failed",
          previousReason: "connection reset",
          outcome: "created",
        }),
      }),
    ]);
  });

  it("keeps the message, now failed with the error, when the pipeline throws", async () => {
    const messageId = "doomed-1@faraway.test";
    await ingestMail(
      t.db,
      message({ from: "finn@faraway.test", subject: "Doomed", id: messageId }),
      SOURCE,
      options(),
    );
    const id = await idOf(messageId);
    // A database that refuses new tickets stands in for any failure inside the pipeline.
    await t.db.execute(sql`
      create function refuse_tickets() returns trigger language plpgsql as
      $$ begin raise exception 'tickets are switched off'; end $$`);
    await t.db.execute(sql`
      create trigger refuse_tickets before insert on tickets
      for each row execute function refuse_tickets()`);
    try {
      const now = tick();
      const result = await releaseInboundMail(t.db, agent, id, now);
      expect(!result.ok && result.error).toMatchObject({
        code: "upstream_failed",
        message: expect.stringContaining("tickets are switched off"),
      });
      expect(await ledgerRowsFor(messageId)).toEqual([
        expect.objectContaining({
          id,
          outcome: "failed",
          reason: expect.stringContaining("tickets are switched off"),
          processedAt: now,
        }),
      ]);
      const [contact] = await t.db
        .select()
        .from(users)
        .where(eq(users.email, "finn@faraway.test"));
      expect(contact).toBeUndefined();
    } finally {
      await t.db.execute(sql`drop trigger refuse_tickets on tickets`);
      await t.db.execute(sql`drop function refuse_tickets()`);
    }

    // Once the cause is gone, the failed message replays.
    const replayed = await releaseInboundMail(t.db, agent, id, tick());
    expect(replayed.ok && replayed.value.message).toMatch(
      /^Created ticket #\d{6}$/,
    );
  });

  it("refuses a customer, leaving the message held", async () => {
    const messageId = "held-for-customer@faraway.test";
    await ingestMail(
      t.db,
      message({
        from: "eve@faraway.test",
        subject: "Let me in",
        id: messageId,
      }),
      SOURCE,
      options(),
    );
    const id = await idOf(messageId);
    const refused = await releaseInboundMail(t.db, customer, id, tick());
    expect(!refused.ok && refused.error.code).toBe("forbidden");
    const rows = await ledgerRowsFor(messageId);
    expect(rows).toEqual([
      expect.objectContaining({
        id,
        outcome: "held",
        reason: "unknown_sender",
      }),
    ]);
  });

  it("refuses what is not held or failed, or whose source stayed on the server", async () => {
    await ingestMail(
      t.db,
      message({
        from: "alice@example.com",
        subject: "Already a ticket",
        id: "done-1@example.com",
      }),
      SOURCE,
      options(),
    );
    const created = await idOf("done-1@example.com");
    const notHeld = await releaseInboundMail(t.db, agent, created, tick());
    expect(!notHeld.ok && notHeld.error.code).toBe("conflict");

    await holdOversized(
      t.db,
      {
        size: 40_000_000,
        envelope: {
          messageId: "<huge-2@example.com>",
          subject: "Another huge scan",
          from: [{ address: "alice@example.com" }],
        },
      },
      SOURCE,
      { ...options(), maxBytes: 10_000_000 },
    );
    const huge = await idOf("huge-2@example.com");
    const noSource = await releaseInboundMail(t.db, agent, huge, tick());
    expect(!noSource.ok && noSource.error.code).toBe("conflict");
    expect(await ledgerRowsFor("huge-2@example.com")).toEqual([
      expect.objectContaining({ outcome: "held", reason: "too_large" }),
    ]);

    const unknown = await releaseInboundMail(t.db, agent, "nope", tick());
    expect(!unknown.ok && unknown.error.code).toBe("not_found");
  });
});
