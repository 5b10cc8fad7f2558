import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { ingestMail } from "@/lib/mail-ingest/ingest";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { listQueue } from "@/lib/tickets/queue-queries";
import {
  addAgentReply,
  addCustomerReply,
  setTicketOpenByCustomer,
} from "@/lib/tickets/reply";
import { queueFiltersInput } from "@/lib/tickets/schemas";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { editingPlan } from "@/lib/tickets/sla-clock";
import {
  addSlaHoliday,
  setSlaPlanHours,
  updateSlaPlan,
} from "@/lib/helpdesk/sla-plans";

// The SLA clock on a plan with office hours, Mon–Fri 09:00–17:00 in Berlin (UTC+1 in January),
// an 8-hour grace period and a holiday on Tuesday 13 January 2026.
const nineToFive = [{ start: "09:00", end: "17:00" }];
const HOURS = {
  mon: nineToFive,
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: nineToFive,
  sat: [],
  sun: [],
};

let t: TestDb;
let topicId: number;
let officePlanId: number;
let urgentDepartmentId: number;
beforeAll(async () => {
  t = await createTestDb();
  const [plan] = await t.db
    .insert(s.slaPlans)
    .values({
      name: "Office hours",
      gracePeriodHours: 8,
      businessHours: HOURS,
      timeZone: "Europe/Berlin",
    })
    .returning();
  await t.db
    .insert(s.slaHolidays)
    .values({ slaPlanId: plan!.id, day: "2026-01-13", name: "Company day" });
  const department = await buildDepartment(t.db, {
    name: "Support",
    slaPlanId: plan!.id,
  });
  const [topic] = await t.db
    .insert(s.helpTopics)
    .values({ name: "Hosting", departmentId: department.id })
    .returning();
  topicId = topic!.id;
  officePlanId = plan!.id;
  const [urgent] = await t.db
    .insert(s.slaPlans)
    .values({ name: "Two hours, any time", gracePeriodHours: 2 })
    .returning();
  urgentDepartmentId = (
    await buildDepartment(t.db, { name: "Escalations", slaPlanId: urgent!.id })
  ).id;
});
afterAll(() => t.close());

const at = (iso: string) => new Date(iso);

async function openAt(now: Date) {
  const customer = await buildUser(t.db, { name: "Cora Customer" });
  const agent = await buildUser(t.db, { role: "agent", name: "Ada Agent" });
  const r = await openTicketForCustomer(
    t.db,
    customer.viewer,
    { helpTopicId: topicId, subject: "Site down", message: "It shows 502." },
    [],
    now,
  );
  if (!r.ok) throw new Error(r.error.message);
  return { customer, agent, ticket: r.value };
}

const reload = async (id: string) =>
  (await t.db.select().from(s.tickets).where(eq(s.tickets.id, id)))[0]!;

const overdueNumbers = async (
  agent: Awaited<ReturnType<typeof buildUser>>,
  now: Date,
) =>
  (
    await listQueue(
      t.db,
      agent.viewer,
      queueFiltersInput.parse({ view: "overdue" }),
      now,
    )
  ).rows.map((r) => r.number);

describe("SLA due time in business hours", () => {
  it("counts only working hours from a ticket opened late on Friday, skipping the weekend", async () => {
    // Fri 16:00 Berlin: 1 h Friday, 7 h Monday → Mon 16:00 Berlin.
    const { ticket } = await openAt(at("2026-01-09T15:00:00Z"));
    expect(ticket.dueAt).toEqual(at("2026-01-12T15:00:00Z"));
    expect(ticket.slaPausedAt).toBeNull();
  });

  it("skips the plan's holidays", async () => {
    // Mon 16:00 Berlin: 1 h Monday, Tuesday is a holiday, 7 h Wednesday.
    const { ticket } = await openAt(at("2026-01-12T15:00:00Z"));
    expect(ticket.dueAt).toEqual(at("2026-01-14T15:00:00Z"));
  });
});

