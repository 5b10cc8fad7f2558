import "server-only";
import { eq } from "drizzle-orm";
import { slaPlans, type SlaPlan } from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { changedFields } from "@/lib/audit/changes";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import type { SlaPlanInput, SlaPlanUpdateInput } from "@/lib/helpdesk/schemas";
import { fail, ok, type Result } from "@/lib/result";

const NAME_TAKEN = "An SLA plan with this name already exists.";

const nameTaken = () =>
  fail("conflict", NAME_TAKEN, { fields: { name: [NAME_TAKEN] } });

export async function createSlaPlan(
  db: Db,
  actor: Viewer,
  input: SlaPlanInput,
  now = new Date(),
): Promise<Result<SlaPlan>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(slaPlans)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning();
      if (!row) throw new Error("SLA plan insert returned nothing");
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "sla_plan.created",
        entityType: "sla_plan",
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

/** Edits a plan. Tickets already filed keep their due dates; the grace period applies to new ones. */
export async function updateSlaPlan(
  db: Db,
  actor: Viewer,
  input: SlaPlanUpdateInput,
  now = new Date(),
): Promise<Result<SlaPlan>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const { id, ...fields } = input;
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(slaPlans)
        .where(eq(slaPlans.id, id))
        .for("update");
      if (!before) return fail("not_found", "This SLA plan no longer exists.");
      const changes = changedFields(before, fields);
      if (Object.keys(changes).length === 0) return ok(before);
      const [row] = await tx
        .update(slaPlans)
        .set({ ...fields, updatedAt: now })
        .where(eq(slaPlans.id, id))
        .returning();
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "sla_plan.updated",
        entityType: "sla_plan",
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
