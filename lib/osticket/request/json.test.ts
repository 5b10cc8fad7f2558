import { describe, expect, it } from "vitest";
import {
  DUEDATE_INVALID,
  DUEDATE_PAST,
  MESSAGE_REQUIRED,
  ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL,
  ORIGIN_INVALID,
  ORIGIN_WEB_WITHOUT_TOPIC,
  SUBJECT_REQUIRED,
  USER_INCOMPLETE,
  type OsTicketFailure,
  type OsTicketResult,
} from "@/lib/osticket/errors";
import { parseOsTicketJson } from "@/lib/osticket/request/json";
import {
  describeRejectedFile,
  hasNewUserDetails,
  MAX_BODY_BYTES,
  type OsTicketRequest,
} from "@/lib/osticket/request/ticket-request";
import { parseOsTicketXml } from "@/lib/osticket/request/xml";

const now = new Date("2026-01-15T12:00:00Z");
const minimal = {
  name: "Alice Min",
  email: "alice@example.com",
  subject: "Minimal",
  message: "Hello from the minimal case",
};

function value(result: OsTicketResult<OsTicketRequest>): OsTicketRequest {
  if (!result.ok)
    throw new Error(`expected a request, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function failure(result: OsTicketResult<OsTicketRequest>): OsTicketFailure {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

const json = (body: unknown, options = { now }) =>
  parseOsTicketJson(JSON.stringify(body), options);
const withFields = (fields: Record<string, unknown>) =>
  value(json({ ...minimal, ...fields }));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("parseOsTicketJson: docs/api.md §13 examples", () => {
  it("Minimal", () => {
    expect(
      value(
        parseOsTicketJson(
          '{"name":"Alice Min","email":"alice@example.com","subject":"Minimal","message":"Hello from the minimal case"}',
          { now },
        ),
      ),
    ).toEqual({
      source: "api",
      email: "alice@example.com",
      name: "Alice Min",
      phone: undefined,
      notes: undefined,
      subject: "Minimal",
      message: { format: "text", body: "Hello from the minimal case" },
      alert: true,
      autorespond: true,
      topicId: undefined,
      priority: undefined,
      ip: undefined,
      attachments: [],
      rejectedFiles: [],
    });
  });

  it("Full: HTML message, topic 1, priority 3, IP, phone and 2 attachments", () => {
    const body = `{"alert":true,"autorespond":true,"source":"API",
 "name":"Bob Full","email":"bob.full@example.com","phone":"318-555-8634X123",
 "subject":"Printer on fire","ip":"203.0.113.77",
 "message":"data:text/html;charset=utf-8,<p>The <b>printer</b> is on fire</p>",
 "topicId":1,"priority":3,
 "attachments":[{"notes.txt":"data:text/plain;charset=utf-8,plain text attachment content"},
                {"pixel.png":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"}]}`;
    const request = value(parseOsTicketJson(body, { now }));
    expect(request).toMatchObject({
      email: "bob.full@example.com",
      name: "Bob Full",
      phone: { isValid: true, number: "3185558634X123" },
      subject: "Printer on fire",
      ip: "203.0.113.77",
      message: {
        format: "html",
        body: "<p>The <b>printer</b> is on fire</p>",
      },
      topicId: 1,
      priority: "high",
      alert: true,
      autorespond: true,
      rejectedFiles: [],
    });
    expect(request.attachments).toHaveLength(2);
    const [notes, pixel] = request.attachments;
    expect(notes?.name).toBe("notes.txt");
    expect(notes?.type).toBe("text/plain");
    expect(text(notes!.data)).toBe("plain text attachment content");
    expect(pixel?.name).toBe("pixel.png");
    expect(pixel?.type).toBe("image/png");
    expect([...pixel!.data.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(pixel?.data.byteLength).toBe(69);
  });
});

describe("parseOsTicketJson: parsing errors (§4.3)", () => {
  it.each([
    ["not JSON", "hello"],
    ["a trailing comma", '{"email":"a@example.com",}'],
    ["an empty body", ""],
    ["whitespace only", "  \n"],
    ["a byte-order mark", '\uFEFF{"email":"a@example.com"}'],
  ])("%s is Syntax error", (_, body) => {
    expect(failure(parseOsTicketJson(body, { now }))).toEqual({
      kind: "json_syntax",
    });
  });

  it.each(["{}", "null", "[]", "false", "0", '""', '"0"'])(
    "%s decodes to nothing: No errors",
    (body) => {
      expect(failure(parseOsTicketJson(body, { now }))).toEqual({
        kind: "empty_request",
      });
    },
  );

  it("a top-level array reports every required field missing (row 11)", () => {
    expect(failure(parseOsTicketJson('["a","b"]', { now }))).toEqual({
      kind: "validation",
      newUserDetails: false,
      errors: [USER_INCOMPLETE, SUBJECT_REQUIRED, MESSAGE_REQUIRED],
    });
  });

  it("nesting deeper than PHP's 512 levels is a depth error", () => {
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(failure(parseOsTicketJson(deep(513), { now }))).toEqual({
      kind: "json_depth",
    });
    expect(failure(parseOsTicketJson(deep(512), { now })).kind).toBe(
      "validation",
    );
  });

  it("a raw control character inside a string is reported as such", () => {
    expect(
      failure(parseOsTicketJson('{"subject":"a\u0001b"}', { now })),
    ).toEqual({ kind: "json_control_character" });
  });

  it("invalid UTF-8 bytes are reported as such", () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"subject":"'),
      0xc3,
      0x28,
      ...new TextEncoder().encode('"}'),
    ]);
    expect(failure(parseOsTicketJson(bytes, { now }))).toEqual({
      kind: "json_utf8",
    });
  });

  it("accepts valid UTF-8 bytes", () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({ ...minimal, name: "Zoë Ångström" }),
    );
    expect(value(parseOsTicketJson(bytes, { now })).name).toBe("Zoë Ångström");
  });

  it("quirk: a body over 8 MB is 413 before parsing (upstream crashes with 200)", () => {
    const huge = JSON.stringify({
      ...minimal,
      message: "x".repeat(MAX_BODY_BYTES),
    });
    expect(failure(parseOsTicketJson(huge, { now }))).toEqual({
      kind: "body_too_large",
    });
    expect(
      failure(parseOsTicketJson(new TextEncoder().encode(huge), { now })),
    ).toEqual({ kind: "body_too_large" });
  });

  it("counts multi-byte characters toward the 8 MB limit", () => {
    const body = JSON.stringify({
      ...minimal,
      message: "é".repeat(MAX_BODY_BYTES / 2),
    });
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(failure(parseOsTicketJson(body, { now }))).toEqual({
      kind: "body_too_large",
    });
  });

  it("accepts a 1 MB message", () => {
    const request = withFields({ message: "m".repeat(1024 * 1024) });
    expect(request.message.body).toHaveLength(1024 * 1024);
  });
});

