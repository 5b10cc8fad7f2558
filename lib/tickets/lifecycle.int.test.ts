import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildOrder, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import {
  getAttachmentForCustomer,
  getTicketForCustomer,
  listTicketsForCustomer,
} from "@/lib/tickets/customer-queries";
import { listQueue } from "@/lib/tickets/queue-queries";
import { getTicketForStaff } from "@/lib/tickets/workspace-queries";
import {
  addAgentReply,
  addCustomerReply,
  addInternalNote,
  setTicketOpenByCustomer,
} from "@/lib/tickets/reply";
import { queueFiltersInput } from "@/lib/tickets/schemas";
import { bulkUpdateTickets, updateTicket } from "@/lib/tickets/update-ticket";

let t: TestDb;
let topicId: number;
let department: s.Department;
beforeAll(async () => {
  t = await createTestDb();
  const [plan] = await t.db
    .insert(s.slaPlans)
    .values({ name: "Standard", gracePeriodHours: 8 })
    .returning();
  department = await buildDepartment(t.db, {
    name: "Support",
    slaPlanId: plan!.id,
  });
  const [topic] = await t.db
    .insert(s.helpTopics)
    .values({
      name: "Hosting problem",
      departmentId: department.id,
      priority: "high",
      slaPlanId: plan!.id,
    })
    .returning();
  topicId = topic!.id;
});
afterAll(() => t.close());

const mailsFor = (ticketId: string) =>
  t.db
    .select()
    .from(s.outboundMail)
    .where(eq(s.outboundMail.ticketId, ticketId))
    .orderBy(asc(s.outboundMail.createdAt));

async function setup() {
  const customer = await buildUser(t.db, { name: "Cora Customer" });
  const agent = await buildUser(t.db, { role: "agent", name: "Ada Agent" });
  await t.db
    .insert(s.departmentMembers)
    .values({ departmentId: department.id, userId: agent.id });
  return { customer, agent };
}

