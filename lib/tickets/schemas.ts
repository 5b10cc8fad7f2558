import { serialId, serialIdNumber } from "@/lib/ids";
import { signatureText } from "@/lib/helpdesk/schemas";
import { z } from "zod";
import { searchText, storableText } from "@/lib/text";

// Inbound shapes for the ticket forms and the staff JSON routes. Client-safe.

export const TICKET_STATUSES = [
  "open",
  "pending",
  "resolved",
  "closed",
] as const;
export const TICKET_PRIORITIES = [
  "low",
  "normal",
  "high",
  "emergency",
] as const;
export const TICKET_SOURCES = [
  "web",
  "email",
  "api",
  "staff",
  "phone",
  "other",
] as const;

// What agents read in selects and badges; the values above stay what forms post and the API speaks.
export const TICKET_STATUS_LABELS: Record<
  (typeof TICKET_STATUSES)[number],
  string
> = {
  open: "Open",
  pending: "Pending",
  resolved: "Resolved",
  closed: "Closed",
};
export const TICKET_SOURCE_LABELS: Record<
  (typeof TICKET_SOURCES)[number],
  string
> = {
  web: "Web",
  email: "Email",
  api: "API",
  staff: "Staff",
  phone: "Phone",
  other: "Other",
};

const message = z
  .string()
  .trim()
  .min(1, "Write a message.")
  .max(50_000, "Keep the message under 50,000 characters.");

const optionalUuid = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.uuid("Choose one of the options.").optional());

const files = z
  .union([z.instanceof(File), z.array(z.instanceof(File))])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  // An empty file input still posts one empty File (named "undefined" once React has serialised
  // it); a zero-byte upload is never a real attachment.
  .transform((list) => list.filter((f) => f.size > 0));

export const openTicketInput = z.object({
  helpTopicId: z.coerce
    .number({ message: "Choose a help topic." })
    .int()
    .positive("Choose a help topic."),
  subject: z
    .string()
    .trim()
    .min(3, "Use at least 3 characters.")
    .max(200, "Use at most 200 characters."),
  message,
  orderId: optionalUuid,
  attachments: files,
});
export type OpenTicketInput = z.infer<typeof openTicketInput>;

/** /contact: a visitor (or a customer who is not signed in) writes to support. */
export const contactInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter your name.")
    .max(120, "Use at most 120 characters."),
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address.")
    .max(254, "That email address is too long.")
    .pipe(z.email("Enter a valid email address.")),
  subject: openTicketInput.shape.subject,
  message,
  attachments: files,
  // The honeypot: hidden from people, filled in by form-filling robots.
  website: z.string().optional(),
});
export type ContactInput = z.infer<typeof contactInput>;

export const ticketNumberParam = z.string().regex(/^[0-9]{6}$/);

export const DRAFT_KINDS = ["reply", "note"] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** An autosave from the workspace's reply or note box. */
export const draftInput = z.object({
  kind: z.enum(DRAFT_KINDS),
  // A NUL or a lone surrogate cannot be stored in text: replaced, as in every form.
  body: z
    .string()
    .max(50_000, "Keep the message under 50,000 characters.")
    .transform(storableText),
});

/** An address an agent copies on a ticket (or stops copying). */
export const participantInput = z.object({
  number: ticketNumberParam,
  email: z
    .string()
    .trim()
    .min(1, "Enter an email address.")
    .max(254, "That email address is too long.")
    .pipe(z.email("Enter a valid email address.")),
});

export const mergeInput = z.object({
  number: ticketNumberParam,
  target: z
    .string({ message: "Choose the ticket to merge into." })
    .regex(/^[0-9]{6}$/, "Choose the ticket to merge into."),
});

export const customerReplyInput = z.object({
  number: ticketNumberParam,
  message,
  attachments: files,
});
export type CustomerReplyInput = z.infer<typeof customerReplyInput>;

export const agentReplyInput = z.object({
  number: ticketNumberParam,
  message,
  // What the ticket becomes once the reply is sent; agents usually wait for the customer.
  status: z.enum(TICKET_STATUSES).default("pending"),
  // The signature as the agent left it in the reply box; added under the message.
  signature: signatureText,
  attachments: files,
});
export type AgentReplyInput = z.infer<typeof agentReplyInput>;

export const internalNoteInput = z.object({
  number: ticketNumberParam,
  message,
  attachments: files,
});
export type InternalNoteInput = z.infer<typeof internalNoteInput>;

const optionalInt = z
  .string()
  .optional()
  .transform((v) => (v ? Number(v) : undefined))
  .pipe(serialIdNumber.optional());

// "" in a select means "none" (unassigned, no help topic).
const blankNull = (v: unknown) => (v === "" ? null : v);
const seenAssignee = z.preprocess(blankNull, z.uuid().nullable());
const seenTopic = z.preprocess(blankNull, serialId.nullable());

/**
 * Property changes from the workspace; "" for assignee means "unassign". The `seen*` fields carry
 * what the agent's form showed (and the ticket's version then), so only what this agent changed is
 * written and a colleague's change meanwhile is not undone (lib/tickets/property-conflicts.ts).
 */
