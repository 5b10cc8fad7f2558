// The staff alerts an agent can turn off on /staff/account. Pure and client-safe. Only alerts the
// desk really sends are listed; an agent without a setting gets all of them.

export const ALERT_KINDS = [
  "new_ticket",
  "unassigned_reply",
  "my_ticket_reply",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_TEXT: Record<
  AlertKind,
  { label: string; hint: string }
> = {
  new_ticket: {
    label: "A new ticket arrives in one of my departments",
    hint: "From the portal, by mail, through the API or opened by a colleague for a caller.",
  },
  unassigned_reply: {
    label: "A customer writes on an unassigned ticket in one of my departments",
    hint: "So a follow-up nobody owns yet is not missed.",
  },
  my_ticket_reply: {
    label: "A customer writes on a ticket assigned to me",
    hint: "Replies by mail or in the portal, also from people copied on the ticket.",
  },
};
