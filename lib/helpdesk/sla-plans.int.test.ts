import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseForm } from "@/lib/forms";
import { getSlaPlan } from "@/lib/helpdesk/queries";
import { slaPlanInput } from "@/lib/helpdesk/schemas";
import { createSlaPlan, updateSlaPlan } from "@/lib/helpdesk/sla-plans";
import { buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { form } from "@/testing/form-data";

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  admin = await buildUser(t.db, { role: "admin" });
});
afterAll(() => t.close());

const auditOf = (id: number) => auditTrail(t.db, "sla_plan", id);

describe("SLA plans: the form", () => {
  it("reads the grace period as whole hours", () => {
    const r = parseForm(
      slaPlanInput,
      form({ name: "Gold", gracePeriodHours: " 24 ", isActive: "on" }),
    );
    expect(r.ok && r.value).toEqual({
      name: "Gold",
      gracePeriodHours: 24,
      isActive: true,
    });
  });

  it.each([
    ["", "Enter the grace period in hours."],
    ["0", "The grace period must be at least 1 hour."],
    ["-4", "Enter a whole number of hours, such as 24."],
    ["1.5", "Enter a whole number of hours, such as 24."],
    ["2e3", "Enter a whole number of hours, such as 24."],
    ["a day", "Enter a whole number of hours, such as 24."],
    ["10000", "Use at most 8760 hours (a year)."],
  ])("refuses a grace period of %j", (hours, message) => {
    const r = parseForm(
      slaPlanInput,
      form({ name: "Plan", gracePeriodHours: hours }),
    );
    expect(!r.ok && r.error.fields).toEqual({ gracePeriodHours: [message] });
  });
});

describe("SLA plans", () => {
  it("creates, edits and deactivates a plan, auditing each change", async () => {
    const created = await createSlaPlan(t.db, admin.viewer, {
      name: "Gold",
      gracePeriodHours: 4,
      isActive: true,
    });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    const edited = await updateSlaPlan(t.db, admin.viewer, {
      id,
      name: "Gold 24/7",
      gracePeriodHours: 2,
      isActive: false,
    });
    expect(edited.ok && edited.value).toMatchObject({
      id,
      name: "Gold 24/7",
      gracePeriodHours: 2,
      isActive: false,
    });
    expect(await getSlaPlan(t.db, id)).toMatchObject({ isActive: false });
    const entries = await auditOf(id);
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ["sla_plan.created", admin.id],
      ["sla_plan.updated", admin.id],
    ]);
    expect(entries[1]?.data).toEqual({
      changes: {
        name: { from: "Gold", to: "Gold 24/7" },
        gracePeriodHours: { from: 4, to: 2 },
        isActive: { from: true, to: false },
      },
    });
  });

  it("records nothing when a save changes nothing", async () => {
    const created = await createSlaPlan(t.db, admin.viewer, {
      name: "Steady",
      gracePeriodHours: 12,
      isActive: true,
    });
    if (!created.ok) throw new Error(created.error.message);
    const r = await updateSlaPlan(t.db, admin.viewer, {
      id: created.value.id,
      name: "Steady",
      gracePeriodHours: 12,
      isActive: true,
    });
    expect(r.ok).toBe(true);
    expect((await auditOf(created.value.id)).map((e) => e.action)).toEqual([
      "sla_plan.created",
    ]);
  });

  it("refuses a taken name on create and rename", async () => {
    await createSlaPlan(t.db, admin.viewer, {
      name: "Silver",
      gracePeriodHours: 8,
      isActive: true,
    });
    const dup = await createSlaPlan(t.db, admin.viewer, {
      name: "Silver",
      gracePeriodHours: 9,
      isActive: true,
    });
    expect(!dup.ok && dup.error).toMatchObject({
      code: "conflict",
      fields: { name: ["An SLA plan with this name already exists."] },
    });
    const other = await createSlaPlan(t.db, admin.viewer, {
      name: "Bronze",
      gracePeriodHours: 48,
      isActive: true,
    });
    if (!other.ok) throw new Error(other.error.message);
    const renamed = await updateSlaPlan(t.db, admin.viewer, {
      id: other.value.id,
      name: "Silver",
      gracePeriodHours: 48,
      isActive: true,
    });
    expect(!renamed.ok && renamed.error.code).toBe("conflict");
  });

  it("answers not_found for an unknown plan and forbidden for an agent", async () => {
    const missing = await updateSlaPlan(t.db, admin.viewer, {
      id: 999_999,
      name: "Nope",
      gracePeriodHours: 1,
      isActive: true,
    });
    expect(!missing.ok && missing.error.code).toBe("not_found");
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await createSlaPlan(t.db, agent.viewer, {
      name: "Agent's plan",
      gracePeriodHours: 1,
      isActive: true,
    });
    expect(!r.ok && r.error.code).toBe("forbidden");
  });
});
