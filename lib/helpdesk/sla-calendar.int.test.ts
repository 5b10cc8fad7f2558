import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { parseForm } from "@/lib/forms";
import { getSlaPlan } from "@/lib/helpdesk/queries";
import {
  slaHolidayInput,
  slaHolidayRemoval,
  slaHoursInput,
} from "@/lib/helpdesk/sla-plan-schemas";
import {
  addSlaHoliday,
  createSlaPlan,
  listSlaHolidays,
  removeSlaHoliday,
  setSlaPlanHours,
} from "@/lib/helpdesk/sla-plans";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { auditTrail } from "@/testing/audit";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { form } from "@/testing/form-data";

// An SLA plan's calendar in the settings: working hours per weekday, time zone, holidays.

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  admin = await buildUser(t.db, { role: "admin" });
});
afterAll(() => t.close());

const weekdays = (id: number, over: Record<string, string> = {}) =>
  form({
    id: String(id),
    mode: "hours",
    timeZone: "Europe/Berlin",
    ...Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri"].flatMap((d) => [
        [`${d}.0.start`, "09:00"],
        [`${d}.0.end`, "17:00"],
      ]),
    ),
    ...over,
  });

async function newPlan(name: string) {
  const r = await createSlaPlan(t.db, admin.viewer, {
    name,
    gracePeriodHours: 8,
    isActive: true,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe("SLA plan calendar: the form", () => {
  it("reads weekdays with a split day, and round the clock as no hours", () => {
    const r = parseForm(
      slaHoursInput,
      weekdays(3, {
        "fri.0.end": "12:00",
        "fri.1.start": "13:00",
        "fri.1.end": "16:00",
      }),
    );
    expect(r.ok && r.value.businessHours?.fri).toEqual([
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "16:00" },
    ]);
    expect(r.ok && r.value.businessHours?.sat).toEqual([]);
    const always = parseForm(
      slaHoursInput,
      form({ id: "3", mode: "always", timeZone: "UTC", "mon.0.start": "x" }),
    );
    expect(always.ok && always.value).toEqual({
      id: 3,
      timeZone: "UTC",
      businessHours: null,
    });
  });

  it("puts each mistake on its field", () => {
    const r = parseForm(
      slaHoursInput,
      weekdays(3, {
        timeZone: "Europe/Atlantis",
        "mon.1.start": "22:00",
        "mon.1.end": "02:00",
        "tue.1.start": "12:00",
        "wed.0.end": "",
        "thu.0.start": "9am",
      }),
    );
    expect(r.ok).toBe(false);
    const fields = r.ok ? {} : r.error.fields!;
    expect(fields.timeZone).toEqual([
      "Use an IANA time zone such as Europe/Berlin.",
    ]);
    expect(fields["mon.1.end"]?.[0]).toMatch(/split a night shift at midnight/);
    expect(fields["tue.1.end"]).toEqual([
      "Enter both a start and an end, or neither.",
    ]);
    expect(fields["wed.0.end"]).toEqual([
      "Enter both a start and an end, or neither.",
    ]);
    expect(fields["thu.0.start"]).toEqual([
      "Use a 24-hour time such as 09:00.",
    ]);
  });

  it("refuses a week without hours and overlapping intervals", () => {
    const empty = parseForm(
      slaHoursInput,
      form({ id: "3", mode: "hours", timeZone: "UTC" }),
    );
    expect(!empty.ok && empty.error.fields?.hours?.[0]).toMatch(
      /never comes due/,
    );
    const overlap = parseForm(
      slaHoursInput,
      weekdays(3, { "mon.1.start": "16:00", "mon.1.end": "18:00" }),
    );
    expect(!overlap.ok && overlap.error.fields?.mon).toEqual([
      "A day's intervals must not overlap.",
    ]);
  });

  it("checks a holiday's date", () => {
    const r = parseForm(
      slaHolidayInput,
      form({ planId: "1", day: "2026-02-30" }),
    );
    expect(!r.ok && r.error.fields?.day).toEqual([
      "Enter the day as a date, such as 2026-12-25.",
    ]);
  });
});

describe("SLA plan calendar", () => {
  it("saves hours and holidays, audits them, and new tickets' due times follow them", async () => {
    const plan = await newPlan("Office");
    const hours = parseForm(slaHoursInput, weekdays(plan.id));
    if (!hours.ok) throw new Error("form");
    const saved = await setSlaPlanHours(t.db, admin.viewer, hours.value);
    expect(saved.ok).toBe(true);
    const stored = await getSlaPlan(t.db, plan.id);
    expect(stored).toMatchObject({ timeZone: "Europe/Berlin" });
    expect((stored!.businessHours as { mon: unknown }).mon).toEqual([
      { start: "09:00", end: "17:00" },
    ]);
    expect((await auditOf(plan.id)).map((e) => e.action)).toContain(
      "sla_plan.updated",
    );

    const holiday = parseForm(
      slaHolidayInput,
      form({ planId: String(plan.id), day: "2026-01-12", name: "Closure" }),
    );
    if (!holiday.ok) throw new Error("form");
    expect((await addSlaHoliday(t.db, admin.viewer, holiday.value)).ok).toBe(
      true,
    );
    const again = await addSlaHoliday(t.db, admin.viewer, holiday.value);
    expect(!again.ok && again.error.fields?.day).toEqual([
      "This day is already a holiday of the plan.",
    ]);

    // Opened Fri 9 Jan 16:00 Berlin: 1 h Friday, Monday is the closure, 7 h Tuesday.
    const department = await buildDepartment(t.db, {
      name: "Office desk",
      slaPlanId: plan.id,
    });
    const [topic] = await t.db
      .insert(s.helpTopics)
      .values({ name: "Office question", departmentId: department.id })
      .returning();
    const customer = await buildUser(t.db);
    const opened = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: topic!.id, subject: "Hello", message: "A question." },
      [],
      new Date("2026-01-09T15:00:00Z"),
    );
    expect(opened.ok && opened.value.dueAt).toEqual(
      new Date("2026-01-13T15:00:00Z"),
    );

    const [row] = await listSlaHolidays(t.db, plan.id);
    const removal = slaHolidayRemoval.parse({
      planId: String(plan.id),
      holidayId: String(row!.id),
    });
    expect((await removeSlaHoliday(t.db, admin.viewer, removal)).ok).toBe(true);
    // Removing twice (two tabs) is not an error.
    expect((await removeSlaHoliday(t.db, admin.viewer, removal)).ok).toBe(true);
    expect(await listSlaHolidays(t.db, plan.id)).toEqual([]);
    expect(
      (await auditTrail(t.db, "sla_holiday", row!.id)).map((e) => e.action),
    ).toEqual(["sla_holiday.created", "sla_holiday.deleted"]);
  });

  it("is for admins only", async () => {
    const plan = await newPlan("Agents keep out");
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await setSlaPlanHours(t.db, agent.viewer, {
      id: plan.id,
      timeZone: "UTC",
      businessHours: null,
    });
    expect(!r.ok && r.error.code).toBe("forbidden");
    const h = await addSlaHoliday(t.db, agent.viewer, {
      planId: plan.id,
      day: "2026-12-25",
      name: "",
    });
    expect(!h.ok && h.error.code).toBe("forbidden");
  });
});

const auditOf = (id: number) => auditTrail(t.db, "sla_plan", id);
