import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import {
  countDashboardTickets,
  getMedianFirstResponse,
  listMedianFirstResponseByDay,
  listTicketsPerDay,
} from "@/lib/tickets/dashboard";

let t: TestDb;
let department: s.Department;
let customer: s.User;
let agent: s.User;
beforeAll(async () => {
  t = await createTestDb();
  department = await buildDepartment(t.db);
  customer = await buildUser(t.db);
  agent = await buildUser(t.db, { role: "agent" });
});
afterAll(() => t.close());
// Every figure covers the whole table, so each test starts from no tickets.
beforeEach(async () => {
  await t.db.delete(s.tickets);
});

const NOW = new Date("2026-05-20T15:00:00Z");
const at = (iso: string) => new Date(iso);
const HOUR = 3600_000;
const MIN = 60_000;

let serial = 100000;
async function ticket(over: Partial<s.NewTicket> = {}): Promise<void> {
  await t.db.insert(s.tickets).values({
    number: String(++serial),
    subject: "Dashboard test",
    source: "web",
    departmentId: department.id,
    customerId: customer.id,
    createdAt: at("2026-05-10T10:00:00Z"),
    ...over,
  });
}

/** A ticket opened at `created` that got its first response `afterMs` later. */
const responded = (created: string, afterMs: number) =>
  ticket({
    createdAt: at(created),
    firstResponseAt: new Date(at(created).getTime() + afterMs),
    status: "pending",
  });

const byDay = <T extends { day: string }>(rows: T[]) =>
  Object.fromEntries(rows.map((r) => [r.day, r]));

describe("countDashboardTickets", () => {
  it("counts open, overdue and unassigned tickets like the queue views", async () => {
    const past = at("2026-05-20T14:59:00Z");
    const future = at("2026-05-20T15:01:00Z");
    await ticket({ status: "open", dueAt: past }); // open, overdue, unassigned
    await ticket({ status: "open", dueAt: future, assigneeId: agent.id }); // open
    await ticket({ status: "open", dueAt: NOW, assigneeId: agent.id }); // open; due now is not late
    await ticket({ status: "pending", dueAt: past, assigneeId: agent.id }); // none: waits on the customer
    await ticket({ status: "pending" }); // unassigned
    await ticket({ status: "resolved", dueAt: past }); // none: resolved
    await ticket({ status: "closed", dueAt: past }); // none: closed

    expect(await countDashboardTickets(t.db, NOW)).toEqual({
      open: 3,
      overdue: 1,
      unassigned: 2,
    });
  });

  it("is all zeros without tickets", async () => {
    expect(await countDashboardTickets(t.db, NOW)).toEqual({
      open: 0,
      overdue: 0,
      unassigned: 0,
    });
  });
});

describe("listTicketsPerDay", () => {
  it("returns the last 30 UTC days, zero-filled, counting each ticket on its UTC day", async () => {
    await ticket({ createdAt: at("2026-04-20T23:59:59Z") }); // the day before the window
    await ticket({ createdAt: at("2026-04-21T00:00:00Z") }); // the window's first instant
    await ticket({ createdAt: at("2026-05-18T23:59:00Z") });
    await ticket({ createdAt: at("2026-05-19T00:01:00Z") });
    await ticket({ createdAt: at("2026-05-19T12:00:00Z") });
    await ticket({ createdAt: at("2026-05-20T14:00:00Z") }); // today
    await ticket({
      createdAt: at("2026-03-01T09:00:00Z"),
      status: "closed",
      closedAt: at("2026-05-18T23:59:00Z"),
    });
    await ticket({
      createdAt: at("2026-05-18T08:00:00Z"),
      status: "resolved",
      closedAt: at("2026-05-19T00:01:00Z"),
    });
    await ticket({
      createdAt: at("2026-04-10T08:00:00Z"),
      status: "closed",
      closedAt: at("2026-04-20T23:00:00Z"), // before the window
    });

    const days = await listTicketsPerDay(t.db, NOW);

    expect(days).toHaveLength(30);
    expect(days[0]!.day).toBe("2026-04-21");
    expect(days[29]!.day).toBe("2026-05-20");
    const d = byDay(days);
    expect(d["2026-04-21"]).toEqual({
      day: "2026-04-21",
      created: 1,
      closed: 0,
    });
    expect(d["2026-05-18"]).toEqual({
      day: "2026-05-18",
      created: 2,
      closed: 1,
    });
    expect(d["2026-05-19"]).toEqual({
      day: "2026-05-19",
      created: 2,
      closed: 1,
    });
    expect(d["2026-05-20"]).toEqual({
      day: "2026-05-20",
      created: 1,
      closed: 0,
    });
    const busy = new Set([
      "2026-04-21",
      "2026-05-18",
      "2026-05-19",
      "2026-05-20",
    ]);
    for (const day of days.filter((r) => !busy.has(r.day)))
      expect(day).toEqual({ day: day.day, created: 0, closed: 0 });
    expect(days.reduce((n, r) => n + r.created, 0)).toBe(6);
  });

  it("counts today from UTC midnight when it is just past midnight", async () => {
    await ticket({ createdAt: at("2026-05-19T23:59:00Z") });
    await ticket({ createdAt: at("2026-05-20T00:01:00Z") });

    const days = await listTicketsPerDay(t.db, at("2026-05-20T00:05:00Z"));

    expect(days.slice(-2)).toEqual([
      { day: "2026-05-19", created: 1, closed: 0 },
      { day: "2026-05-20", created: 1, closed: 0 },
    ]);
  });

  it("uses UTC days whatever the session's time zone", async () => {
    await ticket({ createdAt: at("2026-05-18T23:59:00Z") });
    await ticket({ createdAt: at("2026-05-19T00:01:00Z") });

    const days = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Pacific/Auckland'`);
      return listTicketsPerDay(tx, NOW);
    });

    expect(days.slice(-3)).toEqual([
      { day: "2026-05-18", created: 1, closed: 0 },
      { day: "2026-05-19", created: 1, closed: 0 },
      { day: "2026-05-20", created: 0, closed: 0 },
    ]);
  });

  it("gives 30 days of zeros without tickets", async () => {
    const days = await listTicketsPerDay(t.db, NOW);
    expect(days).toHaveLength(30);
    expect(days.every((r) => r.created === 0 && r.closed === 0)).toBe(true);
  });
});

