import {
  MESSAGE_REQUIRED,
  ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL,
  ORIGIN_INVALID,
  ORIGIN_WEB_WITHOUT_TOPIC,
  osTicketFailure,
  SUBJECT_REQUIRED,
  USER_INCOMPLETE,
  type OsTicketResult,
  type ValidationError,
} from "@/lib/osticket/errors";
import {
  dueDateError,
  requestFields,
  stripEmoji,
  type OsTicketPhone,
  type OsTicketPriority,
  type RequestFields,
} from "@/lib/osticket/request/fields";
import {
  isPhpNumeric,
  isPhpTruthy,
  type FieldMap,
} from "@/lib/osticket/request/php";

// A ticket request as osTicket 1.18's API reads it, whichever format carried it (docs/api.md §4–§6):
// json.ts and xml.ts decode their format into fields, a message and files, and this module checks
// them the same way for both. Client-safe and framework-free: the route reads the body, the
// request/ modules decide what it means, and the database questions (user lookup, ban list, DNS,
// topic) stay with the caller.

export type OsTicketMessage = {
  format: "text" | "html";
  /** Emoji removed; an empty message is `-`. HTML is not yet sanitised. */
  body: string;
};

export type OsTicketAttachment = {
  name: string;
  type: string;
  data: Uint8Array;
};

/** A file dropped without failing the ticket; upstream records it in a "File Import Error" internal note. */
export type OsTicketRejectedFile = {
  name: string;
  reason: "too_large" | "unreadable" | "type_not_allowed";
};

export type OsTicketRequest = {
  source: "api";
  /** A single bare address, trimmed; DNS is not checked here. */
  email: string;
  /** HTML stripped. Only a new user needs it; an existing user's name is never updated. */
  name?: string;
  phone?: OsTicketPhone;
  /** Internal notes for a new user. */
  notes?: string;
  /** Emoji removed. */
  subject: string;
  message: OsTicketMessage;
  alert: boolean;
  autorespond: boolean;
  /** A numeric id to resolve; an unknown or inactive topic is silently ignored upstream. */
  topicId?: number;
  /** Absent means the topic's or the default priority. */
  priority?: OsTicketPriority;
  /** The submitter's IP as sent, unvalidated; absent means the caller's address. */
  ip?: string;
  attachments: OsTicketAttachment[];
  rejectedFiles: OsTicketRejectedFile[];
  // `duedate` is validated but never stored for API tickets (§4), so it is not carried.
};

export type OsTicketParseOptions = {
  /** Due dates must be later than this. */
  now: Date;
  /** Per-file limit in bytes; osTicket's default `max_file_size` is 1 MB. */
  maxFileBytes?: number;
};

/** Upstream has no limit of its own and crashes past PHP's 8 MB `post_max_size` (§12). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** The type of a file sent without one. */
export const DEFAULT_FILE_TYPE = "application/octet-stream";

/** What a format contributes beyond the simple fields. */
export type FormatParts = {
  alert: boolean;
  autorespond: boolean;
  message: OsTicketMessage | undefined;
  files: () => DecodedFiles;
};

export type DecodedFiles = {
  attachments: OsTicketAttachment[];
  rejected: OsTicketRejectedFile[];
};

type Refusal = ReturnType<typeof osTicketFailure>;

/** The request body as text, or why it cannot be read. */
export function decodeBody(
  body: string | Uint8Array,
): string | "too_large" | "bad_utf8" {
  const size =
    typeof body === "string" ? utf8Length(body, MAX_BODY_BYTES) : body.length;
  if (size > MAX_BODY_BYTES) return "too_large";
  if (typeof body === "string") return body;
  try {
    // Keep a byte-order mark so it fails like any other stray character, as in PHP.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      body,
    );
  } catch {
    return "bad_utf8";
  }
}

// Counts UTF-8 bytes, stopping once past the limit so a huge string is not copied.
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes +=
      code < 0x80
        ? 1
        : code < 0x800
          ? 2
          : code >= 0xd800 && code < 0xdc00
            ? 4
            : 3;
    if (code >= 0xd800 && code < 0xdc00) i++;
    if (bytes > limit) break;
  }
  return bytes;
}

/** A message's text as stored: emoji removed, and an empty message a single dash, as upstream does. */
export function messageBody(
  format: OsTicketMessage["format"],
  body: string,
): OsTicketMessage {
  const text = stripEmoji(body);
  return { format, body: text === "" ? "-" : text };
}

