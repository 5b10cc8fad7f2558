import "server-only";
import { eq } from "drizzle-orm";
import { cannedReplies, type CannedReply } from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { changedFields } from "@/lib/audit/changes";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import { holdDepartments } from "@/lib/helpdesk/references";
import type {
  ActiveToggleInput,
  CannedReplyInput,
  CannedReplyUpdateInput,
} from "@/lib/helpdesk/schemas";
import { fail, ok, type Result } from "@/lib/result";

const TITLE_TAKEN = "A canned reply with this title already exists.";
const GONE = "This canned reply no longer exists.";
const NO_DEPARTMENT = "Choose a department from the list.";

const titleTaken = () =>
  fail("conflict", TITLE_TAKEN, { fields: { title: [TITLE_TAKEN] } });

async function checkDepartment(
  db: Db,
  departmentId: number | null,
): Promise<Result<null>> {
  if (departmentId === null || (await holdDepartments(db, [departmentId])))
    return ok(null);
  return fail("invalid_input", NO_DEPARTMENT, {
    fields: { departmentId: [NO_DEPARTMENT] },
  });
}

export async function createCannedReply(
  db: Db,
  actor: Viewer,
  input: CannedReplyInput,
  now = new Date(),
): Promise<Result<CannedReply>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  try {
    return await db.transaction(async (tx) => {
      const department = await checkDepartment(tx, input.departmentId);
      if (!department.ok) return department;
      const [row] = await tx
        .insert(cannedReplies)
        .values({
          ...input,
          createdById: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("canned reply insert returned nothing");
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "canned_reply.created",
        entityType: "canned_reply",
        entityId: String(row.id),
        data: {
          title: input.title,
          departmentId: input.departmentId,
          isActive: input.isActive,
        },
        at: now,
      });
      return ok(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return titleTaken();
    throw error;
  }
}

export async function updateCannedReply(
  db: Db,
  actor: Viewer,
  input: CannedReplyUpdateInput,
  now = new Date(),
): Promise<Result<CannedReply>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const { id, ...fields } = input;
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(cannedReplies)
        .where(eq(cannedReplies.id, id))
        .for("update");
      if (!before) return fail("not_found", GONE);
      const department = await checkDepartment(tx, fields.departmentId);
      if (!department.ok) return department;
      const changes = changedFields(before, fields);
      if (Object.keys(changes).length === 0) return ok(before);
      const [row] = await tx
        .update(cannedReplies)
        .set({ ...fields, updatedAt: now })
        .where(eq(cannedReplies.id, id))
        .returning();
      // The body can be long; the audit notes that it changed, not the text.
      if (changes.body) changes.body = { from: "…", to: "…" };
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "canned_reply.updated",
        entityType: "canned_reply",
        entityId: String(id),
        data: { changes },
        at: now,
      });
      return ok(row ?? before);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return titleTaken();
    throw error;
  }
}

/** Deactivates (or reactivates) a canned reply. Setting the state it already has is a no-op. */
export async function setCannedReplyActive(
  db: Db,
  actor: Viewer,
  input: ActiveToggleInput,
  now = new Date(),
): Promise<Result<CannedReply>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(cannedReplies)
      .where(eq(cannedReplies.id, input.id))
      .for("update");
    if (!before) return fail("not_found", GONE);
    if (before.isActive === input.isActive) return ok(before);
    const [row] = await tx
      .update(cannedReplies)
      .set({ isActive: input.isActive, updatedAt: now })
      .where(eq(cannedReplies.id, input.id))
      .returning();
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: input.isActive
        ? "canned_reply.activated"
        : "canned_reply.deactivated",
      entityType: "canned_reply",
      entityId: String(input.id),
      data: { title: before.title },
      at: now,
    });
    return ok(row ?? before);
  });
}

/** Deletes a canned reply for good. Replies already sent with it are copies and stay as they are. */
export async function deleteCannedReply(
  db: Db,
  actor: Viewer,
  id: number,
  now = new Date(),
): Promise<Result<{ title: string }>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(cannedReplies)
      .where(eq(cannedReplies.id, id))
      .returning();
    if (!row) return fail("not_found", GONE);
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "canned_reply.deleted",
      entityType: "canned_reply",
      entityId: String(id),
      data: { title: row.title, departmentId: row.departmentId },
      at: now,
    });
    return ok({ title: row.title });
  });
}