describe("SLA clock pauses while the ticket waits on the customer", () => {
  it("pauses when an agent sets pending, and moves the due time on by the working hours waited when set open again", async () => {
    // Opened Thu 8 Jan 10:00 Berlin: due Fri 10:00 Berlin.
    const { agent, ticket } = await openAt(at("2026-01-08T09:00:00Z"));
    expect(ticket.dueAt).toEqual(at("2026-01-09T09:00:00Z"));

    const paused = await updateTicket(
      t.db,
      agent.viewer,
      { number: ticket.number, status: "pending" },
      at("2026-01-08T13:00:00Z"), // Thu 14:00 Berlin
    );
    expect(paused.ok && paused.value.slaPausedAt).toEqual(
      at("2026-01-08T13:00:00Z"),
    );
    // Long past the old due time, but the team is waiting: not overdue.
    expect(
      await overdueNumbers(agent, at("2026-01-12T12:00:00Z")),
    ).not.toContain(ticket.number);

    // Open again Mon 12 Jan 13:00 Berlin: waited Thu 14–17, Fri 9–17, Mon 9–13 = 15 working hours.
    const resumed = await updateTicket(
      t.db,
      agent.viewer,
      { number: ticket.number, status: "open" },
      at("2026-01-12T12:00:00Z"),
    );
    expect(resumed.ok).toBe(true);
    const after = await reload(ticket.id);
    expect(after.slaPausedAt).toBeNull();
    // Fri 10:00 + 15 working hours: Fri 10–17 (7 h), Mon 9–17 (8 h) → Mon 17:00 Berlin.
    expect(after.dueAt).toEqual(at("2026-01-12T16:00:00Z"));
    expect(
      await overdueNumbers(agent, at("2026-01-12T15:59:00Z")),
    ).not.toContain(ticket.number);
    expect(await overdueNumbers(agent, at("2026-01-12T16:01:00Z"))).toContain(
      ticket.number,
    );
  });

  it("pauses on an agent's reply that waits for the customer and resumes on the customer's web reply", async () => {
    const { customer, agent, ticket } = await openAt(
      at("2026-01-05T08:00:00Z"), // Mon 09:00 Berlin: due Mon 17:00
    );
    await addAgentReply(
      t.db,
      agent.viewer,
      { number: ticket.number, message: "Which domain?", status: "pending" },
      [],
      at("2026-01-05T09:00:00Z"), // Mon 10:00
    );
    expect((await reload(ticket.id)).slaPausedAt).toEqual(
      at("2026-01-05T09:00:00Z"),
    );
    const r = await addCustomerReply(
      t.db,
      customer.viewer,
      { number: ticket.number, message: "example.com" },
      [],
      at("2026-01-05T11:00:00Z"), // Mon 12:00: waited 2 h
    );
    expect(r.ok).toBe(true);
    const after = await reload(ticket.id);
    expect(after).toMatchObject({ status: "open", slaPausedAt: null });
    // Mon 17:00 + 2 working hours → Tue 11:00 Berlin.
    expect(after.dueAt).toEqual(at("2026-01-06T10:00:00Z"));
  });

  it("resumes when the customer answers by mail", async () => {
    const { customer, agent, ticket } = await openAt(
      at("2026-01-15T08:00:00Z"), // Thu 09:00 Berlin: due Thu 17:00
    );
    await addAgentReply(
      t.db,
      agent.viewer,
      { number: ticket.number, message: "Which domain?", status: "pending" },
      [],
      at("2026-01-15T14:00:00Z"), // Thu 15:00
    );
    const [reply] = await t.db
      .select()
      .from(s.outboundMail)
      .where(eq(s.outboundMail.ticketId, ticket.id))
      .orderBy(asc(s.outboundMail.createdAt));
    const raw = new TextEncoder().encode(
      [
        `From: Cora Customer <${customer.email}>`,
        "To: support@portico.test",
        `Subject: Re: [#${ticket.number}] Site down`,
        "Message-ID: <sla-clock-answer@example.com>",
        `In-Reply-To: ${reply!.messageId}`,
        "Date: Fri, 16 Jan 2026 10:00:00 +0000",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "example.com, thanks.",
        "",
      ].join("\r\n"),
    );
    const outcome = await ingestMail(
      t.db,
      raw,
      { receivingAddress: "support@portico.test" },
      {
        systemAddresses: [],
        now: at("2026-01-16T10:00:00Z"), // Fri 11:00: waited Thu 15–17 and Fri 9–11 = 4 h
        recordRefusals: true,
        unknownSenders: "hold",
      },
    );
    expect(outcome.kind).toBe("replied");
    const after = await reload(ticket.id);
    expect(after).toMatchObject({ status: "open", slaPausedAt: null });
    // Thu 17:00 + 4 working hours → Fri 13:00 Berlin.
    expect(after.dueAt).toEqual(at("2026-01-16T12:00:00Z"));
  });

  it("clears the clock when resolved, and a customer reopening starts a fresh grace period", async () => {
    const { customer, agent, ticket } = await openAt(
      at("2026-01-05T08:00:00Z"),
    );
    await updateTicket(
      t.db,
      agent.viewer,
      { number: ticket.number, status: "pending" },
      at("2026-01-05T09:00:00Z"),
    );
    await updateTicket(
      t.db,
      agent.viewer,
      { number: ticket.number, status: "resolved" },
      at("2026-01-05T10:00:00Z"),
    );
    expect(await reload(ticket.id)).toMatchObject({
      dueAt: null,
      slaPausedAt: null,
    });
    await setTicketOpenByCustomer(
      t.db,
      customer.viewer,
      ticket.number,
      true,
      at("2026-01-16T15:00:00Z"), // Fri 16:00 Berlin: 1 h Friday, 7 h Monday
    );
    expect((await reload(ticket.id)).dueAt).toEqual(at("2026-01-19T15:00:00Z"));
  });
});

