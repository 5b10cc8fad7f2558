import "server-only";
import { eq } from "drizzle-orm";
import { helpTopics, type HelpTopic } from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { changedFields } from "@/lib/audit/changes";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import { holdDepartments, holdSlaPlan } from "@/lib/helpdesk/references";
import type {
  ActiveToggleInput,
  HelpTopicInput,
  HelpTopicUpdateInput,
} from "@/lib/helpdesk/schemas";
import { fail, ok, type Result } from "@/lib/result";

// Help topics are never deleted: osTicket API callers and old tickets refer to them by id, so an
// unwanted topic is deactivated instead (hidden from new tickets, still resolvable).

const NAME_TAKEN = "A help topic with this name already exists.";
const GONE = "This help topic no longer exists.";
const NO_DEPARTMENT = "Choose a department from the list.";
const NO_PLAN = "Choose an SLA plan from the list.";

const nameTaken = () =>
  fail("conflict", NAME_TAKEN, { fields: { name: [NAME_TAKEN] } });

async function checkReferences(
  db: Db,
  input: HelpTopicInput,
): Promise<Result<null>> {
  if (!(await holdDepartments(db, [input.departmentId])))
    return fail("invalid_input", NO_DEPARTMENT, {
      fields: { departmentId: [NO_DEPARTMENT] },
    });
  if (!(await holdSlaPlan(db, input.slaPlanId)))
    return fail("invalid_input", NO_PLAN, { fields: { slaPlanId: [NO_PLAN] } });
  return ok(null);
}

export async function createHelpTopic(
  db: Db,
  actor: Viewer,
  input: HelpTopicInput,
  now = new Date(),
): Promise<Result<HelpTopic>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  try {
    return await db.transaction(async (tx) => {
      const refs = await checkReferences(tx, input);
      if (!refs.ok) return refs;
      const [row] = await tx
        .insert(helpTopics)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning();
      if (!row) throw new Error("help topic insert returned nothing");
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "help_topic.created",
        entityType: "help_topic",
        entityId: String(row.id),
        data: { ...input },
        at: now,
      });
      return ok(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken();
    throw error;
  }
}

export async function updateHelpTopic(
  db: Db,
  actor: Viewer,
  input: HelpTopicUpdateInput,
  now = new Date(),
): Promise<Result<HelpTopic>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const { id, ...fields } = input;
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(helpTopics)
        .where(eq(helpTopics.id, id))
        .for("update");
      if (!before) return fail("not_found", GONE);
      const refs = await checkReferences(tx, fields);
      if (!refs.ok) return refs;
      const changes = changedFields(before, fields);
      if (Object.keys(changes).length === 0) return ok(before);
      const [row] = await tx
        .update(helpTopics)
        .set({ ...fields, updatedAt: now })
        .where(eq(helpTopics.id, id))
        .returning();
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "help_topic.updated",
        entityType: "help_topic",
        entityId: String(id),
        data: { changes },
        at: now,
      });
      return ok(row ?? before);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken();
    throw error;
  }
}

/** Deactivates (or reactivates) a help topic. Setting the state it already has is a no-op. */
export async function setHelpTopicActive(
  db: Db,
  actor: Viewer,
  input: ActiveToggleInput,
  now = new Date(),
): Promise<Result<HelpTopic>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(helpTopics)
      .where(eq(helpTopics.id, input.id))
      .for("update");
    if (!before) return fail("not_found", GONE);
    if (before.isActive === input.isActive) return ok(before);
    const [row] = await tx
      .update(helpTopics)
      .set({ isActive: input.isActive, updatedAt: now })
      .where(eq(helpTopics.id, input.id))
      .returning();
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: input.isActive
        ? "help_topic.activated"
        : "help_topic.deactivated",
      entityType: "help_topic",
      entityId: String(input.id),
      data: { name: before.name },
      at: now,
    });
    return ok(row ?? before);
  });
}
