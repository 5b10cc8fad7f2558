import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseForm } from "@/lib/forms";
import {
  createCannedReply,
  deleteCannedReply,
  setCannedReplyActive,
  updateCannedReply,
} from "@/lib/helpdesk/canned-replies";
import { getCannedReply } from "@/lib/helpdesk/queries";
import { cannedReplyInput } from "@/lib/helpdesk/schemas";
import { buildDepartment, buildUser } from "@/testing/builders";
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

const auditOf = (id: number) => auditTrail(t.db, "canned_reply", id);

const BODY =
  "Hello {{customer.name}},\n\nTicket #{{ticket.number}} ({{ticket.subject}}) is fixed.\n\n{{agent.name}}";

describe("canned replies: the form", () => {
  it("accepts the documented variables and no department", () => {
    const r = parseForm(
      cannedReplyInput,
      form({ title: "Fixed", body: BODY, departmentId: "", isActive: "on" }),
    );
    expect(r.ok && r.value).toEqual({
      title: "Fixed",
      body: BODY,
      departmentId: null,
      isActive: true,
    });
  });

  it("refuses an unknown or misspelt variable, naming it", () => {
    const r = parseForm(
      cannedReplyInput,
      form({
        title: "Typo",
        body: "Hi {{customer.nmae}} and {{ customer.name }}",
      }),
    );
    expect(!r.ok && r.error.fields?.body?.[0]).toBe(
      "Unknown variable {{customer.nmae}}, {{ customer.name }}. Use {{customer.name}}, {{ticket.number}}, {{ticket.subject}}, {{agent.name}}.",
    );
  });

  it("needs a title and a body", () => {
    const r = parseForm(cannedReplyInput, form({ title: " ", body: "" }));
    expect(!r.ok && r.error.fields).toEqual({
      title: ["Enter a title."],
      body: ["Enter the text of the reply."],
    });
  });
});

describe("canned replies", () => {
  it("creates a reply for a department, edits, deactivates and deletes it", async () => {
    const d = await buildDepartment(t.db);
    const created = await createCannedReply(t.db, admin.viewer, {
      title: "Fixed",
      body: BODY,
      departmentId: d.id,
      isActive: true,
    });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    expect(created.value).toMatchObject({
      departmentId: d.id,
      createdById: admin.id,
    });

    const edited = await updateCannedReply(t.db, admin.viewer, {
      id,
      title: "Fixed now",
      body: "Hello {{customer.name}}, all good.",
      departmentId: null,
      isActive: true,
    });
    expect(edited.ok && edited.value).toMatchObject({
      title: "Fixed now",
      departmentId: null,
    });

    const off = await setCannedReplyActive(t.db, admin.viewer, {
      id,
      isActive: false,
    });
    expect(off.ok && off.value.isActive).toBe(false);

    const deleted = await deleteCannedReply(t.db, admin.viewer, id);
    expect(deleted).toEqual({ ok: true, value: { title: "Fixed now" } });
    expect(await getCannedReply(t.db, id)).toBeNull();

    const entries = await auditOf(id);
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ["canned_reply.created", admin.id],
      ["canned_reply.updated", admin.id],
      ["canned_reply.deactivated", admin.id],
      ["canned_reply.deleted", admin.id],
    ]);
    // The audit notes that the text changed without copying it.
    expect(entries[1]?.data).toEqual({
      changes: {
        title: { from: "Fixed", to: "Fixed now" },
        body: { from: "…", to: "…" },
        departmentId: { from: d.id, to: null },
      },
    });
  });

  it("refuses a taken title as a conflict on the title field", async () => {
    const first = await createCannedReply(t.db, admin.viewer, {
      title: "Hello",
      body: "Hi there",
      departmentId: null,
      isActive: true,
    });
    expect(first.ok).toBe(true);
    const dup = await createCannedReply(t.db, admin.viewer, {
      title: "Hello",
      body: "Hi again",
      departmentId: null,
      isActive: true,
    });
    expect(!dup.ok && dup.error).toMatchObject({
      code: "conflict",
      fields: { title: ["A canned reply with this title already exists."] },
    });
  });

  it("refuses a department that does not exist", async () => {
    const r = await createCannedReply(t.db, admin.viewer, {
      title: "Lost",
      body: "Hi",
      departmentId: 999_999,
      isActive: true,
    });
    expect(!r.ok && r.error.fields).toEqual({
      departmentId: ["Choose a department from the list."],
    });
  });

  it("answers not_found for a reply that is gone and forbidden for an agent", async () => {
    expect((await deleteCannedReply(t.db, admin.viewer, 999_999)).ok).toBe(
      false,
    );
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await createCannedReply(t.db, agent.viewer, {
      title: "Agent's own",
      body: "Hi",
      departmentId: null,
      isActive: true,
    });
    expect(!r.ok && r.error.code).toBe("forbidden");
  });
});