describe("parseOsTicketJson: required fields (§4, §8 rows 8–11)", () => {
  it("reports user, subject, message in that order", () => {
    expect(failure(json({ alert: false }))).toEqual({
      kind: "validation",
      newUserDetails: false,
      errors: [USER_INCOMPLETE, SUBJECT_REQUIRED, MESSAGE_REQUIRED],
    });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["with a display name", "Alice <alice@example.com>"],
    ["at localhost", "alice@localhost"],
    ["at LOCALHOST", "alice@LOCALHOST"],
    ["without a domain", "alice"],
    ["two addresses", "a@example.com, b@example.com"],
    ["a number", 42],
  ])("an email %s is incomplete client information", (_, email) => {
    expect(failure(json({ ...minimal, email }))).toEqual({
      kind: "validation",
      newUserDetails: true,
      errors: [USER_INCOMPLETE],
    });
  });

  it("accepts an 82-character address and trims it", () => {
    const email = `${"a".repeat(70)}@example.com`;
    expect(email).toHaveLength(82);
    expect(withFields({ email: ` ${email} ` }).email).toBe(email);
  });

  it("keeps a well-formed email on a validation failure for the ban-list and user checks", () => {
    expect(failure(json({ ...minimal, subject: undefined }))).toEqual({
      kind: "validation",
      newUserDetails: true,
      errors: [SUBJECT_REQUIRED],
      email: "alice@example.com",
    });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["null", null],
    ["only emoji", "\u{1F525}"],
  ])("a subject %s is Issue Summary is a required field", (_, subject) => {
    expect(failure(json({ ...minimal, subject })).kind).toBe("validation");
    expect(failure(json({ ...minimal, subject }))).toMatchObject({
      errors: [SUBJECT_REQUIRED],
    });
  });

  it.each([
    ["missing", undefined],
    ["null", null],
  ])("a message %s is Issue Details is a required field", (_, message) => {
    expect(failure(json({ ...minimal, message }))).toMatchObject({
      errors: [MESSAGE_REQUIRED],
    });
  });

  it("does not require a name (only a new user needs one)", () => {
    const request = value(json({ ...minimal, name: undefined }));
    expect(request.name).toBeUndefined();
    expect(hasNewUserDetails(request)).toBe(false);
    expect(hasNewUserDetails(withFields({}))).toBe(true);
  });
});

