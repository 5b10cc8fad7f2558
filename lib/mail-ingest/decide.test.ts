import { describe, expect, it } from "vitest";
import type { Ticket, User } from "@/db/schema";
import {
  decide,
  type Lookups,
  type MailFacts,
  type Rules,
} from "@/lib/mail-ingest/decide";

const now = new Date("2025-03-10T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

const ticket = (over: Partial<Ticket> = {}): Ticket =>
  ({
    id: "00000000-0000-4000-8000-000000000001",
    number: "123456",
    status: "open",
    closedAt: null,
    ...over,
  }) as Ticket;
const user = { id: "u1", name: "Ada", email: "ada@example.com" } as User;

const mail = (over: Partial<MailFacts> = {}): MailFacts => ({
  from: { address: "Ada@Example.com", name: "Ada" },
  subject: "Printer on fire",
  sizeBytes: 2_000,
  class: { kind: "normal" },
  ...over,
});
const found = (over: Partial<Lookups> = {}): Lookups => ({
  storedTicketId: null,
  ownMail: false,
  banned: false,
  recentFromSender: 0,
  thread: null,
  author: user,
  ...over,
});
const rules = (over: Partial<Rules> = {}): Rules => ({
  systemAddresses: ["support@portico.test"],
  now,
  ...over,
});

describe("decide", () => {
  it("answers a message already on a ticket as a duplicate, recorded only where refusals are", () => {
    const stored = found({ storedTicketId: "t9", banned: true });
    expect(decide(mail(), stored, rules())).toEqual({
      kind: "duplicate",
      ticketId: "t9",
      ledger: null,
    });
    expect(
      decide(mail(), stored, rules({ recordRefusals: true })),
    ).toMatchObject({
      kind: "duplicate",
      ledger: { outcome: "ignored", reason: "duplicate", ticketId: "t9" },
    });
  });

  it("takes a bounce's recipients and original, and always records it", () => {
    const bounce = mail({
      from: null,
      class: {
        kind: "bounce",
        reason: "X-Failed-Recipients header",
        failedRecipients: ["gone@example.com"],
        originalMessageId: "<out-1@portico.test>",
      },
    });
    expect(decide(bounce, found(), rules())).toEqual({
      kind: "bounce",
      failedRecipients: ["gone@example.com"],
      originalMessageId: "<out-1@portico.test>",
      ledger: { outcome: "bounce", reason: "X-Failed-Recipients header" },
    });
  });

  it("refuses a message without a sender", () => {
    const anonymous = mail({ from: null });
    expect(decide(anonymous, found(), rules())).toEqual({
      kind: "no-sender",
      ledger: null,
    });
    expect(decide(anonymous, found(), rules({ recordRefusals: true }))).toEqual(
      {
        kind: "no-sender",
        ledger: { outcome: "failed", reason: "no usable From address" },
      },
    );
  });

  it("ignores our own mail, by sender address or by Message-ID", () => {
    const ownMail = {
      kind: "own-mail",
      ledger: { outcome: "ignored", reason: "own_mail" },
    };
    const fromUs = mail({
      from: { address: " Support@Portico.test", name: "" },
    });
    expect(decide(fromUs, found(), rules())).toEqual(ownMail);
    expect(decide(mail(), found({ ownMail: true }), rules())).toEqual(ownMail);
  });

  it("refuses a banned sender, recorded only where refusals are", () => {
    expect(decide(mail(), found({ banned: true }), rules())).toEqual({
      kind: "banned",
      email: "Ada@Example.com",
      ledger: null,
    });
    expect(
      decide(mail(), found({ banned: true }), rules({ recordRefusals: true })),
    ).toMatchObject({
      kind: "banned",
      ledger: { outcome: "ignored", reason: "banned sender" },
    });
  });

  it("notes an auto-reply on its ticket, and ignores one without a ticket", () => {
    const auto = mail({
      class: { kind: "auto_reply", reason: "Auto-Submitted: auto-replied" },
    });
    const onTicket = ticket();
    expect(
      decide(
        auto,
        found({ thread: { ticket: onTicket, by: "header" } }),
        rules(),
      ),
    ).toEqual({
      kind: "auto-reply",
      ticket: onTicket,
      note: "Automatic reply from Ada@Example.com: Printer on fire",
      ledger: {
        outcome: "ignored",
        reason: "auto_reply: Auto-Submitted: auto-replied",
        ticketId: onTicket.id,
      },
    });
    expect(decide(auto, found(), rules())).toMatchObject({
      kind: "auto-reply",
      ticket: null,
      ledger: { ticketId: null },
    });
  });

  it("holds a message over the size limit first, then a sender over the hourly limit", () => {
    const limits = rules({ maxBytes: 1_000, senderLimitPerHour: 5 });
    expect(decide(mail(), found({ recentFromSender: 5 }), limits)).toEqual({
      kind: "hold",
      reason: "too_large",
      ledger: { outcome: "held", reason: "too_large" },
    });
    expect(
      decide(mail({ sizeBytes: 999 }), found({ recentFromSender: 5 }), limits),
    ).toMatchObject({ kind: "hold", reason: "rate_limited" });
    expect(
      decide(mail({ sizeBytes: 999 }), found({ recentFromSender: 4 }), limits),
    ).toMatchObject({ kind: "new-ticket" });
  });

  it("holds an unknown sender's first mail when so configured, not a reply on a thread", () => {
    const hold = rules({ unknownSenders: "hold" });
    expect(decide(mail(), found({ author: null }), hold)).toMatchObject({
      kind: "hold",
      reason: "unknown_sender",
    });
    expect(
      decide(
        mail(),
        found({ author: null, thread: { ticket: ticket(), by: "subject" } }),
        hold,
      ),
    ).toMatchObject({ kind: "reply" });
    expect(decide(mail(), found({ author: null }), rules())).toMatchObject({
      kind: "new-ticket",
      customer: null,
    });
  });

  it("lets a released message past every hold", () => {
    const strict = rules({
      maxBytes: 1,
      senderLimitPerHour: 1,
      unknownSenders: "hold",
      released: true,
    });
    expect(
      decide(mail(), found({ author: null, recentFromSender: 9 }), strict),
    ).toMatchObject({ kind: "new-ticket" });
  });

  it("replies on the thread's ticket, a closed one too while the reopen window lasts", () => {
    const closed = ticket({ status: "closed", closedAt: daysAgo(5) });
    expect(
      decide(
        mail(),
        found({ thread: { ticket: closed, by: "header" } }),
        rules({ reopenWindowDays: 7 }),
      ),
    ).toEqual({
      kind: "reply",
      ticket: closed,
      from: { address: "Ada@Example.com", name: "Ada" },
      author: user,
    });
  });

  it("opens a new ticket for a new message, or one continuing a ticket closed too long ago", () => {
    expect(decide(mail(), found(), rules())).toEqual({
      kind: "new-ticket",
      from: { address: "Ada@Example.com", name: "Ada" },
      customer: user,
      previous: null,
      ledgerReason: null,
    });
    const old = ticket({ status: "resolved", closedAt: daysAgo(30) });
    expect(
      decide(
        mail(),
        found({ thread: { ticket: old, by: "subject" } }),
        rules({ reopenWindowDays: 7 }),
      ),
    ).toMatchObject({
      kind: "new-ticket",
      previous: old,
      ledgerReason: "continues #123456",
    });
    // Without a window, any closed ticket reopens.
    expect(
      decide(
        mail(),
        found({ thread: { ticket: old, by: "subject" } }),
        rules(),
      ),
    ).toMatchObject({ kind: "reply", ticket: old });
  });
});
