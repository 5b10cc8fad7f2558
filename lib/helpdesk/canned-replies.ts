import "server-only";
import { eq } from "drizzle-orm";
import { cannedReplies, type CannedReply } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { holdDepartments } from "@/lib/helpdesk/references";
import type {
  ActiveToggleInput,
  CannedReplyInput,
  CannedReplyUpdateInput,
} from "@/lib/helpdesk/schemas";
import {
  adminTransaction,
  auditedInsert,
  auditedUpdate,
  type SettingsKind,
} from "@/lib/helpdesk/settings-write";
import { fail, ok, type Result } from "@/lib/result";

const CANNED_REPLY: SettingsKind = {
  entityType: "canned_reply",
  gone: "This canned reply no longer exists.",
  unique: {
    field: "title",
    message: "A canned reply with this title already exists.",
  },
};
const NO_DEPARTMENT = "Choose a department from the list.";

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
  return adminTransaction(db, actor, CANNED_REPLY, async (tx) => {
    const department = await checkDepartment(tx, input.departmentId);
    if (!department.ok) return department;
    return auditedInsert(tx, actor, CANNED_REPLY, {
      now,
      data: {
        title: input.title,
        departmentId: input.departmentId,
        isActive: input.isActive,
      },
      insert: () =>
        tx
          .insert(cannedReplies)
          .values({
            ...input,
            createdById: actor.id,
            createdAt: now,
            updatedAt: now,
          })
          .returning(),
    });
  });
}

export async function updateCannedReply(
  db: Db,
  actor: Viewer,
  input: CannedReplyUpdateInput,
  now = new Date(),
): Promise<Result<CannedReply>> {
  const { id, ...fields } = input;
  return adminTransaction(db, actor, CANNED_REPLY, (tx) =>
    auditedUpdate(tx, actor, CANNED_REPLY, {
      now,
      fields,
      lock: () => lockCannedReply(tx, id),
      check: () => checkDepartment(tx, fields.departmentId),
      write: () =>
        tx
          .update(cannedReplies)
          .set({ ...fields, updatedAt: now })
          .where(eq(cannedReplies.id, id))
          .returning(),
      // The body can be long; the audit notes that it changed, not the text.
      data: (changes) => ({
        changes: changes.body
          ? { ...changes, body: { from: "…", to: "…" } }
          : changes,
      }),
    }),
  );
}

/** Deactivates (or reactivates) a canned reply. Setting the state it already has is a no-op. */
export async function setCannedReplyActive(
  db: Db,
  actor: Viewer,
  input: ActiveToggleInput,
  now = new Date(),
): Promise<Result<CannedReply>> {
  return adminTransaction(db, actor, CANNED_REPLY, (tx) =>
    auditedUpdate(tx, actor, CANNED_REPLY, {
      now,
      fields: { isActive: input.isActive },
      lock: () => lockCannedReply(tx, input.id),
      write: () =>
        tx
          .update(cannedReplies)
          .set({ isActive: input.isActive, updatedAt: now })
          .where(eq(cannedReplies.id, input.id))
          .returning(),
      action: input.isActive
        ? "canned_reply.activated"
        : "canned_reply.deactivated",
      data: (_changes, before) => ({ title: before.title }),
    }),
  );
}

const lockCannedReply = (tx: Db, id: number) =>
  tx.select().from(cannedReplies).where(eq(cannedReplies.id, id)).for("update");

/** Deletes a canned reply for good. Replies already sent with it are copies and stay as they are. */
export async function deleteCannedReply(
  db: Db,
  actor: Viewer,
  id: number,
  now = new Date(),
): Promise<Result<{ title: string }>> {
  return adminTransaction(db, actor, CANNED_REPLY, async (tx) => {
    const [row] = await tx
      .delete(cannedReplies)
      .where(eq(cannedReplies.id, id))
      .returning();
    if (!row) return fail("not_found", CANNED_REPLY.gone);
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