describe("parseOsTicketJson: field rules (§4)", () => {
  it.each<[unknown, boolean]>([
    [false, false],
    [0, false],
    ["", false],
    [null, false],
    ["0", false],
    [[], false],
    [{}, false],
    [true, true],
    [1, true],
    ["false", true],
    ["no", true],
    [[0], true],
  ])("alert and autorespond cast %j PHP-style to %s", (flag, expected) => {
    const request = withFields({ alert: flag, autorespond: flag });
    expect(request.alert).toBe(expected);
    expect(request.autorespond).toBe(expected);
  });

  it("alert and autorespond default to true", () => {
    expect(withFields({})).toMatchObject({ alert: true, autorespond: true });
  });

  it.each([undefined, null, "", "API", "api", "Api"])(
    "source %j means API",
    (source) => {
      expect(withFields({ source }).source).toBe("api");
    },
  );

  it.each([
    ["Phone", ORIGIN_INVALID],
    ["Other", ORIGIN_INVALID],
    [" API", ORIGIN_INVALID],
    [5, ORIGIN_INVALID],
    ["Email", ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL],
    ["email", ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL],
  ])("source %j fails with the origin errors alone", (source, errors) => {
    expect(failure(json({ source }))).toEqual({ kind: "validation", errors });
  });

  describe("source Web: upstream validates its web form, which never reads subject or message", () => {
    const withoutTopic = [...ORIGIN_WEB_WITHOUT_TOPIC, MESSAGE_REQUIRED];

    it.each<[string, unknown]>([
      ["no topicId", undefined],
      ["topicId null", null],
      ["topicId 0", 0],
      ['topicId "0"', "0"],
      ["an empty topicId", ""],
      ["a topicId that is not a number", "billing"],
      ["a topicId true", true],
      ["a topicId array", [1]],
    ])("%s: asks for a topic, then reports the message field", (_, topicId) => {
      for (const source of ["Web", "web", "WEB"])
        expect(failure(json({ ...minimal, source, topicId }))).toEqual({
          kind: "validation",
          errors: withoutTopic,
        });
    });

    it.each<[string, unknown]>([
      ["1", 1],
      ['"1"', "1"],
      ['" 7 "', " 7 "],
      ["2.5 (PHP's is_numeric)", 2.5],
      ['"1e2"', "1e2"],
    ])(
      "topicId %s: subject and message reported missing although both were sent",
      (_, topicId) => {
        expect(failure(json({ ...minimal, source: "Web", topicId }))).toEqual({
          kind: "validation",
          errors: [SUBJECT_REQUIRED, MESSAGE_REQUIRED],
          email: minimal.email,
          newUserDetails: true,
        });
      },
    );

    it("with a topic, passes the sender on for the ban-list and user checks", () => {
      expect(
        failure(
          json({ source: "Web", topicId: 1, email: " bob@example.com " }),
        ),
      ).toEqual({
        kind: "validation",
        errors: [SUBJECT_REQUIRED, MESSAGE_REQUIRED],
        email: "bob@example.com",
        newUserDetails: false,
      });
      expect(
        failure(
          json({ ...minimal, source: "Web", topicId: 1, phone: "call me" }),
        ),
      ).toMatchObject({ newUserDetails: false });
    });

    it("with a topic and no usable email, puts the user error first", () => {
      expect(
        failure(json({ ...minimal, source: "Web", topicId: 1, email: "x" })),
      ).toEqual({
        kind: "validation",
        errors: [USER_INCOMPLETE, SUBJECT_REQUIRED, MESSAGE_REQUIRED],
        email: undefined,
        newUserDetails: true,
      });
    });

    it("answers an XML request the same way", () => {
      const xml = (attributes: string) =>
        parseOsTicketXml(
          `<ticket source="Web" ${attributes}><name>Alice Min</name><email>alice@example.com</email><subject>S</subject><message>M</message></ticket>`,
          { now },
        );
      expect(failure(xml(""))).toEqual({
        kind: "validation",
        errors: withoutTopic,
      });
      expect(failure(xml('topicId="2"'))).toMatchObject({
        errors: [SUBJECT_REQUIRED, MESSAGE_REQUIRED],
        email: "alice@example.com",
      });
    });
  });

  it("ignores emailId, so source Email still fails", () => {
    expect(failure(json({ ...minimal, source: "Email", emailId: 1 }))).toEqual({
      kind: "validation",
      errors: ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL,
    });
  });

  it.each<[unknown, string | undefined]>([
    [1, "low"],
    [2, "normal"],
    [3, "high"],
    [4, "emergency"],
    ["3", "high"],
    [0, undefined],
    [5, undefined],
    ["high", undefined],
    [2.5, undefined],
    [null, undefined],
  ])("priority %j maps to %s", (priority, expected) => {
    expect(withFields({ priority }).priority).toBe(expected);
    expect(withFields({ priorityId: priority }).priority).toBe(expected);
  });

  it("priorityId wins over priority when both are valid", () => {
    expect(withFields({ priority: 1, priorityId: 4 }).priority).toBe(
      "emergency",
    );
    expect(withFields({ priority: 1, priorityId: "x" }).priority).toBe("low");
  });

  it.each<[unknown, number | undefined]>([
    [1, 1],
    ["7", 7],
    ["abc", undefined],
    ["1abc", undefined],
    [0, undefined],
    [-1, undefined],
    [1.5, undefined],
    [null, undefined],
  ])("topicId %j becomes %s", (topicId, expected) => {
    expect(withFields({ topicId }).topicId).toBe(expected);
  });

  it("keeps ip as sent without validating it", () => {
    expect(withFields({ ip: "not-an-ip" }).ip).toBe("not-an-ip");
  });

  it.each<[string, OsTicketRequest["phone"]]>([
    ["318-555-8634X123", { isValid: true, number: "3185558634X123" }],
    ["(318) 555 8634 x12", { isValid: true, number: "3185558634X12" }],
    ["abc", { isValid: false, raw: "abc" }],
    ["X123", { isValid: false, raw: "X123" }],
  ])("phone %j", (phone, expected) => {
    expect(withFields({ phone }).phone).toEqual(expected);
  });

  it("an invalid phone fails only a new user", () => {
    expect(hasNewUserDetails(withFields({ phone: "abc" }))).toBe(false);
  });

  it("strips HTML from the name and keeps non-ASCII text", () => {
    expect(
      withFields({ name: "<b>Hugo</b> <script>x</script>Html" }).name,
    ).toBe("Hugo xHtml");
    expect(withFields({ name: "Zoë 李" }).name).toBe("Zoë 李");
    expect(withFields({ name: "a".repeat(100) }).name).toHaveLength(100);
  });

  it("keeps notes", () => {
    expect(withFields({ notes: "VIP customer" }).notes).toBe("VIP customer");
  });

  it("keeps a long subject, converts numbers and removes emoji", () => {
    expect(withFields({ subject: "s".repeat(80) }).subject).toHaveLength(80);
    expect(withFields({ subject: 42 }).subject).toBe("42");
    expect(withFields({ subject: "Fire \u{1F525} here" }).subject).toBe(
      "Fire  here",
    );
  });

  it("ignores unknown and undocumented fields, including uid", () => {
    const request = withFields({
      uid: 1,
      deptId: 2,
      statusId: 3,
      slaId: 1,
      staffId: 1,
      favouriteColour: "teal",
    });
    expect(request).toEqual(withFields({}));
    expect(Object.keys(request)).not.toContain("uid");
  });

  it("treats null optional fields like missing ones", () => {
    expect(
      withFields({
        ip: null,
        phone: null,
        notes: null,
        topicId: null,
        duedate: null,
        attachments: null,
        source: null,
      }),
    ).toEqual(withFields({}));
  });
});

