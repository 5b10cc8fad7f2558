import "server-only";
import { and, count, eq, inArray } from "drizzle-orm";
import {
  cannedReplies,
  departmentMembers,
  departments,
  helpTopics,
  tickets,
  users,
  type Department,
} from "@/db/schema";
import { isForeignKeyViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import type {
  DepartmentInput,
  DepartmentMemberInput,
  DepartmentUpdateInput,
} from "@/lib/helpdesk/schemas";
import { holdSlaPlan } from "@/lib/helpdesk/references";
import {
  adminTransaction,
  auditedInsert,
  auditedUpdate,
  type SettingsKind,
} from "@/lib/helpdesk/settings-write";
import { fail, ok, type Result } from "@/lib/result";

const DEPARTMENT: SettingsKind = {
  entityType: "department",
  gone: "This department no longer exists.",
  unique: {
    field: "name",
    message: "A department with this name already exists.",
  },
};
const GONE = DEPARTMENT.gone;
const NO_PLAN = "Choose an SLA plan from the list.";

async function checkSlaPlan(
  db: Db,
  slaPlanId: number | null,
): Promise<Result<null>> {
  if (await holdSlaPlan(db, slaPlanId)) return ok(null);
  return fail("invalid_input", NO_PLAN, { fields: { slaPlanId: [NO_PLAN] } });
}

export async function createDepartment(
  db: Db,
  actor: Viewer,
  input: DepartmentInput,
  now = new Date(),
): Promise<Result<Department>> {
  return adminTransaction(db, actor, DEPARTMENT, async (tx) => {
    const plan = await checkSlaPlan(tx, input.slaPlanId);
    if (!plan.ok) return plan;
    return auditedInsert(tx, actor, DEPARTMENT, {
      now,
      data: { ...input },
      insert: () =>
        tx
          .insert(departments)
          .values({ ...input, createdAt: now, updatedAt: now })
          .returning(),
    });
  });
}

export async function updateDepartment(
  db: Db,
  actor: Viewer,
  input: DepartmentUpdateInput,
  now = new Date(),
): Promise<Result<Department>> {
  const { id, ...fields } = input;
  return adminTransaction(db, actor, DEPARTMENT, (tx) =>
    auditedUpdate(tx, actor, DEPARTMENT, {
      now,
      fields,
      lock: () =>
        tx
          .select()
          .from(departments)
          .where(eq(departments.id, id))
          .for("update"),
      check: () => checkSlaPlan(tx, fields.slaPlanId),
      write: () =>
        tx
          .update(departments)
          .set({ ...fields, updatedAt: now })
          .where(eq(departments.id, id))
          .returning(),
    }),
  );
}

/**
 * Deletes a department nothing routes to any more. One that still has tickets or help topics is
 * refused (conflict); its canned replies and memberships go with it.
 */
export async function deleteDepartment(
  db: Db,
  actor: Viewer,
  id: number,
  now = new Date(),
): Promise<Result<{ name: string }>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  let name = "This department";
  try {
    return await db.transaction(async (tx) => {
      // FOR UPDATE waits for tickets being filed into the department right now, so the counts
      // below see them.
      const [department] = await tx
        .select()
        .from(departments)
        .where(eq(departments.id, id))
        .for("update");
      if (!department) return fail("not_found", GONE);
      name = department.name;
      const countWhere = async (
        table: typeof tickets | typeof helpTopics | typeof cannedReplies,
      ) => {
        const [row] = await tx
          .select({ n: count() })
          .from(table)
          .where(eq(table.departmentId, id));
        return row?.n ?? 0;
      };
      const ticketCount = await countWhere(tickets);
      const topicCount = await countWhere(helpTopics);
      const replyCount = await countWhere(cannedReplies);
      const inUse = departmentInUse(name, ticketCount, topicCount);
      if (inUse) return fail("conflict", inUse);
      await tx.delete(departments).where(eq(departments.id, id));
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "department.deleted",
        entityType: "department",
        entityId: String(id),
        data: {
          name,
          email: department.email,
          cannedRepliesDeleted: replyCount,
        },
        at: now,
      });
      return ok({ name });
    });
  } catch (error) {
    // A ticket filed between our count and the delete still holds the department.
    if (isForeignKeyViolation(error))
      return fail(
        "conflict",
        `${name} is still in use. Move its tickets and help topics to another department first.`,
      );
    throw error;
  }
}

/** The reason a department can't be deleted yet, or null when nothing depends on it. */
function departmentInUse(
  name: string,
  ticketCount: number,
  topicCount: number,
): string | null {
  const parts = [
    ticketCount ? plural(ticketCount, "ticket") : null,
    topicCount ? plural(topicCount, "help topic") : null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return `${name} can't be deleted: it still has ${parts.join(" and ")}. Move them to another department first.`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const NOT_STAFF = "Choose an agent from the list.";

/** Puts an agent or admin in a department. Adding someone already there is a no-op. */
export async function addDepartmentMember(
  db: Db,
  actor: Viewer,
  input: DepartmentMemberInput,
  now = new Date(),
): Promise<Result<{ added: boolean }>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const [department] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, input.departmentId))
      .for("share");
    if (!department) return fail("not_found", GONE);
    const [member] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(
        and(
          eq(users.id, input.userId),
          inArray(users.role, ["agent", "admin"]),
        ),
      )
      .for("share");
    if (!member)
      return fail("invalid_input", NOT_STAFF, {
        fields: { userId: [NOT_STAFF] },
      });
    const added = await tx
      .insert(departmentMembers)
      .values(input)
      .onConflictDoNothing()
      .returning();
    if (added.length === 0) return ok({ added: false });
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "department.member_added",
      entityType: "department",
      entityId: String(input.departmentId),
      data: { userId: member.id, name: member.name },
      at: now,
    });
    return ok({ added: true });
  });
}

/** Takes an agent out of a department. Removing someone who isn't there is a no-op. */
export async function removeDepartmentMember(
  db: Db,
  actor: Viewer,
  input: DepartmentMemberInput,
  now = new Date(),
): Promise<Result<{ removed: boolean }>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(departmentMembers)
      .where(
        and(
          eq(departmentMembers.departmentId, input.departmentId),
          eq(departmentMembers.userId, input.userId),
        ),
      )
      .returning();
    if (removed.length === 0) return ok({ removed: false });
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "department.member_removed",
      entityType: "department",
      entityId: String(input.departmentId),
      data: { userId: input.userId },
      at: now,
    });
    return ok({ removed: true });
  });
}
