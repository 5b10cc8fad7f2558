import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundMail } from "@/db/schema";
import {
  enqueueMails,
  insertOutboxRows,
  outboxRows,
  type OutgoingMail,
} from "@/lib/mail/outbox";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

// insertOutboxRows writes any number of rows with one statement of its own; what it stores must be
// what an insert of the same rows through drizzle stores.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.close();
});

const stored = async (messageIds: string[]) =>
  (
    await t.db
      .select()
      .from(outboundMail)
      .where(inArray(outboundMail.messageId, messageIds))
  )
    .map(({ id: _id, messageId, ...rest }) => ({
      ...rest,
      // The same rows twice, told apart by the suffix each copy's Message-ID carries.
      messageId: messageId.replace(/-(one|many)@/, "@"),
    }))
    .sort((a, b) => a.messageId.localeCompare(b.messageId));

describe("insertOutboxRows", () => {
  it("stores each row as drizzle's insert of it does, whatever the text", async () => {
    const customer = await buildUser(t.db);
    const ticket = await buildTicket(t.db, { customer });
    const mails: OutgoingMail[] = [
      {
        kind: "ticket_reply",
        to: "customer@example.com",
        subject: `Re: ${"x".repeat(60)} 🚀 שלום "quoted" \\ back`,
        text: "Line one\nLine two\t→ ✓\r\n\u200f",
        html: "<p>שלום <b>wörld</b> 👋</p>",
        ticketId: ticket.id,
        inReplyTo: "<first@portico.test>",
        references: ["<first@portico.test>", "<second@portico.test>"],
      },
      { kind: "payment_receipt", to: "", subject: "", text: "" },
    ];
    const now = new Date("2026-12-05T10:11:12.345Z");
    const copies = (suffix: string) =>
      mails.map((mail, i) => ({
        ...mail,
        messageId: `<mail-${i}-${suffix}@portico.test>`,
      }));

    await insertOutboxRows(t.db, outboxRows(copies("one"), now));
    await enqueueMails(t.db, copies("many"), now);

    const ours = await stored(copies("one").map((m) => m.messageId));
    const drizzles = await stored(copies("many").map((m) => m.messageId));
    expect(ours).toHaveLength(2);
    expect(ours).toEqual(drizzles);
    expect(ours[0]).toMatchObject({
      ticketId: ticket.id,
      bodyHtml: "<p>שלום <b>wörld</b> 👋</p>",
      references: "<first@portico.test> <second@portico.test>",
      status: "queued",
      attempts: 0,
      nextAttemptAt: now,
    });
    expect(ours[1]).toMatchObject({
      bodyHtml: null,
      inReplyTo: null,
      references: null,
      ticketId: null,
    });
  });

  it("writes nothing for no rows", async () => {
    const before = await t.db.$count(outboundMail);
    await insertOutboxRows(t.db, []);
    expect(await t.db.$count(outboundMail)).toBe(before);
  });
});
