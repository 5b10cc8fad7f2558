import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cannedReplies,
  departmentMembers,
  departments,
  helpTopics,
  slaPlans,
} from "@/db/schema";
import { parseForm } from "@/lib/forms";
import {
  addDepartmentMember,
  createDepartment,
  deleteDepartment,
  removeDepartmentMember,
  updateDepartment,
} from "@/lib/helpdesk/departments";
import { getDepartment } from "@/lib/helpdesk/queries";
import { departmentInput, departmentUpdateInput } from "@/lib/helpdesk/schemas";
import { buildDepartment, buildTicket, buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { form } from "@/testing/form-data";

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  admin = await buildUser(t.db, { role: "admin", name: "Ada Admin" });
});
afterAll(() => t.close());

const auditOf = (entityId: number | string) =>
  auditTrail(t.db, "department", entityId);

async function plan(name = `Plan ${Math.random()}`) {
  const [row] = await t.db
    .insert(slaPlans)
    .values({ name, gracePeriodHours: 8 })
    .returning();
  return row!;
}

describe("departments: the form", () => {
  it("reads a complete form, with the unticked public box as false", () => {
    const r = parseForm(
      departmentInput,
      form({
        name: "  Billing ",
        email: "Billing@Example.COM",
        slaPlanId: "2",
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        name: "Billing",
        email: "billing@example.com",
        slaPlanId: 2,
        isPublic: false,
        signature: null,
      },
    });
  });

  it("treats an empty email and SLA plan as none", () => {
    const r = parseForm(
      departmentInput,
      form({ name: "Quiet", email: "", slaPlanId: "", isPublic: "on" }),
    );
    expect(r.ok && r.value).toEqual({
      name: "Quiet",
      email: null,
      slaPlanId: null,
      isPublic: true,
      signature: null,
    });
  });

  it("gives each wrong field its own message", () => {
    const r = parseForm(
      departmentUpdateInput,
      form({ id: "abc", name: " ", email: "not-an-email", slaPlanId: "x" }),
    );
    expect(!r.ok && r.error.fields).toEqual({
      id: ["This record does not exist."],
      name: ["Enter a name for the department."],
      email: ["Enter a valid email address, or leave it empty."],
      slaPlanId: ["Choose an SLA plan from the list."],
    });
  });
});

describe("departments: create and edit", () => {
  it("creates a department and records who did it", async () => {
    const p = await plan();
    const r = await createDepartment(t.db, admin.viewer, {
      name: "Billing",
      email: "billing@example.com",
      slaPlanId: p.id,
      isPublic: false,
      signature: null,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      name: "Billing",
      email: "billing@example.com",
      slaPlanId: p.id,
      isPublic: false,
      signature: null,
    });
    const [entry] = await auditOf(r.value.id);
    expect(entry).toMatchObject({
      action: "department.created",
      actorKind: "user",
      actorId: admin.id,
    });
  });

  it("treats names that differ only in letter case as the same name", async () => {
    await buildDepartment(t.db, { name: "Accounts Receivable" });
    const created = await createDepartment(t.db, admin.viewer, {
      name: "ACCOUNTS receivable",
      email: null,
      slaPlanId: null,
      isPublic: true,
      signature: null,
    });
    expect(!created.ok && created.error.code).toBe("conflict");
  });

  it("refuses a name that is taken, on create and on rename", async () => {
    await buildDepartment(t.db, { name: "Taken" });
    const other = await buildDepartment(t.db, { name: "Other" });
    const created = await createDepartment(t.db, admin.viewer, {
      name: "Taken",
      email: null,
      slaPlanId: null,
      isPublic: true,
      signature: null,
    });
    expect(!created.ok && created.error).toMatchObject({
      code: "conflict",
      fields: { name: ["A department with this name already exists."] },
    });
    const renamed = await updateDepartment(t.db, admin.viewer, {
      id: other.id,
      name: "Taken",
      email: null,
      slaPlanId: null,
      isPublic: true,
      signature: null,
    });
    expect(!renamed.ok && renamed.error.code).toBe("conflict");
    expect(await auditOf(other.id)).toHaveLength(0);
  });

  it("refuses an SLA plan that does not exist as a field error", async () => {
    const r = await createDepartment(t.db, admin.viewer, {
      name: "Ghost plan",
      email: null,
      slaPlanId: 999_999,
      isPublic: true,
      signature: null,
    });
    expect(!r.ok && r.error).toMatchObject({
      code: "invalid_input",
      fields: { slaPlanId: ["Choose an SLA plan from the list."] },
    });
  });

  it("edits every field and audits what changed", async () => {
    const d = await buildDepartment(t.db, {
      name: "Before",
      isPublic: true,
      signature: null,
    });
    const p = await plan();
    const r = await updateDepartment(t.db, admin.viewer, {
      id: d.id,
      name: "After",
      email: "after@example.com",
      slaPlanId: p.id,
      isPublic: false,
      signature: null,
    });
    expect(r.ok && r.value).toMatchObject({
      id: d.id,
      name: "After",
      email: "after@example.com",
      slaPlanId: p.id,
      isPublic: false,
      signature: null,
    });
    const [entry] = await auditOf(d.id);
    expect(entry?.action).toBe("department.updated");
    expect(entry?.actorId).toBe(admin.id);
    expect(entry?.data).toEqual({
      changes: {
        name: { from: "Before", to: "After" },
        email: { from: null, to: "after@example.com" },
        slaPlanId: { from: null, to: p.id },
        isPublic: { from: true, to: false },
      },
    });
  });

  it("answers not_found for a department that is gone", async () => {
    const r = await updateDepartment(t.db, admin.viewer, {
      id: 987_654,
      name: "Nope",
      email: null,
      slaPlanId: null,
      isPublic: true,
      signature: null,
    });
    expect(!r.ok && r.error.code).toBe("not_found");
  });

  it("lets only admins change departments", async () => {
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await createDepartment(t.db, agent.viewer, {
      name: "Sneaky",
      email: null,
      slaPlanId: null,
      isPublic: true,
      signature: null,
    });
    expect(!r.ok && r.error.code).toBe("forbidden");
    expect(
      await t.db
        .select()
        .from(departments)
        .where(eq(departments.name, "Sneaky")),
    ).toHaveLength(0);
  });
});

