// How thread events read. Pure and client-safe.

import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { TICKET_STATUS_LABELS } from "@/lib/tickets/schemas";

const str = (v: unknown): string | null =>
  typeof v === "string" && v ? v : null;

/** A stored value in the words the selects use ("Pending", "Emergency"); unknown ones as stored. */
const label = (labels: Record<string, string>, v: unknown) => {
  const s = str(v);
  return s === null ? "?" : Object.hasOwn(labels, s) ? labels[s]! : s;
};

export function describeEvent(
  action: string,
  data: Record<string, unknown>,
  actorName: string | null,
): string {
  const who = actorName ?? "System";
  switch (action) {
    case "ticket.assigned": {
      const to = str(data.to);
      return to
        ? to === actorName
          ? `${who} took the ticket`
          : `${who} assigned the ticket to ${to}`
        : `${who} unassigned the ticket`;
    }
    case "ticket.status_changed":
      return `${who} changed the status from ${label(TICKET_STATUS_LABELS, data.from)} to ${label(TICKET_STATUS_LABELS, data.to)}`;
    case "ticket.priority_changed":
      return `${who} changed the priority from ${label(PRIORITY_LABELS, data.from)} to ${label(PRIORITY_LABELS, data.to)}`;
    case "ticket.department_changed":
      return `${who} moved the ticket from ${str(data.from) ?? "?"} to ${str(data.to) ?? "?"}`;
    case "ticket.help_topic_changed":
      return data.to === null
        ? `${who} removed the help topic`
        : `${who} set the help topic to ${str(data.to) ?? "?"}`;
    case "ticket.sla_changed":
      return str(data.plan)
        ? `The ticket now follows the SLA plan ${str(data.plan)}; its due time was counted again`
        : "The ticket no longer has an SLA plan; it has no due time";
    case "ticket.tag_added":
      return `${who} tagged the ticket “${str(data.tag) ?? "?"}”`;
    case "ticket.tag_removed":
      return `${who} removed the tag “${str(data.tag) ?? "?"}”`;
    case "ticket.order_linked":
      return `${who} linked order ${str(data.order) ?? "?"} to the ticket`;
    case "ticket.opened_for_customer":
      return `${who} opened the ticket for the customer (${data.source === "phone" ? "by phone" : "in person"}); ${data.notified ? "the customer was told by mail" : "the customer was not notified"}`;
    case "ticket.cc_added":
      return `${who} copied ${str(data.email) ?? "?"} on the ticket`;
    case "ticket.cc_removed":
      return `${who} stopped copying ${str(data.email) ?? "?"}`;
    case "ticket.merged_into":
      return `${who} merged this ticket into #${str(data.number) ?? "?"}`;
    case "ticket.merged_from": {
      const n = typeof data.messages === "number" ? data.messages : 0;
      return `${who} merged #${str(data.number) ?? "?"} into this ticket (${n} message${n === 1 ? "" : "s"} moved here)`;
    }
    case "ticket.reopened":
      return `${who} reopened the ticket`;
    case "ticket.closed":
      return `${who} closed the ticket`;
    default:
      return `${who}: ${action.replace(/^ticket\./, "").replace(/_/g, " ")}`;
  }
}
