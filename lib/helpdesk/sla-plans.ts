import "server-only";
import { eq } from "drizzle-orm";
import { slaPlans, type SlaPlan } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import type { SlaPlanInput, SlaPlanUpdateInput } from "@/lib/helpdesk/schemas";
import {
  adminTransaction,
  auditedInsert,
  auditedUpdate,
  type SettingsKind,
} from "@/lib/helpdesk/settings-write";
import type { Result } from "@/lib/result";

const SLA_PLAN: SettingsKind = {
  entityType: "sla_plan",
  gone: "This SLA plan no longer exists.",
  unique: {
    field: "name",
    message: "An SLA plan with this name already exists.",
  },
};

export async function createSlaPlan(
  db: Db,
  actor: Viewer,
  input: SlaPlanInput,
  now = new Date(),
): Promise<Result<SlaPlan>> {
  return adminTransaction(db, actor, SLA_PLAN, (tx) =>
    auditedInsert(tx, actor, SLA_PLAN, {
      now,
      data: { ...input },
      insert: () =>
        tx
          .insert(slaPlans)
          .values({ ...input, createdAt: now, updatedAt: now })
          .returning(),
    }),
  );
}

/** Edits a plan. Tickets already filed keep their due dates; the grace period applies to new ones. */
export async function updateSlaPlan(
  db: Db,
  actor: Viewer,
  input: SlaPlanUpdateInput,
  now = new Date(),
): Promise<Result<SlaPlan>> {
  const { id, ...fields } = input;
  return adminTransaction(db, actor, SLA_PLAN, (tx) =>
    auditedUpdate(tx, actor, SLA_PLAN, {
      now,
      fields,
      lock: () =>
        tx.select().from(slaPlans).where(eq(slaPlans.id, id)).for("update"),
      write: () =>
        tx
          .update(slaPlans)
          .set({ ...fields, updatedAt: now })
          .where(eq(slaPlans.id, id))
          .returning(),
    }),
  );
}