describe("a change of plan counts the due time again", () => {
  it("follows the new department's plan from when the ticket was opened, and says so in the thread", async () => {
    // Opened Thu 8 Jan 10:00 Berlin under office hours: due Fri 10:00 Berlin.
    const { agent, ticket } = await openAt(at("2026-01-08T09:00:00Z"));
    const moved = await updateTicket(
      t.db,
      agent.viewer,
      { number: ticket.number, departmentId: urgentDepartmentId },
      at("2026-01-08T09:30:00Z"),
    );
    expect(moved.ok).toBe(true);
    const after = await reload(ticket.id);
    // Two hours round the clock from 09:00 UTC.
    expect(after.dueAt).toEqual(at("2026-01-08T11:00:00Z"));
    const [event] = await t.db
      .select()
      .from(s.auditLog)
      .where(
        and(
          eq(s.auditLog.ticketId, ticket.id),
          eq(s.auditLog.action, "ticket.sla_changed"),
        ),
      );
    expect(event?.data).toMatchObject({ plan: "Two hours, any time" });
  });

  it("moves running tickets when an admin lengthens the plan's grace period, and leaves finished ones alone", async () => {
    const admin = await buildUser(t.db, { role: "admin" });
    const { ticket } = await openAt(at("2026-01-19T08:00:00Z")); // Mon 09:00 Berlin
    const done = await openAt(at("2026-01-19T08:00:00Z"));
    await updateTicket(
      t.db,
      done.agent.viewer,
      { number: done.ticket.number, status: "resolved" },
      at("2026-01-19T09:00:00Z"),
    );
    expect((await reload(ticket.id)).dueAt).toEqual(at("2026-01-19T16:00:00Z"));
    const [plan] = await t.db
      .select()
      .from(s.slaPlans)
      .where(eq(s.slaPlans.id, officePlanId));
    const edited = await editingPlan(t.db, officePlanId, (tx) =>
      updateSlaPlan(tx, admin.viewer, {
        id: officePlanId,
        name: plan!.name,
        gracePeriodHours: 16,
        isActive: true,
      }),
    );
    expect(edited.ok && edited.value.moved).toBeGreaterThanOrEqual(1);
    // 16 office hours from Mon 09:00 Berlin: all of Monday and Tuesday → Tue 17:00 Berlin.
    expect((await reload(ticket.id)).dueAt).toEqual(at("2026-01-20T16:00:00Z"));
    expect((await reload(done.ticket.id)).dueAt).toBeNull();

    // A holiday on that Tuesday pushes it to Wednesday.
    const holiday = await editingPlan(t.db, officePlanId, (tx) =>
      addSlaHoliday(tx, admin.viewer, {
        planId: officePlanId,
        day: "2026-01-20",
        name: "",
      }),
    );
    expect(holiday.ok).toBe(true);
    expect((await reload(ticket.id)).dueAt).toEqual(at("2026-01-21T16:00:00Z"));
  });

  it("refuses a plan edit by an agent and moves nothing", async () => {
    const { agent, ticket } = await openAt(at("2026-01-26T08:00:00Z"));
    const before = (await reload(ticket.id)).dueAt;
    const refused = await editingPlan(t.db, officePlanId, (tx) =>
      setSlaPlanHours(tx, agent.viewer, {
        id: officePlanId,
        businessHours: null,
        timeZone: "UTC",
      }),
    );
    expect(refused.ok).toBe(false);
    expect((await reload(ticket.id)).dueAt).toEqual(before);
  });
});