/** Checks a decoded request in upstream's order and builds it, or the refusal upstream gives. */
export function buildRequest(
  raw: FieldMap,
  parts: FormatParts,
  options: OsTicketParseOptions,
): OsTicketResult<OsTicketRequest> {
  const fields = requestFields.parse(raw);
  // The origin is checked before anything else upstream.
  const origin = originFailure(raw, fields);
  if (origin) return origin;

  const { email, subject } = fields;
  const errors: ValidationError[] = [];
  if (email === undefined) errors.push(USER_INCOMPLETE);
  if (subject === "") errors.push(SUBJECT_REQUIRED);
  if (parts.message === undefined) errors.push(MESSAGE_REQUIRED);
  const due = dueDateError(raw.duedate, options.now);
  if (due) errors.push(due);
  if (errors.length > 0 || email === undefined || !parts.message)
    return osTicketFailure({
      kind: "validation",
      errors,
      email,
      newUserDetails: canCreateUser(fields),
    });

  const { attachments, rejected } = parts.files();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const rejectedFiles = [...rejected];
  const accepted = attachments.filter((file) => {
    if (file.data.byteLength <= maxFileBytes) return true;
    rejectedFiles.push({ name: file.name, reason: "too_large" });
    return false;
  });

  return {
    ok: true,
    value: {
      source: "api",
      email,
      name: fields.name,
      phone: fields.phone,
      notes: fields.notes,
      subject,
      message: parts.message,
      alert: parts.alert,
      autorespond: parts.autorespond,
      topicId: fields.topicId,
      priority: fields.priorityId ?? fields.priority,
      ip: fields.ip,
      attachments: accepted,
      rejectedFiles,
    },
  };
}

/** The text upstream writes into the "File Import Error" internal note. */
// osTicket's own wording for each refusal (its uploadAttachment).
const REJECTION_TEXT: Record<OsTicketRejectedFile["reason"], string> = {
  too_large: "File size is too large",
  unreadable: "Unable to save file",
  type_not_allowed: "File type is not allowed",
};

export function describeRejectedFile(file: OsTicketRejectedFile): string {
  return `${file.name}: ${REJECTION_TEXT[file.reason]}`;
}

/** Whether a new user can be created from the request's contact fields (§7.3). */
export function hasNewUserDetails(request: OsTicketRequest): boolean {
  return canCreateUser(request);
}

function canCreateUser(contact: {
  name?: string;
  phone?: OsTicketPhone;
}): boolean {
  return (
    contact.name !== undefined &&
    (contact.phone === undefined || contact.phone.isValid)
  );
}

/** The refusal for any source but API, which is the only one the API can create tickets with. */
function originFailure(
  raw: FieldMap,
  fields: RequestFields,
): Refusal | undefined {
  const source = raw.source;
  // A falsy source means the default, API.
  if (!isPhpTruthy(source)) return undefined;
  const origin = typeof source === "string" ? source.toLowerCase() : "";
  if (origin === "api") return undefined;
  // Invalid and Email origins answer with their own errors alone (§8 rows 14–15).
  // The portal has no system emails and ignores `emailId` (§4.1), so Email never has one.
  if (origin === "email")
    return validationFailure(ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL);
  if (origin === "web") return webFormFailure(raw, fields);
  return validationFailure(ORIGIN_INVALID);
}

// With source Web upstream validates its web form, whose fields are never read from the request, so
// `subject` and `message` are missing whatever was sent and a Web request can never succeed.
function webFormFailure(raw: FieldMap, fields: RequestFields): Refusal {
  // Upstream's check of the topic is only "present and numeric"; without one, the form reports only
  // the message field (observed on 1.18).
  if (!isPhpTruthy(raw.topicId) || !isPhpNumeric(raw.topicId))
    return validationFailure([...ORIGIN_WEB_WITHOUT_TOPIC, MESSAGE_REQUIRED]);
  // With a topic the request gets as far as the user, so a banned sender is 403 and a new user
  // without a name is reported before the form (§7, §8 row 11), as for API requests.
  const { email } = fields;
  return osTicketFailure({
    kind: "validation",
    errors: [
      ...(email === undefined ? [USER_INCOMPLETE] : []),
      SUBJECT_REQUIRED,
      MESSAGE_REQUIRED,
    ],
    email,
    newUserDetails: canCreateUser(fields),
  });
}

function validationFailure(errors: ValidationError[]): Refusal {
  return osTicketFailure({ kind: "validation", errors });
}