describe("departments: delete", () => {
  it("refuses while tickets are filed in it, with a message that says why", async () => {
    const d = await buildDepartment(t.db, { name: "Busy" });
    const customer = await buildUser(t.db);
    await buildTicket(t.db, { customer, department: d });
    await buildTicket(t.db, { customer, department: d });
    const r = await deleteDepartment(t.db, admin.viewer, d.id);
    expect(!r.ok && r.error).toEqual({
      code: "conflict",
      message:
        "Busy can't be deleted: it still has 2 tickets. Move them to another department first.",
    });
    expect(await getDepartment(t.db, d.id)).not.toBeNull();
  });

  it("refuses while a help topic routes to it", async () => {
    const d = await buildDepartment(t.db, { name: "Routed" });
    await t.db
      .insert(helpTopics)
      .values({ name: `Topic for ${d.name}`, departmentId: d.id });
    const r = await deleteDepartment(t.db, admin.viewer, d.id);
    expect(!r.ok && r.error.message).toBe(
      "Routed can't be deleted: it still has 1 help topic. Move them to another department first.",
    );
  });

  it("deletes an unused department with its canned replies and memberships", async () => {
    const d = await buildDepartment(t.db, { name: "Unused" });
    const agent = await buildUser(t.db, { role: "agent" });
    await t.db
      .insert(departmentMembers)
      .values({ departmentId: d.id, userId: agent.id });
    await t.db
      .insert(cannedReplies)
      .values({ title: "Unused hello", body: "Hi", departmentId: d.id });
    const r = await deleteDepartment(t.db, admin.viewer, d.id);
    expect(r).toEqual({ ok: true, value: { name: "Unused" } });
    expect(await getDepartment(t.db, d.id)).toBeNull();
    expect(
      await t.db
        .select()
        .from(cannedReplies)
        .where(eq(cannedReplies.title, "Unused hello")),
    ).toHaveLength(0);
    const entries = await auditOf(d.id);
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ["department.deleted", admin.id],
    ]);
    expect(entries[0]?.data).toMatchObject({
      name: "Unused",
      cannedRepliesDeleted: 1,
    });
  });

  it("answers not_found for a department that is already gone", async () => {
    const r = await deleteDepartment(t.db, admin.viewer, 987_653);
    expect(!r.ok && r.error.code).toBe("not_found");
  });
});

describe("departments: membership", () => {
  it("adds and removes an agent, once each, with an audit entry per change", async () => {
    const d = await buildDepartment(t.db);
    const agent = await buildUser(t.db, { role: "agent", name: "Sam" });
    const first = await addDepartmentMember(t.db, admin.viewer, {
      departmentId: d.id,
      userId: agent.id,
    });
    expect(first).toEqual({ ok: true, value: { added: true } });
    const again = await addDepartmentMember(t.db, admin.viewer, {
      departmentId: d.id,
      userId: agent.id,
    });
    expect(again).toEqual({ ok: true, value: { added: false } });
    expect((await getDepartment(t.db, d.id))?.members.map((m) => m.id)).toEqual(
      [agent.id],
    );

    const removed = await removeDepartmentMember(t.db, admin.viewer, {
      departmentId: d.id,
      userId: agent.id,
    });
    expect(removed).toEqual({ ok: true, value: { removed: true } });
    expect((await getDepartment(t.db, d.id))?.members).toEqual([]);
    expect((await auditOf(d.id)).map((e) => e.action)).toEqual([
      "department.member_added",
      "department.member_removed",
    ]);
  });

  it("refuses to put a customer in a department", async () => {
    const d = await buildDepartment(t.db);
    const customer = await buildUser(t.db);
    const r = await addDepartmentMember(t.db, admin.viewer, {
      departmentId: d.id,
      userId: customer.id,
    });
    expect(!r.ok && r.error).toMatchObject({
      code: "invalid_input",
      fields: { userId: ["Choose an agent from the list."] },
    });
  });

  it("answers not_found when the department is gone", async () => {
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await addDepartmentMember(t.db, admin.viewer, {
      departmentId: 987_652,
      userId: agent.id,
    });
    expect(!r.ok && r.error.code).toBe("not_found");
  });
});
