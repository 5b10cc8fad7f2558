import { z } from "zod";
import type { TicketPriority } from "@/db/schema";

// Shared by the settings forms and the server actions behind them. Client-safe.

// Ids are integers like osTicket's, so its API callers can keep sending topic 1, 2 or 10. Digits
// only: Number() would also read "1e3" or "0x10", and nine digits stay inside Postgres' integer.
const idOf = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^[1-9]\d{0,8}$/, message)
    .transform(Number);

/** A settings record's id from a URL segment or a hidden field. */
export const recordId = idOf("This record does not exist.");

/** An optional reference chosen from a select, whose empty option means "none". */
const optionalIdOf = (message: string) =>
  z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      idOf(message).optional(),
    )
    .transform((v) => v ?? null);

// An unticked checkbox sends nothing, a ticked one "on".
const checkbox = z
  .enum(["on"])
  .optional()
  .transform((v) => v === "on");

/** A checkbox group of department ids: nothing, one value or several, each sent under one name. */
export const departmentIdList = z
  .preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string()),
  )
  .refine((ids) => ids.every((id) => /^[1-9]\d{0,8}$/.test(id)), {
    message: "Choose departments from the list.",
  })
  .transform((ids) => [...new Set(ids.map(Number))]);

const nameOf = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter a name for the ${what}.`)
    .max(80, "Use at most 80 characters.");

export const PRIORITIES = [
  "low",
  "normal",
  "high",
  "emergency",
] as const satisfies readonly TicketPriority[];

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  emergency: "Emergency",
};

/* Departments */

export const SIGNATURE_MAX = 2000;

/** A reply signature: plain text, "" (or absent) for none. */
export const signatureText = z
  .string()
  .trim()
  .max(SIGNATURE_MAX, `Keep the signature under ${SIGNATURE_MAX} characters.`)
  .optional()
  .transform((v) => v || null);

export const departmentInput = z.object({
  name: nameOf("department"),
  email: z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      z
        .string()
        .trim()
        .max(254, "That email address is too long.")
        .pipe(z.email("Enter a valid email address, or leave it empty."))
        .transform((e) => e.toLowerCase())
        .optional(),
    )
    .transform((v) => v ?? null),
  slaPlanId: optionalIdOf("Choose an SLA plan from the list."),
  isPublic: checkbox,
  signature: signatureText,
});
export type DepartmentInput = z.infer<typeof departmentInput>;

export const departmentUpdateInput = departmentInput.extend({ id: recordId });
export type DepartmentUpdateInput = z.infer<typeof departmentUpdateInput>;

export const departmentMemberInput = z.object({
  departmentId: recordId,
  userId: z.uuid("Choose an agent from the list."),
});
export type DepartmentMemberInput = z.infer<typeof departmentMemberInput>;

/* Help topics */

export const helpTopicInput = z.object({
  name: nameOf("help topic"),
  departmentId: idOf("Choose a department."),
  priority: z.enum(PRIORITIES, { error: "Choose a priority." }),
  slaPlanId: optionalIdOf("Choose an SLA plan from the list."),
  isPublic: checkbox,
  isActive: checkbox,
});
export type HelpTopicInput = z.infer<typeof helpTopicInput>;

export const helpTopicUpdateInput = helpTopicInput.extend({ id: recordId });
export type HelpTopicUpdateInput = z.infer<typeof helpTopicUpdateInput>;

/* SLA plans */

export const GRACE_PERIOD_MAX_HOURS = 8760;

export const slaPlanInput = z.object({
  name: nameOf("SLA plan"),
  gracePeriodHours: z
    .string({ error: "Enter the grace period in hours." })
    .trim()
    .min(1, { message: "Enter the grace period in hours.", abort: true })
    .regex(/^\d{1,9}$/, {
      message: "Enter a whole number of hours, such as 24.",
      abort: true,
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, "The grace period must be at least 1 hour.")
        .max(
          GRACE_PERIOD_MAX_HOURS,
          `Use at most ${GRACE_PERIOD_MAX_HOURS} hours (a year).`,
        ),
    ),
  isActive: checkbox,
});
export type SlaPlanInput = z.infer<typeof slaPlanInput>;

export const slaPlanUpdateInput = slaPlanInput.extend({ id: recordId });
export type SlaPlanUpdateInput = z.infer<typeof slaPlanUpdateInput>;

/* Canned replies */

/** The placeholders a canned reply may use; they are filled in when an agent inserts the reply. */
export const CANNED_REPLY_VARIABLES = [
  "{{customer.name}}",
  "{{ticket.number}}",
  "{{ticket.subject}}",
  "{{agent.name}}",
] as const;

const KNOWN_VARIABLES = new Set<string>(CANNED_REPLY_VARIABLES);

export const cannedReplyInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Enter a title.")
    .max(120, "Use at most 120 characters."),
  body: z
    .string()
    .trim()
    .min(1, "Enter the text of the reply.")
    .max(20_000, "Use at most 20,000 characters.")
    // A typo such as {{customer.nmae}} would reach the customer verbatim, so refuse it here.
    .superRefine((body, ctx) => {
      const unknown = [...body.matchAll(/\{\{[^{}]*\}\}/g)]
        .map((m) => m[0])
        .filter((v) => !KNOWN_VARIABLES.has(v));
      if (unknown.length)
        ctx.addIssue({
          code: "custom",
          message: `Unknown variable ${[...new Set(unknown)].join(", ")}. Use ${CANNED_REPLY_VARIABLES.join(", ")}.`,
        });
    }),
  departmentId: optionalIdOf("Choose a department from the list."),
  isActive: checkbox,
});
export type CannedReplyInput = z.infer<typeof cannedReplyInput>;

export const cannedReplyUpdateInput = cannedReplyInput.extend({
  id: recordId,
});
export type CannedReplyUpdateInput = z.infer<typeof cannedReplyUpdateInput>;

/** For the buttons that act on one record: deactivate, delete, remove. */
export const recordIdInput = z.object({ id: recordId });

export const activeToggleInput = z.object({
  id: recordId,
  isActive: z.enum(["true", "false"]).transform((v) => v === "true"),
});
export type ActiveToggleInput = z.infer<typeof activeToggleInput>;
