import "server-only";
import { asc, eq } from "drizzle-orm";
import { slaHolidays, slaPlans, type Ticket } from "@/db/schema";
import type { Db } from "@/db/types";
import {
  clockPlanOf,
  nextSlaClock,
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
): Promise<{ dueAt: Date | null; slaPausedAt: Date | null }> {
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
