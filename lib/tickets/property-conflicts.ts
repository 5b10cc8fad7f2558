// Two agents editing one ticket: what each save may change. Pure, so every case is unit-tested.
//
// A save carries the values the agent saw. Only the properties the agent changed from those are
// written, so a colleague's change to another property survives. Where the colleague changed the same
// property to something else meanwhile, the save is refused for that property, never silently undone.

import type { TicketPriority, TicketStatus } from "@/db/schema";

export const TICKET_PROPERTIES = [
  "assigneeId",
  "status",
  "priority",
  "departmentId",
  "helpTopicId",
] as const;
export type TicketProperty = (typeof TICKET_PROPERTIES)[number];

export type TicketProperties = {
  assigneeId: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  departmentId: number;
  helpTopicId: number | null;
};

export type PropertyChanges = Partial<TicketProperties>;

/** The properties the agent set to something other than what they saw. */
export function changedFrom(
  seen: TicketProperties,
  wanted: PropertyChanges,
): PropertyChanges {
  const changes: Record<string, unknown> = {};
  for (const p of TICKET_PROPERTIES) {
    if (wanted[p] !== undefined && wanted[p] !== seen[p])
      changes[p] = wanted[p];
  }
  return changes as PropertyChanges;
}

/**
 * The properties someone else changed after the agent looked, to a value other than the agent's
 * choice. Agreeing with the colleague (both chose the same) is no conflict.
 */
export function conflictsWith(
  seen: TicketProperties,
  current: TicketProperties,
  changes: PropertyChanges,
): TicketProperty[] {
  return TICKET_PROPERTIES.filter(
    (p) =>
      changes[p] !== undefined &&
      current[p] !== seen[p] &&
      current[p] !== changes[p],
  );
}

/** The changes still worth writing: those that differ from what the ticket holds now. */
export function stillDifferent(
  current: TicketProperties,
  changes: PropertyChanges,
): PropertyChanges {
  return changedFrom(current, changes);
}

export type VersionedProperties = TicketProperties & { version: number };

/** A property's hidden "what I saw" field in the workspace form: assigneeId → seenAssigneeId. */
export const seenFieldName = (p: TicketProperty) =>
  `seen${p[0]!.toUpperCase()}${p.slice(1)}`;

/** What the workspace form posts as its basis for a ticket in this state ("" for none). */
export function seenFormValues(p: VersionedProperties): Record<string, string> {
  const values: Record<string, string> = { seenVersion: String(p.version) };
  for (const name of TICKET_PROPERTIES)
    values[seenFieldName(name)] = p[name] === null ? "" : String(p[name]);
  return values;
}
