import { z } from "zod";
import { searchText } from "@/lib/text";
import { ticketNumberParam } from "@/lib/tickets/schemas";

// The staff customer pages' inputs, shared by the pages and their actions. Client-safe.

/** A customer's id as the URL carries it. */
export const customerId = z.uuid();

export const MAILBOX_OPERATIONS = [
  "retry",
  "suspend",
  "reactivate",
  "delete",
] as const;
export type MailboxOperation = (typeof MAILBOX_OPERATIONS)[number];

/** One of the mailbox card's buttons, pressed by an admin. */
export const mailboxOperationInput = z.object({
  mailboxId: z.uuid("This mailbox does not exist."),
  operation: z.enum(MAILBOX_OPERATIONS, "Choose one of the buttons."),
});
export type MailboxOperationInput = z.infer<typeof mailboxOperationInput>;

const blankToUndefined = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? undefined : v;

/** The customer list's search parameters; anything unusable falls back to the default. */
export const customerFiltersInput = z.object({
  // A NUL or line break in `?q=` is searched for as a space, never a failed query.
  q: z.preprocess(
    (v) => (typeof v === "string" ? blankToUndefined(searchText(v)) : v),
    z.string().max(200).optional().catch(undefined),
  ),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  ),
});
export type CustomerFilters = z.infer<typeof customerFiltersInput>;

/** An agent linking a stored order to a ticket (lib/customers/order-links.ts). */
export const linkOrderInput = z.object({
  number: ticketNumberParam,
  orderId: z.uuid("Choose an order."),
});

/** An agent linking an order read live from the Shopify store to a ticket. */
export const linkShopifyOrderInput = z.object({
  number: ticketNumberParam,
  gid: z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "Choose an order."),
});
