import { describe, expect, it } from "vitest";
import {
  DUEDATE_INVALID,
  DUEDATE_PAST,
  MAX_OPEN_TICKETS,
  MESSAGE_REQUIRED,
  ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL,
  ORIGIN_INVALID,
  ORIGIN_WEB_WITHOUT_TOPIC,
  SUBJECT_REQUIRED,
  USER_INCOMPLETE,
  type OsTicketFailure,
} from "@/lib/osticket/errors";
import {
  osTicketCreated,
  osTicketError,
  osTicketFailureFromAppError,
} from "@/lib/osticket/respond";
import { parseOsTicketJson } from "@/lib/osticket/request/json";

async function answer(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.text(),
  };
}

const html = "text/html; charset=UTF-8";

describe("osTicketCreated (docs/api.md §3, §8 rows 1–2)", () => {
  it("answers 201 with the bare ticket number as text/html", async () => {
    const response = osTicketCreated("228003");
    expect(await answer(response)).toEqual({
      status: 201,
      contentType: html,
      body: "228003",
    });
    expect(response.headers.get("content-length")).toBe("6");
    expect(response.headers.get("status")).toBe("201 Created");
  });

  it("treats the number as an opaque string", async () => {
    expect(await osTicketCreated("TK-0042").text()).toBe("TK-0042");
  });
});

describe("osTicketError: the status table (docs/api.md §2, §4.3, §8)", () => {
  const rows: [string, OsTicketFailure, number, string][] = [
    [
      "row 3: bad JSON or empty body",
      { kind: "json_syntax" },
      400,
      "Syntax error, malformed JSON",
    ],
    ["row 4: {} or null", { kind: "empty_request" }, 400, "No errors"],
    [
      "row 5: wrong method or unrouted path",
      { kind: "url_not_supported" },
      400,
      "URL not supported",
    ],
    [
      "row 6: no, empty, unknown or other-IP key",
      { kind: "api_key_required" },
      401,
      "Valid API key required",
    ],
    [
      "row 6: disabled key",
      { kind: "api_key_inactive" },
      401,
      "API key not found/active or source IP not authorized",
    ],
    [
      "row 6: key without ticket permission",
      { kind: "api_key_not_authorized" },
      401,
      "API key not authorized",
    ],
    [
      "row 7: ban list or reject filter",
      { kind: "ticket_denied", email: "test@example.com" },
      403,
      "Unable to create new ticket :Ticket denied: test@example.com\n\nThis help desk is for use by authorized users only",
    ],
    [
      "row 8: missing, invalid or unresolvable email",
      { kind: "validation", errors: [USER_INCOMPLETE] },
      500,
      "Unable to create new ticket :user\nIncomplete client information",
    ],
    [
      "row 9: missing subject",
      { kind: "validation", errors: [SUBJECT_REQUIRED] },
      500,
      "Unable to create new ticket :20\nIssue Summary is a required field",
    ],
    [
      "row 10: missing message",
      { kind: "validation", errors: [MESSAGE_REQUIRED] },
      500,
      "Unable to create new ticket :21\nIssue Details is a required field",
    ],
    [
      "row 11: several failures",
      {
        kind: "validation",
        errors: [USER_INCOMPLETE, SUBJECT_REQUIRED, MESSAGE_REQUIRED],
      },
      500,
      "Unable to create new ticket :user\nIncomplete client information\n20\nIssue Summary is a required field\n21\nIssue Details is a required field",
    ],
    [
      "row 12: unparseable duedate",
      { kind: "validation", errors: [DUEDATE_INVALID] },
      500,
      "Unable to create new ticket :duedate\nInvalid due date",
    ],
    [
      "row 13: duedate in the past",
      { kind: "validation", errors: [DUEDATE_PAST] },
      500,
      "Unable to create new ticket :duedate\nDue date must be in the future",
    ],
    [
      "row 14: unknown source",
      { kind: "validation", errors: ORIGIN_INVALID },
      500,
      "Unable to create new ticket :origin\nInvalid ticket origin given\nerr\nNo fields set up",
    ],
    [
      "row 15: source Email without emailId",
      { kind: "validation", errors: ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL },
      500,
      "Unable to create new ticket :emailId\nUnknown system email\nerr\nMissing or invalid data \u2014 Correct any errors below and try again",
    ],
    [
      "row 17: no error recorded",
      { kind: "unknown_error" },
      500,
      "Unable to create new ticket :unknown error",
    ],
    [
      "§7.6: open-ticket limit",
      { kind: "validation", errors: [MAX_OPEN_TICKETS] },
      500,
      "Unable to create new ticket :err\nYou've reached the maximum open tickets allowed.",
    ],
    [
      "§4.3: nested too deep",
      { kind: "json_depth" },
      400,
      "Maximum stack depth exceeded",
    ],
    [
      "§4.3: control character",
      { kind: "json_control_character" },
      400,
      "Unexpected control character found",
    ],
    [
      "§4.3: invalid UTF-8",
      { kind: "json_utf8" },
      400,
      "Malformed UTF-8 characters, possibly incorrectly encoded",
    ],
    [
      "row 18 quirk: broken XML is 400, not a 200 crash page",
      { kind: "xml_syntax" },
      400,
      "Syntax error, malformed XML",
    ],
    [
      "row 18 quirk: non-string message is 400, not a 200 crash page",
      { kind: "message_not_text" },
      400,
      "Syntax error, message must be a string",
    ],
    [
      "row 18 quirk: body over 8 MB is 413, not a 200 crash page",
      { kind: "body_too_large" },
      413,
      "Request body too large",
    ],
  ];

  it.each(rows)("%s", async (_, failure, status, body) => {
    const response = osTicketError(failure);
    expect(await answer(response)).toEqual({
      status,
      contentType: html,
      body,
    });
    expect(response.headers.get("content-length")).toBe(
      String(new TextEncoder().encode(body).byteLength),
    );
  });

  it("row 16: source Web without a topic lists the topic, form and message errors", async () => {
    const response = osTicketError({
      kind: "validation",
      errors: [...ORIGIN_WEB_WITHOUT_TOPIC, MESSAGE_REQUIRED],
    });
    expect(await answer(response)).toEqual({
      status: 500,
      contentType: html,
      body: "Unable to create new ticket :topicId\nSelect a Help Topic\nerr\nMissing or invalid data — Correct any errors below and try again\n21\nIssue Details is a required field",
    });
  });

  it("answers an empty error list like upstream's unexplained failure", async () => {
    expect(await osTicketError({ kind: "validation", errors: [] }).text()).toBe(
      "Unable to create new ticket :unknown error",
    );
  });
});

