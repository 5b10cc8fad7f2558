import "server-only";
import type { AppError } from "@/lib/result";
import type { OsTicketFailure, ValidationError } from "@/lib/osticket/errors";

// osTicket answers every outcome as text/html with a plain-text body, never JSON (docs/api.md §3).
const CONTENT_TYPE = "text/html; charset=UTF-8";

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

const VALIDATION_PREFIX = "Unable to create new ticket :";

/** 201 with the bare ticket number and no trailing newline. */
export function osTicketCreated(number: string): Response {
  return plainText(201, number);
}

/** 202 for piped mail that was recorded without a ticket to name (Portico's addition). */
export function osTicketAccepted(note: string): Response {
  return plainText(202, note);
}

export function osTicketError(failure: OsTicketFailure): Response {
  const response = plainText(
    osTicketStatus(failure),
    osTicketErrorBody(failure),
  );
  if (failure.kind === "rate_limited")
    response.headers.set("Retry-After", String(failure.retryAfterSeconds));
  return response;
}

export function osTicketStatus(failure: OsTicketFailure): number {
  switch (failure.kind) {
    case "url_not_supported":
    case "json_syntax":
    case "json_depth":
    case "json_control_character":
    case "json_utf8":
    case "empty_request":
    case "xml_syntax":
    case "message_not_text":
    case "idempotency_key_invalid":
      return 400;
    case "idempotency_in_progress":
      return 409;
    case "idempotency_mismatch":
      return 422;
    case "rate_limited":
      return 429;
    case "api_key_required":
    case "api_key_inactive":
    case "api_key_not_authorized":
      return 401;
    case "ticket_denied":
      return 403;
    case "body_too_large":
      return 413;
    case "validation":
    case "unknown_error":
      return 500;
  }
}

export function osTicketErrorBody(failure: OsTicketFailure): string {
  switch (failure.kind) {
    case "url_not_supported":
      return "URL not supported";
    case "api_key_required":
      return "Valid API key required";
    case "api_key_inactive":
      return "API key not found/active or source IP not authorized";
    case "api_key_not_authorized":
      return "API key not authorized";
    case "json_syntax":
      return "Syntax error, malformed JSON";
    case "json_depth":
      return "Maximum stack depth exceeded";
    case "json_control_character":
      return "Unexpected control character found";
    case "json_utf8":
      return "Malformed UTF-8 characters, possibly incorrectly encoded";
    case "empty_request":
      // Upstream's JSON decoder reports no error for an empty result, and that text is the body.
      return "No errors";
    // The next three replace upstream crashes (a 200 PHP error page), so osTicket has no text for them.
    case "xml_syntax":
      return "Syntax error, malformed XML";
    case "message_not_text":
      return "Syntax error, message must be a string";
    case "body_too_large":
      return "Request body too large";
    case "ticket_denied":
      return `${VALIDATION_PREFIX}Ticket denied: ${failure.email}\n\nThis help desk is for use by authorized users only`;
    case "validation":
      return validationBody(failure.errors);
    case "unknown_error":
      return `${VALIDATION_PREFIX}unknown error`;
    case "rate_limited":
      return `Too many requests for this API key; retry in ${failure.retryAfterSeconds} seconds`;
    case "idempotency_key_invalid":
      return "Idempotency-Key must be 1 to 255 printable ASCII characters";
    case "idempotency_in_progress":
      return "A request with this Idempotency-Key is still in progress";
    case "idempotency_mismatch":
      return "Idempotency-Key was already used for a different request";
  }
}

/** For domain results (`Result<T>`) reaching the API: anything but a size refusal is osTicket's unexplained 500. */
export function osTicketFailureFromAppError(error: AppError): OsTicketFailure {
  return error.code === "payload_too_large"
    ? { kind: "body_too_large" }
    : { kind: "unknown_error" };
}

function validationBody(errors: ValidationError[]): string {
  if (errors.length === 0) return `${VALIDATION_PREFIX}unknown error`;
  return (
    VALIDATION_PREFIX + errors.flatMap((e) => [e.key, e.message]).join("\n")
  );
}

/** A stored answer (an Idempotency-Key replay) sent again as it was. */
export function osTicketReplay(status: number, body: string): Response {
  const response = plainText(status, body);
  response.headers.set("Idempotent-Replayed", "true");
  return response;
}

function plainText(status: number, body: string): Response {
  const bytes = new TextEncoder().encode(body);
  return new Response(bytes, {
    status,
    statusText: STATUS_TEXT[status] ?? "",
    headers: {
      "Content-Type": CONTENT_TYPE,
      "Content-Length": String(bytes.byteLength),
      // PHP under Apache repeats the status line as a header; some callers log it.
      Status: `${status} ${STATUS_TEXT[status] ?? ""}`.trim(),
      // Connection: Close is left to the server: it is hop-by-hop and invalid over HTTP/2.
    },
  });
}
