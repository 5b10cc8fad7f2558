// SLA arithmetic, pure. A plan's grace period runs in wall-clock hours from when the ticket was
// opened (or reopened); the due time is cleared once the ticket is resolved or closed. A pending
// ticket waits on the customer, not on the team: it is never overdue.

const HOUR = 3600_000;

export function slaDueAt(from: Date, gracePeriodHours: number): Date {
  return new Date(from.getTime() + gracePeriodHours * HOUR);
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