describe("ticket lifecycle", () => {
  it("opens a ticket from a help topic with its SLA, a six-digit number, an acknowledgement and an agent alert", async () => {
    const { customer, agent } = await setup();
    const now = new Date("2026-05-04T09:00:00Z");
    const order = await buildOrder(t.db, { customer });
    const file = {
      name: "error.png",
      type: "image/png",
      data: new Uint8Array([137, 80, 78, 71]),
    };
    const r = await openTicketForCustomer(
      t.db,
      customer.viewer,
      {
        helpTopicId: topicId,
        subject: "Site down",
        message: "It shows 502.",
        orderId: order.id,
      },
      [file],
      now,
    );
    expect(r.ok).toBe(true);
    const ticket = r.ok ? r.value : null!;
    expect(ticket.number).toMatch(/^[0-9]{6}$/);
    expect(ticket).toMatchObject({
      status: "open",
      priority: "high",
      departmentId: department.id,
      orderId: order.id,
      source: "web",
    });
    expect(ticket.dueAt).toEqual(new Date("2026-05-04T17:00:00Z"));

    const mails = await mailsFor(ticket.id);
    expect(mails.map((m) => [m.kind, m.toAddress])).toEqual(
      expect.arrayContaining([
        ["ticket_acknowledgement", customer.email],
        ["new_ticket_alert", agent.email],
      ]),
    );
    for (const m of mails)
      expect(m.subject).toContain(`[TICKET-${ticket.number}]`);
    const ack = mails.find((m) => m.kind === "ticket_acknowledgement")!;
    expect(ack.references).toContain(`ticket-${ticket.id}@`);

    const seen = await getTicketForCustomer(
      t.db,
      customer.viewer,
      ticket.number,
    );
    expect(seen?.attachments.map((a) => a.filename)).toEqual(["error.png"]);
    const download = await getAttachmentForCustomer(
      t.db,
      customer.viewer,
      ticket.number,
      seen!.attachments[0]!.id,
    );
    expect(Array.from(download!.data)).toEqual([137, 80, 78, 71]);
    expect(download!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses another customer's order and a missing topic with field errors", async () => {
    const { customer } = await setup();
    const stranger = await buildUser(t.db);
    const strangersOrder = await buildOrder(t.db, { customer: stranger });
    const r = await openTicketForCustomer(
      t.db,
      customer.viewer,
      {
        helpTopicId: topicId,
        subject: "Help",
        message: "x",
        orderId: strangersOrder.id,
      },
      [],
    );
    expect(!r.ok && r.error.fields).toEqual({
      orderId: ["Choose one of your orders."],
    });
    const noTopic = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: 99999, subject: "Help", message: "x" },
      [],
    );
    expect(!noTopic.ok && noTopic.error.fields).toEqual({
      helpTopicId: ["Choose a help topic."],
    });
  });

  it("threads the agent's reply to the customer, records the first response and keeps notes from the customer", async () => {
    const { customer, agent } = await setup();
    const opened = await openTicketForCustomer(
      t.db,
      customer.viewer,
      {
        helpTopicId: topicId,
        subject: "Mail bounce",
        message: "Mails bounce.",
      },
      [],
      new Date("2026-05-04T09:00:00Z"),
    );
    const number = opened.ok ? opened.value.number : "";
    await addInternalNote(
      t.db,
      agent.viewer,
      { number, message: "Their SPF record is wrong." },
      [],
      new Date("2026-05-04T09:05:00Z"),
    );
    const replied = await addAgentReply(
      t.db,
      agent.viewer,
      { number, message: "Please check your SPF record.", status: "pending" },
      [],
      new Date("2026-05-04T09:10:00Z"),
    );
    expect(replied.ok && replied.value).toMatchObject({
      status: "pending",
      assigneeId: agent.id,
      firstResponseAt: new Date("2026-05-04T09:10:00Z"),
    });

    const mails = await mailsFor(opened.ok ? opened.value.id : "");
    const reply = mails.find((m) => m.kind === "agent_reply")!;
    const earlier = mails.filter((m) => m !== reply).map((m) => m.messageId);
    expect(reply.toAddress).toBe(customer.email);
    expect(reply.bodyText).toContain("Please check your SPF record.");
    expect(reply.bodyText).not.toContain("SPF record is wrong");
    expect(earlier).toContain(reply.inReplyTo);
    for (const id of earlier) expect(reply.references).toContain(id);

    const customerView = await getTicketForCustomer(
      t.db,
      customer.viewer,
      number,
    );
    expect(customerView?.messages.map((m) => m.kind)).toEqual([
      "customer",
      "reply",
    ]);
    const staffView = await getTicketForStaff(t.db, number);
    const items = staffView!.thread.map((i) =>
      i.type === "message" ? i.message.kind : i.event.action,
    );
    // The reply and the changes it made share a timestamp: the message comes first, then its events.
    expect(items).toEqual([
      "customer",
      "note",
      "reply",
      "ticket.assigned",
      "ticket.status_changed",
    ]);
    // Customers can't find a ticket through words that only appear in a note.
    expect(
      (
        await listTicketsForCustomer(t.db, customer.viewer, {
          status: "all",
          page: 1,
          q: "SPF wrong",
        })
      ).total,
    ).toBe(0);
  });

  it("alerts the assignee when the customer answers, and a reply reopens a resolved ticket", async () => {
    const { customer, agent } = await setup();
    const opened = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: topicId, subject: "Reopen me", message: "Hi" },
      [],
    );
    const number = opened.ok ? opened.value.number : "";
    await addAgentReply(
      t.db,
      agent.viewer,
      { number, message: "Fixed.", status: "resolved" },
      [],
    );
    const r = await addCustomerReply(
      t.db,
      customer.viewer,
      { number, message: "Still broken." },
      [],
      new Date("2026-06-01T10:00:00Z"),
    );
    expect(r.ok && r.value.reopened).toBe(true);
    expect(r.ok && r.value.ticket).toMatchObject({
      status: "open",
      closedAt: null,
      dueAt: new Date("2026-06-01T18:00:00Z"),
    });
    const alert = (await mailsFor(opened.ok ? opened.value.id : "")).find(
      (m) => m.kind === "customer_reply_alert",
    );
    expect(alert?.toAddress).toBe(agent.email);
    expect(alert?.bodyText).toContain("Still broken.");
  });

  it("lets the customer close and reopen, and never act on someone else's ticket", async () => {
    const { customer } = await setup();
    const other = await buildUser(t.db);
    const opened = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: topicId, subject: "Close me", message: "Hi" },
      [],
    );
    const number = opened.ok ? opened.value.number : "";
    expect(
      (await setTicketOpenByCustomer(t.db, other.viewer, number, false)).ok,
    ).toBe(false);
    expect(
      (
        await addCustomerReply(
          t.db,
          other.viewer,
          { number, message: "let me in" },
          [],
        )
      ).ok,
    ).toBe(false);
    const closed = await setTicketOpenByCustomer(
      t.db,
      customer.viewer,
      number,
      false,
    );
    expect(closed.ok && closed.value.status).toBe("closed");
    const reopened = await setTicketOpenByCustomer(
      t.db,
      customer.viewer,
      number,
      true,
    );
    expect(reopened.ok && reopened.value.status).toBe("open");
  });

  it("records every property change as an event with names", async () => {
    const { customer, agent } = await setup();
    const other = await buildUser(t.db, { role: "agent", name: "Bo Backup" });
    const sales = await buildDepartment(t.db, { name: "Sales dept" });
    const opened = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: topicId, subject: "Events", message: "Hi" },
      [],
    );
    const number = opened.ok ? opened.value.number : "";
    await updateTicket(t.db, agent.viewer, { number, assigneeId: agent.id });
    await updateTicket(t.db, agent.viewer, {
      number,
      assigneeId: other.id,
      priority: "emergency",
      departmentId: sales.id,
    });
    await updateTicket(t.db, agent.viewer, { number, status: "closed" });
    const refused = await updateTicket(t.db, agent.viewer, {
      number,
      assigneeId: customer.id,
    });
    expect(!refused.ok && refused.error.fields?.assigneeId).toBeDefined();

    const events = (await getTicketForStaff(t.db, number))!.thread.flatMap(
      (i) => (i.type === "event" ? [[i.event.action, i.event.data]] : []),
    );
    expect(events).toEqual([
      ["ticket.assigned", { from: null, to: "Ada Agent", toId: agent.id }],
      [
        "ticket.assigned",
        { from: "Ada Agent", to: "Bo Backup", toId: other.id },
      ],
      ["ticket.priority_changed", { from: "high", to: "emergency" }],
      ["ticket.department_changed", { from: "Support", to: "Sales dept" }],
      ["ticket.status_changed", { from: "open", to: "closed" }],
    ]);
    const [row] = await t.db
      .select()
      .from(s.tickets)
      .where(eq(s.tickets.number, number));
    expect(row).toMatchObject({ status: "closed", dueAt: null });
    expect(row!.closedAt).not.toBeNull();
  });
});

