import "server-only";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import {
  departments,
  helpTopics,
  slaHolidays,
  slaPlans,
  tickets,
  type Ticket,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { ok, type Result } from "@/lib/result";
import {
  clockPlanOf,
  nextSlaClock,
  replannedDueAt,
  type SlaClockPlan,
} from "@/lib/tickets/sla";

// The SLA clock's database side: read a plan with its holidays, and the clock fields a status
// change writes. The rules are nextSlaClock's, in lib/tickets/sla.ts.

export async function readSlaClockPlan(
  db: Db,
  planId: number | null,
): Promise<SlaClockPlan | null> {
  if (planId === null) return null;
  const [plan] = await db
    .select()
    .from(slaPlans)
    .where(eq(slaPlans.id, planId));
  if (!plan) return null;
  const holidays = await db
    .select({ day: slaHolidays.day })
    .from(slaHolidays)
    .where(eq(slaHolidays.slaPlanId, planId))
    .orderBy(asc(slaHolidays.day));
  return clockPlanOf(
    plan,
    holidays.map((h) => h.day),
  );
}

/**
 * `dueAt` and `slaPausedAt` for `ticket` moving to status `to` at `now`: paused on pending, moved
 * on by the working time waited when it opens again, a fresh due time on reopening, none once
 * resolved or closed. Reads the plan only when the answer depends on it.
 */
export async function slaClockUpdate(
  db: Db,
  ticket: Pick<Ticket, "status" | "dueAt" | "slaPausedAt" | "slaPlanId">,
  to: string,
  now: Date,
): Promise<ReturnType<typeof nextSlaClock>> {
  const finished = (s: string) => s === "resolved" || s === "closed";
  const needsPlan =
    !finished(to) &&
    (finished(ticket.status) ||
      (to !== "pending" &&
        ticket.slaPausedAt !== null &&
        ticket.dueAt !== null));
  const plan = needsPlan ? await readSlaClockPlan(db, ticket.slaPlanId) : null;
  return nextSlaClock(ticket, to, now, plan);
}

/**
 * The plan that governs a ticket filed under `topicId` in `departmentId`, by the routing rule: the
 * (active) topic's active plan, else the department's active plan, else none.
 */
export async function governingPlan(
  db: Db,
  topicId: number | null,
  departmentId: number,
): Promise<{ id: number; name: string } | null> {
  const named = (
    plan: { id: number; name: string; isActive: boolean } | null,
  ) => (plan?.isActive ? { id: plan.id, name: plan.name } : null);
  if (topicId !== null) {
    const [topic] = await db
      .select({ active: helpTopics.isActive, plan: slaPlans })
      .from(helpTopics)
      .leftJoin(slaPlans, eq(slaPlans.id, helpTopics.slaPlanId))
      .where(eq(helpTopics.id, topicId));
    if (topic?.active && topic.plan?.isActive) return named(topic.plan);
  }
  const [department] = await db
    .select({ plan: slaPlans })
    .from(departments)
    .leftJoin(slaPlans, eq(slaPlans.id, departments.slaPlanId))
    .where(eq(departments.id, departmentId));
  return named(department?.plan ?? null);
}

/**
 * The plan and due time for a ticket whose department or help topic just changed (`after` is the
 * ticket with the change applied): the new governing plan's grace period, counted from when the
 * ticket's began. Null when the plan stays the same.
 */
export async function replanTicket(
  db: Db,
  after: Pick<
    Ticket,
    | "status"
    | "dueAt"
    | "slaPausedAt"
    | "slaStartedAt"
    | "slaPlanId"
    | "helpTopicId"
    | "departmentId"
  >,
): Promise<{
  slaPlanId: number | null;
  dueAt: Date | null;
  planName: string | null;
} | null> {
  const plan = await governingPlan(db, after.helpTopicId, after.departmentId);
  const planId = plan?.id ?? null;
  if (planId === after.slaPlanId) return null;
  const before = await readSlaClockPlan(db, after.slaPlanId);
  const next = await readSlaClockPlan(db, planId);
  return {
    slaPlanId: planId,
    dueAt: replannedDueAt(after, before, next),
    planName: plan?.name ?? null,
  };
}

/**
 * Runs `edit` of plan `planId` (its grace period, hours, time zone or holidays: lib/helpdesk's
 * settings writes) and, when it succeeds, counts the plan's running tickets' due times again under
 * the plan as edited, all in one transaction.
 */
export function editingPlan<T>(
  db: Db,
  planId: number,
  edit: (tx: Db) => Promise<Result<T>>,
  now = new Date(),
): Promise<Result<{ edited: T; moved: number }>> {
  return db.transaction(async (tx) => {
    const before = await readSlaClockPlan(tx, planId);
    const edited = await edit(tx);
    if (!edited.ok) return edited;
    const moved = await replanTicketsOnPlan(tx, planId, before, now);
    return ok({ edited: edited.value, moved });
  });
}

/**
 * Counts the due times of a plan's running tickets again after its grace period, hours, time zone
 * or holidays changed (`before` is the plan as it was). Returns how many moved.
 */
async function replanTicketsOnPlan(
  db: Db,
  planId: number,
  before: SlaClockPlan | null,
  now: Date,
): Promise<number> {
  const after = await readSlaClockPlan(db, planId);
  if (!before || !after) return 0;
  const running = await db
    .select({
      id: tickets.id,
      status: tickets.status,
      dueAt: tickets.dueAt,
      slaPausedAt: tickets.slaPausedAt,
      slaStartedAt: tickets.slaStartedAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.slaPlanId, planId),
        inArray(tickets.status, ["open", "pending"]),
        isNotNull(tickets.slaStartedAt),
      ),
    )
    .for("update");
  let moved = 0;
  for (const ticket of running) {
    const dueAt = replannedDueAt(ticket, before, after);
    if (dueAt?.getTime() === ticket.dueAt?.getTime()) continue;
    await db
      .update(tickets)
      .set({ dueAt, updatedAt: now })
      .where(eq(tickets.id, ticket.id));
    moved++;
  }
  return moved;
}