describe("docs/api.md §13 examples, parsed then answered", () => {
  const now = new Date("2026-01-15T12:00:00Z");

  it("Missing subject: 500 with the field-20 error", async () => {
    const parsed = parseOsTicketJson(
      '{"name":"Alice Min","email":"alice@example.com","message":"Hello"}',
      { now },
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(await answer(osTicketError(parsed.error))).toEqual({
      status: 500,
      contentType: html,
      body: "Unable to create new ticket :20\nIssue Summary is a required field",
    });
  });

  it.each([
    [
      "without a topic",
      {},
      "Unable to create new ticket :topicId\nSelect a Help Topic\nerr\nMissing or invalid data — Correct any errors below and try again\n21\nIssue Details is a required field",
    ],
    [
      "with a topic",
      { topicId: 1 },
      "Unable to create new ticket :20\nIssue Summary is a required field\n21\nIssue Details is a required field",
    ],
  ])(
    "Minimal with source Web %s: 500 although subject and message were sent",
    async (_, extra, body) => {
      const parsed = parseOsTicketJson(
        JSON.stringify({
          name: "Alice Min",
          email: "alice@example.com",
          subject: "Minimal",
          message: "Hello from the minimal case",
          source: "Web",
          ...extra,
        }),
        { now },
      );
      if (parsed.ok) throw new Error("source Web must never succeed");
      expect(await answer(osTicketError(parsed.error))).toEqual({
        status: 500,
        contentType: html,
        body,
      });
    },
  );

  it("Bad key: 401 Valid API key required", async () => {
    expect(await answer(osTicketError({ kind: "api_key_required" }))).toEqual({
      status: 401,
      contentType: html,
      body: "Valid API key required",
    });
  });
});

describe("osTicketFailureFromAppError", () => {
  it("keeps a size refusal and turns anything else into the unexplained 500", () => {
    expect(
      osTicketFailureFromAppError({
        code: "payload_too_large",
        message: "Too big",
      }),
    ).toEqual({ kind: "body_too_large" });
    expect(
      osTicketFailureFromAppError({
        code: "invalid_input",
        message: "No department exists to receive the ticket.",
      }),
    ).toEqual({ kind: "unknown_error" });
  });
});