describe("staff queue", () => {
  it("filters by view, searches subjects and messages, counts each view, and bulk-assigns", async () => {
    const { customer, agent } = await setup();
    const now = new Date("2026-07-01T12:00:00Z");
    const open = async (subject: string, message: string, at: Date) => {
      const r = await openTicketForCustomer(
        t.db,
        customer.viewer,
        { helpTopicId: topicId, subject, message },
        [],
        at,
      );
      return r.ok ? r.value : null!;
    };
    const overdue = await open(
      "Certificate expired",
      "The TLS certificate on shop.example expired.",
      new Date("2026-06-30T00:00:00Z"),
    );
    const fresh = await open(
      "Question about invoices",
      "Where can I download invoices?",
      new Date("2026-07-01T11:00:00Z"),
    );
    const waiting = await open(
      "Which DNS records?",
      "We asked the customer for their DNS records.",
      new Date("2026-06-30T00:00:00Z"),
    );
    // Past due, but waiting on the customer: the team owes nothing yet.
    await t.db
      .update(s.tickets)
      .set({ status: "pending" })
      .where(eq(s.tickets.id, waiting.id));
    const filters = (q: Record<string, string>) => queueFiltersInput.parse(q);

    const page = await listQueue(
      t.db,
      agent.viewer,
      filters({ view: "overdue" }),
      now,
    );
    expect(page.rows.map((r) => r.id)).toContain(overdue.id);
    expect(page.rows.map((r) => r.id)).not.toContain(fresh.id);
    expect(page.rows.map((r) => r.id)).not.toContain(waiting.id);
    expect(page.counts.overdue).toBe(page.total);

    const search = await listQueue(
      t.db,
      agent.viewer,
      filters({ view: "all", q: "certificates" }),
      now,
    );
    expect(search.rows.map((r) => r.id)).toEqual([overdue.id]); // stemmed match in the message body
    const byNumber = await listQueue(
      t.db,
      agent.viewer,
      filters({ view: "all", q: fresh.number }),
      now,
    );
    expect(byNumber.rows.map((r) => r.id)).toEqual([fresh.id]);

    const before = await listQueue(t.db, agent.viewer, filters({}), now);
    const bulk = await bulkUpdateTickets(t.db, agent.viewer, {
      ids: [overdue.id, fresh.id],
      assigneeId: agent.id,
    });
    expect(bulk.ok && bulk.value.updated).toBe(2);
    const after = await listQueue(
      t.db,
      agent.viewer,
      filters({ view: "mine" }),
      now,
    );
    expect(after.counts.mine).toBe(before.counts.mine + 2);
    expect(after.counts.unassigned).toBe(before.counts.unassigned - 2);
    expect(after.rows.every((r) => r.assigneeId === agent.id)).toBe(true);
    const assigned = await t.db
      .select()
      .from(s.auditLog)
      .where(
        and(
          eq(s.auditLog.ticketId, fresh.id),
          eq(s.auditLog.action, "ticket.assigned"),
        ),
      );
    expect(assigned).toHaveLength(1);
  });

  it("caps the total of a very broad search, and still finds the newest first", async () => {
    const { customer, agent } = await setup();
    // 1,005 tickets sharing a word, inserted in one statement; the trigger indexes each subject.
    await t.db.execute(sql`
      insert into tickets (number, subject, source, department_id, customer_id, last_message_at)
      select lpad((900000 + g)::text, 6, '0'), 'Widget broken ' || g, 'web', ${department.id}, ${customer.id},
             now() - make_interval(mins => g)
      from generate_series(1, 1005) g
      on conflict (number) do nothing`); // a random earlier number may sit in this range
    const page = await listQueue(
      t.db,
      agent.viewer,
      queueFiltersInput.parse({ view: "all", q: "widget" }),
      new Date(),
    );
    expect(page).toMatchObject({ total: 1000, totalIsCapped: true });
    expect(page.rows[0]?.subject).toBe("Widget broken 1");
    const narrow = await listQueue(
      t.db,
      agent.viewer,
      queueFiltersInput.parse({ view: "all", q: "widget broken 1004" }),
      new Date(),
    );
    expect(narrow.totalIsCapped).toBe(false);
    // Views without a search always count exactly.
    const all = await listQueue(
      t.db,
      agent.viewer,
      queueFiltersInput.parse({ view: "all" }),
      new Date(),
    );
    expect(all.totalIsCapped).toBe(false);
    expect(all.total).toBeGreaterThan(1000);
  });
});