export const ticketUpdateInput = z
  .object({
    number: ticketNumberParam,
    assigneeId: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "" ? null : v))
      .pipe(z.uuid().nullable().optional()),
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    departmentId: optionalInt,
    helpTopicId: z.preprocess(
      (v) => (v === undefined ? undefined : blankNull(v)),
      serialId.nullable().optional(),
    ),
    seenVersion: z.coerce.number().int().min(1).optional(),
    seenAssigneeId: seenAssignee.optional(),
    seenStatus: z.enum(TICKET_STATUSES).optional(),
    seenPriority: z.enum(TICKET_PRIORITIES).optional(),
    seenDepartmentId: serialId.optional(),
    seenHelpTopicId: seenTopic.optional(),
  })
  .transform(
    ({
      seenVersion,
      seenAssigneeId,
      seenStatus,
      seenPriority,
      seenDepartmentId,
      seenHelpTopicId,
      ...changes
    }) => ({
      ...changes,
      seen:
        seenVersion !== undefined &&
        seenAssigneeId !== undefined &&
        seenStatus &&
        seenPriority &&
        seenDepartmentId !== undefined &&
        seenHelpTopicId !== undefined
          ? {
              version: seenVersion,
              assigneeId: seenAssigneeId,
              status: seenStatus,
              priority: seenPriority,
              departmentId: seenDepartmentId,
              helpTopicId: seenHelpTopicId,
            }
          : undefined,
    }),
  );
type ParsedUpdate = z.output<typeof ticketUpdateInput>;
export type TicketUpdateInput = Omit<ParsedUpdate, "seen"> & {
  seen?: ParsedUpdate["seen"];
};

export const bulkUpdateInput = z
  .object({
    ids: z.array(z.uuid()).min(1, "Select at least one ticket.").max(200),
    assigneeId: z.uuid().nullable().optional(),
    status: z.enum(TICKET_STATUSES).optional(),
    // What the queue showed for each selected ticket, when it said.
    seen: z
      .record(
        z.uuid(),
        z.object({
          assigneeId: z.uuid().nullable(),
          status: z.enum(TICKET_STATUSES),
        }),
      )
      .optional(),
  })
  .refine(
    (v) => v.assigneeId !== undefined || v.status !== undefined,
    "Choose what to change.",
  );
export type BulkUpdateInput = z.infer<typeof bulkUpdateInput>;

export const QUEUE_VIEWS = [
  "open",
  "mine",
  "unassigned",
  "overdue",
  "pending",
  "resolved",
  "closed",
  "all",
] as const;
export const QUEUE_SORTS = ["activity", "created", "due", "priority"] as const;

const blankToUndefined = (v: unknown) =>
  v === "" || v === null ? undefined : v;

// Whatever arrives in `?q=` (a NUL, a line break) is searched for as words, never a failed query.
const searchParam = z.preprocess(
  (v) => (typeof v === "string" ? blankToUndefined(searchText(v)) : v),
  z.string().max(200).optional(),
);

/**
 * A ticket tag as stored and matched: trimmed, single-spaced, lower case, so "VIP " and "vip" are
 * one tag.
 */
export const TAG_MAX = 32;
export const tagName = z
  .string({ error: "Enter a tag." })
  .transform((v) => v.trim().replace(/\s+/g, " ").toLowerCase())
  .pipe(
    z
      .string()
      .min(1, "Enter a tag.")
      .max(TAG_MAX, `Keep a tag under ${TAG_MAX} characters.`)
      .refine(
        (v) => !v.includes(","),
        "Add one tag at a time, without commas.",
      ),
  );

export const ticketTagInput = z.object({
  number: ticketNumberParam,
  tag: tagName,
});
export type TicketTagInput = z.infer<typeof ticketTagInput>;

export const queueFiltersInput = z.object({
  view: z.preprocess(blankToUndefined, z.enum(QUEUE_VIEWS).default("open")),
  departmentId: z.preprocess(blankToUndefined, serialId.optional()),
  priority: z.preprocess(
    blankToUndefined,
    z.enum(TICKET_PRIORITIES).optional(),
  ),
  source: z.preprocess(blankToUndefined, z.enum(TICKET_SOURCES).optional()),
  assigneeId: z.preprocess(blankToUndefined, z.uuid().optional()),
  tag: z.preprocess(blankToUndefined, tagName.optional()),
  q: searchParam,
  sort: z.preprocess(blankToUndefined, z.enum(QUEUE_SORTS).default("activity")),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(1),
  ),
});
export type QueueFilters = z.infer<typeof queueFiltersInput>;

export const customerTicketFiltersInput = z.object({
  status: z.preprocess(
    blankToUndefined,
    z.enum(["open", "pending", "resolved", "closed", "all"]).default("all"),
  ),
  q: searchParam,
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(1),
  ),
});
export type CustomerTicketFilters = z.infer<typeof customerTicketFiltersInput>;

/** An agent opening a ticket for a customer who phoned or came by ("New ticket" in /staff). */
export const staffTicketInput = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter the customer's email address.")
    .max(254, "That email address is too long.")
    .pipe(z.email("Enter a valid email address.")),
  // Only used when the address is new to the desk.
  name: z.string().trim().max(100, "Use at most 100 characters.").default(""),
  source: z.enum(["phone", "staff"], "Choose how the customer reached you."),
  departmentId: z.coerce
    .number({ message: "Choose a department." })
    .pipe(serialIdNumber),
  helpTopicId: optionalInt,
  priority: z.preprocess(
    blankToUndefined,
    z.enum(TICKET_PRIORITIES).optional(),
  ),
  subject: z
    .string()
    .trim()
    .min(3, "Use at least 3 characters.")
    .max(200, "Use at most 200 characters."),
  message,
  attachments: files,
  notify: z.preprocess((v) => v === "on", z.boolean()),
  assignToMe: z.preprocess((v) => v === "on", z.boolean()),
});
export type StaffTicketInput = z.infer<typeof staffTicketInput>;