describe("parseOsTicketJson: duedate (§8 rows 12–13)", () => {
  it.each(["next tuesday-ish", "2026-13-45", true, { at: 1 }])(
    "%j cannot be parsed",
    (duedate) => {
      expect(failure(json({ ...minimal, duedate }))).toMatchObject({
        errors: [DUEDATE_INVALID],
      });
    },
  );

  it.each(["2020-01-01", "2026-01-15T12:00:00Z", "1700000000"])(
    "%j is in the past",
    (duedate) => {
      expect(failure(json({ ...minimal, duedate }))).toMatchObject({
        errors: [DUEDATE_PAST],
      });
    },
  );

  it.each([
    "2030-06-01",
    "2030-06-01T09:00:00+02:00",
    "1900000000",
    1900000000,
  ])("%j in the future is accepted but not carried", (duedate) => {
    expect(withFields({ duedate })).toEqual(withFields({}));
  });

  it("comes after the required-field errors", () => {
    expect(failure(json({ duedate: "2020-01-01" }))).toEqual({
      kind: "validation",
      newUserDetails: false,
      errors: [
        USER_INCOMPLETE,
        SUBJECT_REQUIRED,
        MESSAGE_REQUIRED,
        DUEDATE_PAST,
      ],
    });
  });
});

describe("parseOsTicketJson: message (§5)", () => {
  it.each([
    ["an empty string becomes a dash", "", "text", "-"],
    ["HTML without a data URL is text", "<b>bold</b>", "text", "<b>bold</b>"],
    ["newlines are kept", "line 1\nline 2", "text", "line 1\nline 2"],
    [
      "data:text/html is HTML",
      "data:text/html;charset=utf-8,<p>Hi</p>",
      "html",
      "<p>Hi</p>",
    ],
    [
      "data:text/plain is text",
      "data:text/plain;charset=utf-8,Hi there",
      "text",
      "Hi there",
    ],
    ["a data URL without a type is text", "data:,Hi", "text", "Hi"],
    ["another type is text", "data:application/json,{}", "text", "{}"],
    [
      "the payload is not percent-decoded",
      "data:text/plain,Hello%20World",
      "text",
      "Hello%20World",
    ],
    [
      "base64 is decoded",
      "data:text/plain;base64,SGVsbG8gd29ybGQ=",
      "text",
      "Hello world",
    ],
    [
      "HTML base64 is decoded",
      `data:text/html;base64,${btoa("<p>Hi</p>")}`,
      "html",
      "<p>Hi</p>",
    ],
    [
      "quirk: base64 after a charset is decoded too (upstream keeps the base64 text)",
      "data:text/plain;charset=utf-8;base64,SGVsbG8gd29ybGQ=",
      "text",
      "Hello world",
    ],
    [
      "quirk: base64 without a charset is read as UTF-8 (upstream assumes ISO-8859-1)",
      "data:text/plain;base64,SGVsbG8gd29ybGQgw6TDtsO8",
      "text",
      "Hello world äöü",
    ],
    [
      "a declared charset is honoured",
      `data:text/plain;charset=iso-8859-1;base64,${btoa("caf\u00e9")}`,
      "text",
      "café",
    ],
    [
      "emoji are removed",
      "Printer \u{1F525}\u{1F9EF} on fire",
      "text",
      "Printer  on fire",
    ],
    ["a number is text", 12345, "text", "12345"],
  ])("%s", (_, message, format, body) => {
    expect(withFields({ message }).message).toEqual({ format, body });
  });

  it.each([
    ["an object", { body: "hi" }],
    ["an array", ["hi"]],
    ["a boolean", true],
  ])("quirk: %s is 400 (upstream crashes with a 200 page)", (_, message) => {
    expect(failure(json({ ...minimal, message }))).toEqual({
      kind: "message_not_text",
    });
  });

  it("checks the message type before the origin and required fields", () => {
    expect(failure(json({ source: "Phone", message: {} }))).toEqual({
      kind: "message_not_text",
    });
  });
});

