import {
  addWorkingTime,
  parseStoredHours,
  workingTimeBetween,
  type WorkCalendar,
} from "@/lib/helpdesk/business-hours";

// SLA arithmetic, pure. A plan's grace period runs in working hours (its business hours, time zone
// and holidays; round the clock when it has none) from when the ticket was opened (or reopened).
// While the ticket waits on the customer (pending) the clock stands still, and on their answer the
// due time moves on by the working time that passed meanwhile. Resolved or closed clears it.

const HOUR = 3600_000;

/** A plan as the clock sees it. */
export type SlaClockPlan = WorkCalendar & { gracePeriodHours: number };

/** A plan row (and its holidays) as the clock sees it. */
export function clockPlanOf(
  plan: { gracePeriodHours: number; businessHours: unknown; timeZone: string },
  holidays: readonly string[],
): SlaClockPlan {
  return {
    gracePeriodHours: plan.gracePeriodHours,
    hours: parseStoredHours(plan.businessHours),
    timeZone: plan.timeZone,
    holidays,
  };
}

/** The one place a ticket's SLA due time is computed from its plan. */
export function slaDueAt(from: Date, plan: SlaClockPlan): Date {
  return addWorkingTime(from, plan.gracePeriodHours * HOUR, plan);
}

type TicketClock = {
  status: string;
  dueAt: Date | null;
  slaPausedAt: Date | null;
};

type ClockFields = {
  dueAt: Date | null;
  slaPausedAt: Date | null;
  /** Only when a fresh grace period begins. */
  slaStartedAt?: Date;
};

const isFinished = (status: string) =>
  status === "resolved" || status === "closed";

/**
 * The clock's fields after a ticket moves from `before.status` to `to` at `now`. `plan` is the
 * ticket's plan, null when it has none (a due time set by hand, e.g. over the API, then shifts on
 * the wall clock).
 */
export function nextSlaClock(
  before: TicketClock,
  to: string,
  now: Date,
  plan: SlaClockPlan | null,
): ClockFields {
  if (isFinished(to)) return { dueAt: null, slaPausedAt: null };
  if (isFinished(before.status)) {
    // Reopened: a fresh grace period, paused at once when it reopens waiting on the customer.
    return {
      dueAt: plan ? slaDueAt(now, plan) : null,
      slaPausedAt: to === "pending" ? now : null,
      slaStartedAt: now,
    };
  }
  if (to === "pending")
    return { dueAt: before.dueAt, slaPausedAt: before.slaPausedAt ?? now };
  // Open (again): the working time spent waiting on the customer is not the team's.
  if (!before.slaPausedAt || !before.dueAt)
    return { dueAt: before.dueAt, slaPausedAt: null };
  const calendar = plan ?? { hours: null, timeZone: "UTC", holidays: [] };
  const waited = workingTimeBetween(before.slaPausedAt, now, calendar);
  return {
    dueAt: addWorkingTime(before.dueAt, waited, calendar),
    slaPausedAt: null,
  };
}

/**
 * The due time after the plan that governs a ticket changed (another department or help topic, or
 * the plan's hours, holidays or grace period edited): the grace period is counted again under the
 * new plan from when it began, and the working time already spent waiting on the customer is kept.
 * No plan any more means no due time; a ticket finished, or with no known start, keeps its own.
 */
export function replannedDueAt(
  ticket: TicketClock & { slaStartedAt: Date | null },
  before: SlaClockPlan | null,
  after: SlaClockPlan | null,
): Date | null {
  if (isFinished(ticket.status) || !ticket.slaStartedAt) return ticket.dueAt;
  if (!after) return before ? null : ticket.dueAt;
  const fresh = slaDueAt(ticket.slaStartedAt, after);
  if (!before || !ticket.dueAt) return fresh;
  // What the old plan alone would have given; anything past it was time waited on the customer.
  const unpaused = slaDueAt(ticket.slaStartedAt, before);
  const waited =
    ticket.dueAt > unpaused
      ? workingTimeBetween(unpaused, ticket.dueAt, before)
      : 0;
  return addWorkingTime(fresh, waited, after);
}

export type SlaState =
  | { kind: "none" }
  | { kind: "waiting" }
  | { kind: "due"; msLeft: number }
  | { kind: "overdue"; msLate: number };

export function slaState(
  dueAt: Date | null,
  status: string,
  now: Date,
): SlaState {
  if (!dueAt || status === "resolved" || status === "closed")
    return { kind: "none" };
  if (status === "pending") return { kind: "waiting" };
  const diff = dueAt.getTime() - now.getTime();
  return diff >= 0
    ? { kind: "due", msLeft: diff }
    : { kind: "overdue", msLate: -diff };
}

/** "3 h 20 min", "2 d 4 h", "45 min": compact enough for a queue cell. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48)
    return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
