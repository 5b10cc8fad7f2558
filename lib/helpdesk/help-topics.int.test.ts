import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpTopics } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { parseForm } from "@/lib/forms";
import {
  createHelpTopic,
  setHelpTopicActive,
  updateHelpTopic,
} from "@/lib/helpdesk/help-topics";
import { getHelpTopic, listHelpTopics } from "@/lib/helpdesk/queries";
import { helpTopicInput, type HelpTopicInput } from "@/lib/helpdesk/schemas";
import { buildDepartment, buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { form } from "@/testing/form-data";

// Runs on the demo data, which mirrors a default osTicket install: topics 1, 2 and 10 exist and
// API callers send those ids.

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  await seedDemoData(t.db);
  admin = await buildUser(t.db, { role: "admin" });
});
afterAll(() => t.close());

const auditOf = (id: number) => auditTrail(t.db, "help_topic", id);

const topic = (over: Partial<HelpTopicInput> = {}): HelpTopicInput => ({
  name: `Topic ${Math.random()}`,
  departmentId: 1,
  priority: "normal",
  slaPlanId: null,
  isPublic: true,
  isActive: true,
  ...over,
});

describe("help topics: the form", () => {
  it("reads a complete form", () => {
    const r = parseForm(
      helpTopicInput,
      form({
        name: "Outage",
        departmentId: "3",
        priority: "emergency",
        slaPlanId: "2",
        isActive: "on",
      }),
    );
    expect(r.ok && r.value).toEqual({
      name: "Outage",
      departmentId: 3,
      priority: "emergency",
      slaPlanId: 2,
      isPublic: false,
      isActive: true,
    });
  });

  it("accepts only the four osTicket priorities and needs a department", () => {
    const r = parseForm(
      helpTopicInput,
      form({ name: "Bad", departmentId: "", priority: "urgent" }),
    );
    expect(!r.ok && r.error.fields).toEqual({
      departmentId: ["Choose a department."],
      priority: ["Choose a priority."],
    });
  });
});

describe("help topics", () => {
  it("keeps the seeded osTicket ids editable, in place", async () => {
    const before = await getHelpTopic(t.db, 10);
    expect(before?.name).toBe("Report a Problem");
    const r = await updateHelpTopic(t.db, admin.viewer, {
      id: 10,
      name: "Report a problem",
      departmentId: 3,
      priority: "emergency",
      slaPlanId: 2,
      isPublic: true,
      isActive: true,
    });
    expect(r.ok && r.value).toMatchObject({
      id: 10,
      name: "Report a problem",
      priority: "emergency",
    });
    expect((await listHelpTopics(t.db)).map((x) => x.id)).toEqual(
      expect.arrayContaining([1, 2, 10]),
    );
    const [entry] = await auditOf(10);
    expect(entry).toMatchObject({
      action: "help_topic.updated",
      actorId: admin.id,
      data: {
        changes: {
          name: { from: "Report a Problem", to: "Report a problem" },
          priority: { from: "high", to: "emergency" },
        },
      },
    });
  });

  it("gives a new topic the next id after the seeded ones", async () => {
    const r = await createHelpTopic(t.db, admin.viewer, topic({ name: "New" }));
    expect(r.ok && r.value.id).toBeGreaterThan(12);
    if (!r.ok) return;
    const [entry] = await auditOf(r.value.id);
    expect(entry).toMatchObject({
      action: "help_topic.created",
      actorId: admin.id,
    });
  });

  it("deactivates instead of deleting, and can bring a topic back", async () => {
    const off = await setHelpTopicActive(t.db, admin.viewer, {
      id: 2,
      isActive: false,
    });
    expect(off.ok && off.value).toMatchObject({ id: 2, isActive: false });
    expect(await getHelpTopic(t.db, 2)).toMatchObject({
      name: "Feedback",
      isActive: false,
    });
    const again = await setHelpTopicActive(t.db, admin.viewer, {
      id: 2,
      isActive: false,
    });
    expect(again.ok).toBe(true);
    const on = await setHelpTopicActive(t.db, admin.viewer, {
      id: 2,
      isActive: true,
    });
    expect(on.ok && on.value.isActive).toBe(true);
    expect((await auditOf(2)).map((e) => e.action)).toEqual([
      "help_topic.deactivated",
      "help_topic.activated",
    ]);
  });

  it("refuses a taken name as a conflict on the name field", async () => {
    const r = await createHelpTopic(
      t.db,
      admin.viewer,
      topic({ name: "General Inquiry" }),
    );
    expect(!r.ok && r.error).toMatchObject({
      code: "conflict",
      fields: { name: ["A help topic with this name already exists."] },
    });
    const renamed = await updateHelpTopic(t.db, admin.viewer, {
      id: 1,
      ...topic({ name: "Feedback" }),
    });
    expect(!renamed.ok && renamed.error.code).toBe("conflict");
  });

  it("refuses a department or SLA plan that does not exist as field errors", async () => {
    const noDept = await createHelpTopic(
      t.db,
      admin.viewer,
      topic({ departmentId: 999_999 }),
    );
    expect(!noDept.ok && noDept.error.fields).toEqual({
      departmentId: ["Choose a department from the list."],
    });
    const noPlan = await createHelpTopic(
      t.db,
      admin.viewer,
      topic({ slaPlanId: 999_999 }),
    );
    expect(!noPlan.ok && noPlan.error.fields).toEqual({
      slaPlanId: ["Choose an SLA plan from the list."],
    });
  });

  it("moves a topic to another department", async () => {
    const d = await buildDepartment(t.db, { name: "Escalations" });
    const created = await createHelpTopic(t.db, admin.viewer, topic());
    if (!created.ok) throw new Error(created.error.message);
    const r = await updateHelpTopic(t.db, admin.viewer, {
      ...topic({ name: created.value.name, departmentId: d.id }),
      id: created.value.id,
    });
    expect(r.ok && r.value.departmentId).toBe(d.id);
  });

  it("answers not_found for an unknown id and forbidden for an agent", async () => {
    const missing = await setHelpTopicActive(t.db, admin.viewer, {
      id: 999_999,
      isActive: false,
    });
    expect(!missing.ok && missing.error.code).toBe("not_found");
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await setHelpTopicActive(t.db, agent.viewer, {
      id: 1,
      isActive: false,
    });
    expect(!r.ok && r.error.code).toBe("forbidden");
    expect((await getHelpTopic(t.db, 1))?.isActive).toBe(true);
    expect(
      await t.db.select().from(helpTopics).where(eq(helpTopics.id, 1)),
    ).toHaveLength(1);
  });
});