describe("parseOsTicketJson: attachments (§6)", () => {
  const attach = (attachments: unknown, maxFileBytes?: number) =>
    value(
      parseOsTicketJson(JSON.stringify({ ...minimal, attachments }), {
        now,
        maxFileBytes,
      }),
    );

  it("ignores a value that is not an array", () => {
    expect(attach({ "a.txt": "data:,x" }).attachments).toEqual([]);
    expect(attach("data:,x").attachments).toEqual([]);
  });

  it("uses only the first key of each element", () => {
    const { attachments } = attach([
      { "a.txt": "data:text/plain,first", "b.txt": "data:text/plain,second" },
    ]);
    expect(attachments.map((a) => [a.name, text(a.data)])).toEqual([
      ["a.txt", "first"],
    ]);
  });

  it("misreads upstream's XML-style object in JSON, as upstream does", () => {
    const { attachments } = attach([
      { name: "x.txt", type: "text/plain", data: "aGk=" },
    ]);
    expect(attachments).toHaveLength(1);
    expect(attachments[0]?.name).toBe("name");
    expect(text(attachments[0]!.data)).toBe("x.txt");
  });

  it("keeps bytes as sent without a charset and does not percent-decode", () => {
    const { attachments } = attach([
      { "u.txt": "data:text/plain,äöü 100%25" },
      { "e.exe": "data:application/x-msdownload;base64,TVqQAA==" },
    ]);
    expect(text(attachments[0]!.data)).toBe("äöü 100%25");
    expect(attachments[1]?.type).toBe("application/x-msdownload");
    expect([...attachments[1]!.data]).toEqual([0x4d, 0x5a, 0x90, 0x00]);
  });

  it("decodes base64 after a charset (quirk fixed as for messages)", () => {
    const { attachments } = attach([
      { "a.txt": "data:text/plain;charset=utf-8;base64,aGk=" },
    ]);
    expect(text(attachments[0]!.data)).toBe("hi");
  });

  it("defaults an empty MIME type to text/plain", () => {
    expect(attach([{ "a.txt": "data:,hi" }]).attachments[0]?.type).toBe(
      "text/plain",
    );
  });

  it("drops a file over 1 MB without failing the ticket", () => {
    const limit = 1024 * 1024;
    const request = attach([
      { "ok.bin": `data:application/octet-stream,${"a".repeat(limit)}` },
      { "big.bin": `data:application/octet-stream,${"a".repeat(limit + 1)}` },
    ]);
    expect(request.attachments.map((a) => a.name)).toEqual(["ok.bin"]);
    expect(request.rejectedFiles).toEqual([
      { name: "big.bin", reason: "too_large" },
    ]);
    expect(describeRejectedFile(request.rejectedFiles[0]!)).toBe(
      "big.bin: File size is too large",
    );
  });

  it("honours an admin's per-file limit", () => {
    const request = attach([{ "a.txt": "data:,hello" }], 4);
    expect(request.rejectedFiles).toEqual([
      { name: "a.txt", reason: "too_large" },
    ]);
  });

  it("drops base64 that does not decode as an unsaved file", () => {
    const request = attach([
      { "bad.png": "data:image/png;base64,@@not base64@@" },
      { "num.txt": 5 },
      { "obj.txt": { nested: true } },
    ]);
    expect(request.attachments.map((a) => a.name)).toEqual(["num.txt"]);
    expect(request.rejectedFiles).toEqual([
      { name: "bad.png", reason: "unreadable" },
      { name: "obj.txt", reason: "unreadable" },
    ]);
    expect(describeRejectedFile(request.rejectedFiles[0]!)).toBe(
      "bad.png: Unable to save file",
    );
  });

  it("skips elements that are not one-key objects", () => {
    expect(attach(["data:,x", {}, null, ["a"]]).attachments).toEqual([]);
  });
});
