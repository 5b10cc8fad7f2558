import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { runAutoCloseJob } from "@/lib/jobs/auto-close-job";
import { withJobLease } from "@/lib/jobs/lease";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { addAgentReply, addCustomerReply } from "@/lib/tickets/reply";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

// Resolved tickets close themselves after AUTO_CLOSE_DAYS without a word from the customer: with a
// note and an audit entry, no mail, once.

let t: TestDb;
let topicId: number;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = setTestEnv({ AUTO_CLOSE_DAYS: "7" });
  t = await createTestDb();
  const department = await buildDepartment(t.db, { name: "Support" });
  const [topic] = await t.db
    .insert(s.helpTopics)
    .values({ name: "General", departmentId: department.id })
    .returning();
  topicId = topic!.id;
});
afterAll(async () => {
  restoreEnv();
  await t?.close();
});

const now = new Date("2026-06-20T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

async function ticketWith(
  status: "resolved" | "open" | "pending",
  answeredDaysAgo: number,
) {
  const customer = await buildUser(t.db, { name: "Cora Customer" });
  const agent = await buildUser(t.db, { role: "agent", name: "Ada Agent" });
  const opened = await openTicketForCustomer(
    t.db,
    customer.viewer,
    { helpTopicId: topicId, subject: "Site down", message: "It shows 502." },
    [],
    daysAgo(answeredDaysAgo + 1),
  );
  if (!opened.ok) throw new Error(opened.error.message);
  const replied = await addAgentReply(
    t.db,
    agent.viewer,
    { number: opened.value.number, message: "Fixed the proxy.", status },
    [],
    daysAgo(answeredDaysAgo),
  );
  if (!replied.ok) throw new Error(replied.error.message);
  return { customer, agent, ticket: replied.value };
}

const reload = async (id: string) =>
  (await t.db.select().from(s.tickets).where(eq(s.tickets.id, id)))[0]!;

describe("auto-close", () => {
  it("tells the customer in the resolution mail", async () => {
    const { ticket } = await ticketWith("resolved", 1);
    const [mail] = await t.db
      .select()
      .from(s.outboundMail)
      .where(
        and(
          eq(s.outboundMail.ticketId, ticket.id),
          eq(s.outboundMail.kind, "agent_reply"),
        ),
      );
    expect(mail!.bodyText).toContain(
      "the ticket closes by itself after 7 days without a reply from you",
    );

    const { ticket: waiting } = await ticketWith("pending", 1);
    const [other] = await t.db
      .select()
      .from(s.outboundMail)
      .where(
        and(
          eq(s.outboundMail.ticketId, waiting.id),
          eq(s.outboundMail.kind, "agent_reply"),
        ),
      );
    expect(other!.bodyText).not.toContain("closes by itself");
  });

  it("closes only tickets resolved more than N days ago without a customer reply since, once, quietly", async () => {
    const stale = await ticketWith("resolved", 8);
    const recent = await ticketWith("resolved", 3);
    const oldOpen = await ticketWith("open", 30);
    const oldPending = await ticketWith("pending", 30);
    // Resolved long ago, but the customer wrote since (a reply reopens it).
    const answered = await ticketWith("resolved", 10);
    await addCustomerReply(
      t.db,
      answered.customer.viewer,
      { number: answered.ticket.number, message: "Still broken." },
      [],
      daysAgo(9),
    );
    await addAgentReply(
      t.db,
      answered.agent.viewer,
      {
        number: answered.ticket.number,
        message: "Now fixed.",
        status: "resolved",
      },
      [],
      daysAgo(2),
    );
    const mailsBefore = (await t.db.select().from(s.outboundMail)).length;

    const first = await runAutoCloseJob(t.db, { now, days: 7 });
    expect(first).toMatchObject({ ran: true });
    expect((await reload(stale.ticket.id)).status).toBe("closed");
    expect((await reload(recent.ticket.id)).status).toBe("resolved");
    expect((await reload(oldOpen.ticket.id)).status).toBe("open");
    expect((await reload(oldPending.ticket.id)).status).toBe("pending");
    expect((await reload(answered.ticket.id)).status).toBe("resolved");

    const second = await runAutoCloseJob(t.db, { now, days: 7 });
    expect(second).toMatchObject({ ran: true, closed: 0 });

    const notes = await t.db
      .select()
      .from(s.ticketMessages)
      .where(
        and(
          eq(s.ticketMessages.ticketId, stale.ticket.id),
          eq(s.ticketMessages.kind, "note"),
        ),
      );
    expect(notes.map((n) => n.bodyText)).toEqual([
      expect.stringContaining("Closed automatically: resolved 7 days ago"),
    ]);
    const audits = await t.db
      .select()
      .from(s.auditLog)
      .where(
        and(
          eq(s.auditLog.ticketId, stale.ticket.id),
          eq(s.auditLog.action, "ticket.closed"),
        ),
      );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.data).toMatchObject({ by: "auto_close" });
    // No mail storm: closing sends nothing.
    expect((await t.db.select().from(s.outboundMail)).length).toBe(mailsBefore);
  });

  it("does not close a resolved ticket the customer wrote on after the resolution", async () => {
    const { ticket } = await ticketWith("resolved", 20);
    // A message that did not reopen it (as an import might leave it) still counts.
    await t.db.insert(s.ticketMessages).values({
      ticketId: ticket.id,
      kind: "customer",
      authorName: "Cora Customer",
      source: "email",
      bodyText: "Thanks!",
      createdAt: daysAgo(15),
    });
    await runAutoCloseJob(t.db, { now, days: 7 });
    expect((await reload(ticket.id)).status).toBe("resolved");
  });

  it("is off at 0 days and waits while another instance holds its lease", async () => {
    const { ticket } = await ticketWith("resolved", 40);
    expect(await runAutoCloseJob(t.db, { now, days: 0 })).toEqual({
      ran: false,
      reason: "off",
    });
    await withJobLease(
      t.db,
      "auto-close",
      { now, leaseMs: 60_000 },
      async () => {
        expect(await runAutoCloseJob(t.db, { now, days: 7 })).toEqual({
          ran: false,
          reason: "locked",
        });
      },
    );
    expect((await reload(ticket.id)).status).toBe("resolved");
  });
});
