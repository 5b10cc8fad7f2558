import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { slaHolidays, slaPlans, type SlaPlan } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import type { SlaPlanInput, SlaPlanUpdateInput } from "@/lib/helpdesk/schemas";
import type {
  SlaHolidayInput,
  SlaHolidayRemoval,
  SlaHoursInput,
} from "@/lib/helpdesk/sla-plan-schemas";
import {
  adminTransaction,
  auditedInsert,
  auditedUpdate,
  type SettingsKind,
} from "@/lib/helpdesk/settings-write";
import { fail, ok, type Result } from "@/lib/result";

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
  return updatePlan(db, actor, input, now);
}

/**
 * Sets a plan's working hours (null = round the clock) and time zone. Like the grace period, they
 * apply to due times computed from now on: tickets' current due dates stay, and a paused ticket
 * resumes by the new calendar.
 */
export async function setSlaPlanHours(
  db: Db,
  actor: Viewer,
  input: SlaHoursInput,
  now = new Date(),
): Promise<Result<SlaPlan>> {
  return updatePlan(db, actor, input, now);
}

export type SlaHoliday = typeof slaHolidays.$inferSelect;

const HOLIDAY: SettingsKind = {
  entityType: "sla_holiday",
  gone: "This SLA plan no longer exists.",
  unique: {
    field: "day",
    message: "This day is already a holiday of the plan.",
  },
};

export async function listSlaHolidays(
  db: Db,
  planId: number,
): Promise<SlaHoliday[]> {
  return db
    .select()
    .from(slaHolidays)
    .where(eq(slaHolidays.slaPlanId, planId))
    .orderBy(asc(slaHolidays.day));
}

/** Adds a day on which the plan's clock stands still. */
export async function addSlaHoliday(
  db: Db,
  actor: Viewer,
  input: SlaHolidayInput,
  now = new Date(),
): Promise<Result<SlaHoliday>> {
  return adminTransaction(db, actor, HOLIDAY, async (tx) => {
    const [plan] = await tx
      .select({ id: slaPlans.id })
      .from(slaPlans)
      .where(eq(slaPlans.id, input.planId))
      .for("update");
    if (!plan) return fail("not_found", HOLIDAY.gone);
    return auditedInsert(tx, actor, HOLIDAY, {
      now,
      data: { ...input },
      insert: () =>
        tx
          .insert(slaHolidays)
          .values({ slaPlanId: input.planId, day: input.day, name: input.name })
          .returning(),
    });
  });
}

/** Removes a holiday; one already gone counts as removed. */
export async function removeSlaHoliday(
  db: Db,
  actor: Viewer,
  input: SlaHolidayRemoval,
  now = new Date(),
): Promise<Result<null>> {
  return adminTransaction(db, actor, HOLIDAY, async (tx) => {
    const [gone] = await tx
      .delete(slaHolidays)
      .where(
        and(
          eq(slaHolidays.id, input.holidayId),
          eq(slaHolidays.slaPlanId, input.planId),
        ),
      )
      .returning();
    if (gone) {
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "sla_holiday.deleted",
        entityType: "sla_holiday",
        entityId: String(gone.id),
        data: { planId: gone.slaPlanId, day: gone.day, name: gone.name },
        at: now,
      });
    }
    return ok(null);
  });
}

/** One audited update of a plan's columns, for the settings form and the calendar form alike. */
function updatePlan(
  db: Db,
  actor: Viewer,
  input: SlaPlanUpdateInput | SlaHoursInput,
  now: Date,
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
