import { z } from "zod";
import { MAX_SERIAL_ID } from "@/lib/ids";
import {
  DUEDATE_INVALID,
  DUEDATE_PAST,
  type ValidationError,
} from "@/lib/osticket/errors";
import type { TICKET_PRIORITIES } from "@/lib/tickets/schemas";

// The simple fields of a ticket request, read the same way from JSON and XML (docs/api.md §4).
// osTicket is lenient: a field of the wrong shape counts as absent rather than failing the request,
// and only the required fields (user, subject, message) and the due date produce errors. Pure and
// client-safe.

export type OsTicketPriority = (typeof TICKET_PRIORITIES)[number];

export type OsTicketPhone =
  /** Digits plus an optional `X<extension>`, punctuation removed. */
  | { isValid: true; number: string }
  /** Fails user validation only when a new user is created. */
  | { isValid: false; raw: string };

/** A string, or a finite number read as text, as PHP reads a scalar. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

// Like PHP's strip_tags: tags go, their text stays (`<b>Hugo</b> <script>x</script>Html` → `Hugo xHtml`).
export function stripTags(text: string): string {
  return text.replace(/<(?=[!/?A-Za-z])[^>]*(?:>|$)/g, "");
}

// Upstream removes "most pictographs, roughly U+1F300–U+1F9FF" from subjects and messages (§4, §5).
export function stripEmoji(text: string): string {
  return text.replace(/[\u{1F300}-\u{1F9FF}]/gu, "");
}

// A bare dot-atom address; `Name <a@b.c>` and any address at localhost are refused (§4).
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const BARE_EMAIL = new RegExp(
  `^${ATOM}(?:\\.${ATOM})*@(${LABEL}(?:\\.${LABEL})*)$`,
);

function isBareEmail(email: string): boolean {
  const host = BARE_EMAIL.exec(email)?.[1];
  return host !== undefined && host.toLowerCase() !== "localhost";
}

/** Upstream upper-cases the value and keeps only digits and the `X` that starts an extension. */
function parsePhone(raw: string): OsTicketPhone | undefined {
  if (raw.trim() === "") return undefined;
  const kept = raw.toUpperCase().replace(/[^\dX]/g, "");
  const [number = "", extension, ...rest] = kept.split("X");
  const isValid =
    /^\d+$/.test(number) &&
    rest.length === 0 &&
    (extension === undefined || /^\d+$/.test(extension));
  return isValid ? { isValid, number: kept } : { isValid, raw };
}

const PRIORITIES_BY_ID = {
  "1": "low",
  "2": "normal",
  "3": "high",
  "4": "emergency",
} as const satisfies Record<string, OsTicketPriority>;
const PRIORITY_IDS = z.enum(["1", "2", "3", "4"]);

/** A field that is as good as absent when its value has the wrong shape. */
const lenient = <S extends z.ZodType>(schema: S) =>
  schema.optional().catch(undefined);

const scalar = z.union([z.string(), z.number().transform(String)]);
/** Trimmed text, absent when blank. */
const optionalText = (clean: (text: string) => string = (text) => text) =>
  lenient(scalar.transform((text) => clean(text).trim() || undefined));
const priority = lenient(
  z
    .union([z.number(), z.string()])
    .transform((value) => String(value).trim())
    .pipe(PRIORITY_IDS)
    .transform((id) => PRIORITIES_BY_ID[id]),
);

export const requestFields = z.object({
  /** A single bare address, trimmed; DNS is not checked here. */
  email: lenient(z.string().trim().refine(isBareEmail)),
  /** Emoji removed; absent is empty (and then required). */
  subject: scalar.catch("").transform((text) => stripEmoji(text.trim())),
  /** HTML stripped. */
  name: optionalText(stripTags),
  phone: lenient(scalar.transform(parsePhone)),
  notes: optionalText(),
  // Past the largest serial id no topic can exist: such an id is as unknown as any other.
  topicId: lenient(
    z
      .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)])
      .pipe(z.int().positive().max(MAX_SERIAL_ID)),
  ),
  priorityId: priority,
  priority,
  ip: optionalText(),
});
export type RequestFields = z.output<typeof requestFields>;

/** The due date's error, if any: it is validated but never stored for API tickets (§4). */
export function dueDateError(
  value: unknown,
  now: Date,
): ValidationError | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  let at: number;
  if (typeof value === "number") at = value * 1000;
  else if (typeof value !== "string") return DUEDATE_INVALID;
  // Bare digits are a Unix time, which the upstream notes recommend.
  else if (/^\d+$/.test(value.trim())) at = Number(value.trim()) * 1000;
  else at = Date.parse(value.trim());
  if (!Number.isFinite(at)) return DUEDATE_INVALID;
  return at <= now.getTime() ? DUEDATE_PAST : undefined;
}