describe("first response medians", () => {
  it("takes the median per day of opening (odd and even counts) and leaves days without responses empty", async () => {
    // 2026-05-10: three responses, the median is the middle one.
    await responded("2026-05-10T08:00:00Z", 1 * HOUR);
    await responded("2026-05-10T09:00:00Z", 6 * HOUR);
    await responded("2026-05-10T23:59:00Z", 2 * HOUR); // answered on the 11th, counts for the 10th
    // 2026-05-11: two responses, the median is their mean.
    await responded("2026-05-11T00:01:00Z", 1 * HOUR);
    await responded("2026-05-11T10:00:00Z", 2 * HOUR + 30 * MIN);
    // 2026-05-12: a ticket nobody has answered yet.
    await ticket({ createdAt: at("2026-05-12T10:00:00Z"), status: "open" });
    // Before the window: must not pull the 30-day median down.
    await responded("2026-04-01T10:00:00Z", 10 * MIN);

    const days = await listMedianFirstResponseByDay(t.db, NOW);

    expect(days).toHaveLength(30);
    const d = byDay(days);
    expect(d["2026-05-10"]).toEqual({
      day: "2026-05-10",
      medianMs: 2 * HOUR,
      responded: 3,
    });
    expect(d["2026-05-11"]).toEqual({
      day: "2026-05-11",
      medianMs: 1 * HOUR + 45 * MIN,
      responded: 2,
    });
    expect(d["2026-05-12"]).toEqual({
      day: "2026-05-12",
      medianMs: null,
      responded: 0,
    });
    expect(days.filter((r) => r.medianMs !== null).map((r) => r.day)).toEqual([
      "2026-05-10",
      "2026-05-11",
    ]);
    // 1 h, 1 h, 2 h, 2 h 30 min, 6 h
    expect(await getMedianFirstResponse(t.db, NOW)).toBe(2 * HOUR);
  });

  it("averages the two middle values for an even count over the 30 days", async () => {
    await responded("2026-05-01T10:00:00Z", 30 * MIN);
    await responded("2026-05-02T10:00:00Z", 1 * HOUR);
    await responded("2026-05-03T10:00:00Z", 2 * HOUR);
    await responded("2026-05-04T10:00:00Z", 3 * HOUR + 30 * MIN);

    expect(await getMedianFirstResponse(t.db, NOW)).toBe(1 * HOUR + 30 * MIN);
  });

  it("is null everywhere when no ticket got a response", async () => {
    await ticket({ createdAt: at("2026-05-12T10:00:00Z"), status: "open" });

    const days = await listMedianFirstResponseByDay(t.db, NOW);

    expect(days).toHaveLength(30);
    expect(days.every((r) => r.medianMs === null && r.responded === 0)).toBe(
      true,
    );
    expect(await getMedianFirstResponse(t.db, NOW)).toBeNull();
  });
});
