// Every way the osTicket-compatible API can refuse a request (docs/api.md §2, §4.3,
// §8). Client-safe: types and constants only. respond.ts turns each kind into its exact status and body.

/** One key/message pair of an osTicket validation failure; the body lists them in order. */
export type ValidationError = { key: string; message: string };

export type OsTicketFailure =
  /** 400: wrong method or an unrouted path. */
  | { kind: "url_not_supported" }
  /** 401: no key, an unknown key, or a key bound to another IP (the mismatch has no message of its own). */
  | { kind: "api_key_required" }
  /** 401: the key exists for this IP but is disabled. */
  | { kind: "api_key_inactive" }
  /** 401: the key may not create tickets. */
  | { kind: "api_key_not_authorized" }
  /** 400: bad or empty JSON. */
  | { kind: "json_syntax" }
  | { kind: "json_depth" }
  | { kind: "json_control_character" }
  | { kind: "json_utf8" }
  /** 400: the body decoded to nothing (`{}`, `null`, `[]`, `0`, `""`). */
  | { kind: "empty_request" }
  /** 400 where upstream crashes with a 200 error page (§8 row 18). */
  | { kind: "xml_syntax" }
  /** 400 where upstream crashes with a 200 error page (§8 row 18). */
  | { kind: "message_not_text" }
  /** 413 where upstream runs out of memory, sometimes after creating the ticket (§8 row 18, §12). */
  | { kind: "body_too_large" }
  /** 403: the email is on the ban list or a reject filter matched. */
  | { kind: "ticket_denied"; email: string }
  /**
   * 500: osTicket answers validation failures with 500. `email` is the submitted address when it is
   * well-formed: upstream checks the ban list and the user before the form, so the caller may still
   * need to answer 403 or put {@link USER_INCOMPLETE} first.
   */
  | {
      kind: "validation";
      errors: ValidationError[];
      email?: string;
      /** Whether the request could create a new user (a name, and a valid phone if any). */
      newUserDetails?: boolean;
    }
  /** 500: creation failed without recording why. */
  | { kind: "unknown_error" }
  // Portico's additions beyond osTicket (never returned to callers that don't use the features).
  /** 429 with Retry-After: the key's calls per minute are used up. */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** 400: an Idempotency-Key header that is empty, too long or not printable ASCII. */
  | { kind: "idempotency_key_invalid" }
  /** 409: a call with the same Idempotency-Key is still being answered. */
  | { kind: "idempotency_in_progress" }
  /** 422: the Idempotency-Key was used within 24 hours for a different request. */
  | { kind: "idempotency_mismatch" };

export type OsTicketResult<T> =
  { ok: true; value: T } | { ok: false; error: OsTicketFailure };

export const osTicketFailure = (
  error: OsTicketFailure,
): { ok: false; error: OsTicketFailure } => ({ ok: false, error });

// The keys "20" and "21" are the ticket-form field ids of a default install (§8 rows 9–10).
export const USER_INCOMPLETE: ValidationError = {
  key: "user",
  message: "Incomplete client information",
};
export const SUBJECT_REQUIRED: ValidationError = {
  key: "20",
  message: "Issue Summary is a required field",
};
export const MESSAGE_REQUIRED: ValidationError = {
  key: "21",
  message: "Issue Details is a required field",
};
export const DUEDATE_INVALID: ValidationError = {
  key: "duedate",
  message: "Invalid due date",
};
export const DUEDATE_PAST: ValidationError = {
  key: "duedate",
  message: "Due date must be in the future",
};
// A fresh osTicket always has its default department; Portico has none until it is set up. The
// failure keeps osTicket's form (500, key and message) and says what to do, under osTicket's key.
export const NO_DEPARTMENT: ValidationError = {
  key: "deptId",
  message:
    "No department exists to receive tickets: an administrator must finish setting up Portico (npm run cli -- setup, or /setup in the browser) or add a department under Settings > Departments.",
};
export const MAX_OPEN_TICKETS: ValidationError = {
  key: "err",
  message: "You've reached the maximum open tickets allowed.",
};

const MISSING_OR_INVALID: ValidationError = {
  key: "err",
  message: "Missing or invalid data — Correct any errors below and try again",
};
export const ORIGIN_INVALID: ValidationError[] = [
  { key: "origin", message: "Invalid ticket origin given" },
  { key: "err", message: "No fields set up" },
];
export const ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL: ValidationError[] = [
  { key: "emailId", message: "Unknown system email" },
  MISSING_OR_INVALID,
];
// §8 row 16: the help-topic error, then row 15's `err` line.
export const ORIGIN_WEB_WITHOUT_TOPIC: ValidationError[] = [
  { key: "topicId", message: "Select a Help Topic" },
  MISSING_OR_INVALID,
];
