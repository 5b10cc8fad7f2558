import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as s from "@/db/schema";
import type * as Numbers from "@/lib/tickets/numbers";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { openTicket, type TicketOpening } from "@/lib/tickets/open-ticket";
import { listTicketsForCustomer } from "@/lib/tickets/customer-queries";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput } from "@/lib/tickets/schemas";

// The draws of ticket numbers, scripted per test; anything unscripted is random as in production.
const draws: string[] = [];
vi.mock("@/lib/tickets/numbers", async (original) => {
  const real = await original<typeof Numbers>();
  return {
    ...real,
    randomTicketNumber: () => draws.shift() ?? real.randomTicketNumber(),
  };
});

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await buildDepartment(t.db, { name: "Support" }); // the first: where untargeted tickets go
});
afterAll(() => t.close());

async function opening(
  over: Partial<TicketOpening> = {},
): Promise<TicketOpening> {
  const customer = await buildUser(t.db, { name: "Cora Customer" });
  return {
    customer,
    actor: { kind: "api" },
    source: "api",
    subject: "Mail bounces",
    text: "Every message to example.org bounces.",
    ...over,
  };
}

async function opened(t2: TicketOpening, db = t.db) {
  const r = await openTicket(db, t2, new Date("2026-05-04T09:00:00Z"));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const rowsOf = async (ticketId: string) => ({
  messages: await t.db
    .select()
    .from(s.ticketMessages)
    .where(eq(s.ticketMessages.ticketId, ticketId))
    .orderBy(asc(s.ticketMessages.kind)),
  mail: await t.db
    .select()
    .from(s.outboundMail)
    .where(eq(s.outboundMail.ticketId, ticketId)),
  audit: await t.db
    .select()
    .from(s.auditLog)
    .where(eq(s.auditLog.ticketId, ticketId)),
});

const viewerOf = (o: TicketOpening) => ({
  ...o.customer,
  role: "customer" as const,
  emailVerified: true,
});

async function agentOf(department: s.Department, over: Partial<s.NewUser>) {
  const agent = await buildUser(t.db, { role: "agent", ...over });
  await t.db
    .insert(s.departmentMembers)
    .values({ departmentId: department.id, userId: agent.id });
  return agent;
}

describe("openTicket", () => {
  it("draws another number when the first is taken, and writes nothing twice", async () => {
    const first = await opened(await opening());
    draws.push(first.number, first.number, "700001");
    const second = await opened(await opening({ systemNote: "Dropped x.exe" }));
    expect(second.number).toBe("700001");
    const rows = await rowsOf(second.id);
    expect(rows.messages.map((m) => m.kind)).toEqual(["customer", "note"]);
    expect(rows.messages.find((m) => m.kind === "customer")?.id).toBe(
      second.firstMessageId,
    );
    expect(rows.audit.map((a) => a.action)).toEqual(["ticket.opened"]);
    for (const m of rows.mail) expect(m.subject).toContain("[TICKET-700001]");
    // The first ticket kept its own thread.
    expect((await rowsOf(first.id)).messages).toHaveLength(1);
  });

  it("draws again inside a caller's transaction and leaves that transaction usable", async () => {
    const first = await opened(await opening());
    draws.push(first.number, "700002");
    const t2 = await opening();
    const { ticket, customers } = await t.db.transaction(async (tx) => {
      const ticket = await opened(t2, tx);
      const customers = await tx
        .select({ id: s.users.id })
        .from(s.users)
        .where(eq(s.users.id, t2.customer.id));
      return { ticket, customers };
    });
    expect(ticket.number).toBe("700002");
    expect(customers).toHaveLength(1);
    expect((await rowsOf(ticket.id)).messages).toHaveLength(1);
  });

  it("routes by an active topic, with its plan and priority, and alerts only reachable agents", async () => {
    const [plan] = await t.db
      .insert(s.slaPlans)
      .values({ name: "Four hours", gracePeriodHours: 4 })
      .returning();
    const department = await buildDepartment(t.db, { name: "Hosting" });
    const [topic] = await t.db
      .insert(s.helpTopics)
      .values({
        name: "Server down",
        departmentId: department.id,
        priority: "emergency",
        slaPlanId: plan!.id,
      })
      .returning();
    const ada = await agentOf(department, { name: "Ada" });
    await agentOf(department, { deactivatedAt: new Date() });
    await agentOf(department, { emailUndeliverableAt: new Date() });

    const ticket = await opened(await opening({ helpTopicId: topic!.id }));
    expect(ticket).toMatchObject({
      departmentId: department.id,
      helpTopicId: topic!.id,
      slaPlanId: plan!.id,
      priority: "emergency",
      dueAt: new Date("2026-05-04T13:00:00Z"),
    });
    const alerts = (await rowsOf(ticket.id)).mail.filter(
      (m) => m.kind === "new_ticket_alert",
    );
    expect(alerts.map((m) => m.toAddress)).toEqual([ada.email]);

    const quiet = await opened(
      await opening({ helpTopicId: topic!.id, alert: false }),
    );
    expect((await rowsOf(quiet.id)).mail.map((m) => m.kind)).toEqual([
      "ticket_acknowledgement",
    ]);
  });

  it("ignores an inactive topic and an inactive plan: the given department, no due time", async () => {
    const [plan] = await t.db
      .insert(s.slaPlans)
      .values({ name: "Retired plan", gracePeriodHours: 2, isActive: false })
      .returning();
    const sales = await buildDepartment(t.db, { slaPlanId: plan!.id });
    const elsewhere = await buildDepartment(t.db);
    const [topic] = await t.db
      .insert(s.helpTopics)
      .values({
        name: "Old topic",
        departmentId: elsewhere.id,
        priority: "high",
        isActive: false,
      })
      .returning();
    const ticket = await opened(
      await opening({ helpTopicId: topic!.id, departmentId: sales.id }),
    );
    expect(ticket).toMatchObject({
      departmentId: sales.id,
      helpTopicId: null,
      slaPlanId: null,
      priority: "normal",
      dueAt: null,
    });
  });

  it("refuses a department that does not exist", async () => {
    const r = await openTicket(t.db, await opening({ departmentId: 999_999 }));
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("writes the ticket's row once, already findable by its first message", async () => {
    const o = await opening({ text: "The zebrafish printer jams again." });
    // The table's row writes by this connection, from PostgreSQL's statistics: read before and
    // after in one transaction, where nothing else adds to them.
    const { id, stats } = await t.db.transaction(async (tx) => {
      const writes = async () => {
        const [row] = await tx
          .select({
            ins: sql<number>`n_tup_ins::int`,
            upd: sql<number>`n_tup_upd::int`,
          })
          .from(sql`pg_stat_xact_user_tables`)
          .where(sql`relname = 'tickets'`);
        return row ?? { ins: 0, upd: 0 };
      };
      const before = await writes();
      const ticket = await opened(o, tx);
      const after = await writes();
      return {
        id: ticket.id,
        stats: { ins: after.ins - before.ins, upd: after.upd - before.upd },
      };
    });
    // Two row versions would mean the message's trigger wrote the ticket again.
    expect(stats).toEqual({ ins: 1, upd: 0 });
    const found = await listTicketsForCustomer(t.db, viewerOf(o), {
      status: "all",
      page: 1,
      q: "zebrafish",
    });
    expect(found.rows.map((r) => r.id)).toEqual([id]);
  });

  it("keeps a system note's words out of the customer's search, not the agents'", async () => {
    const o = await opening({
      text: "Printer offline.",
      systemNote: "Attachment quarantined by the scanner",
    });
    const ticket = await opened(o);
    const search = (q: string) =>
      listTicketsForCustomer(t.db, viewerOf(o), { status: "all", page: 1, q });
    expect((await search("printer")).rows.map((r) => r.id)).toEqual([
      ticket.id,
    ]);
    expect((await search("quarantine")).rows).toEqual([]);
    const agent = await buildUser(t.db, { role: "agent" });
    const staff = await listQueue(
      t.db,
      agent.viewer,
      queueFiltersInput.parse({ view: "all", q: "quarantine" }),
      new Date(),
    );
    expect(staff.rows.map((r) => r.id)).toEqual([ticket.id]);
  });
});
