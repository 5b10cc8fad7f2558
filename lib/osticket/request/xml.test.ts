import { describe, expect, it } from "vitest";
import {
  MESSAGE_REQUIRED,
  SUBJECT_REQUIRED,
  USER_INCOMPLETE,
  type OsTicketFailure,
  type OsTicketResult,
} from "@/lib/osticket/errors";
import {
  MAX_BODY_BYTES,
  type OsTicketRequest,
} from "@/lib/osticket/request/ticket-request";
import { parseOsTicketXml } from "@/lib/osticket/request/xml";

const now = new Date("2026-01-15T12:00:00Z");

function value(result: OsTicketResult<OsTicketRequest>): OsTicketRequest {
  if (!result.ok)
    throw new Error(`expected a request, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function failure(result: OsTicketResult<OsTicketRequest>): OsTicketFailure {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("parseOsTicketXml (§11)", () => {
  const xml = (body: string) => parseOsTicketXml(body, { now });

  it("reads child elements, a CDATA HTML message and attributes", () => {
    const request = value(
      xml(`<?xml version="1.0" encoding="UTF-8"?>
<ticket alert="false" autorespond="true" source="API">
  <name>Bob Full</name>
  <email>bob.full@example.com</email>
  <phone>318-555-8634X123</phone>
  <subject>Printer on fire</subject>
  <ip>203.0.113.77</ip>
  <topicId>1</topicId>
  <priority>3</priority>
  <message type="text/html"><![CDATA[<p>The <b>printer</b> is on fire</p>]]></message>
  <attachments>
    <file name="notes.txt" type="text/plain">plain text attachment content</file>
    <file name="pixel.png" type="image/png" encoding="base64">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC</file>
  </attachments>
</ticket>`),
    );
    expect(request).toMatchObject({
      email: "bob.full@example.com",
      name: "Bob Full",
      phone: { isValid: true, number: "3185558634X123" },
      subject: "Printer on fire",
      ip: "203.0.113.77",
      topicId: 1,
      priority: "high",
      alert: false,
      autorespond: true,
      message: {
        format: "html",
        body: "<p>The <b>printer</b> is on fire</p>",
      },
      rejectedFiles: [],
    });
    expect(request.attachments.map((a) => [a.name, a.type])).toEqual([
      ["notes.txt", "text/plain"],
      ["pixel.png", "image/png"],
    ]);
    expect(text(request.attachments[0]!.data)).toBe(
      "plain text attachment content",
    );
    expect(request.attachments[1]?.data.byteLength).toBe(69);
  });

  it("takes simple fields as attributes of <ticket>", () => {
    const request = value(
      xml(
        '<ticket email="alice@example.com" name="Alice Min" subject="Minimal"><message>Hello from the minimal case</message></ticket>',
      ),
    );
    expect(request).toMatchObject({
      email: "alice@example.com",
      name: "Alice Min",
      subject: "Minimal",
      message: { format: "text", body: "Hello from the minimal case" },
    });
  });

  it("makes a message without a type, or text/plain, plain text and unescapes entities", () => {
    const plain = (inner: string) =>
      value(
        xml(
          `<ticket><email>a@example.com</email><subject>S</subject>${inner}</ticket>`,
        ),
      ).message;
    expect(plain("<message>a &lt;b&gt; c</message>")).toEqual({
      format: "text",
      body: "a <b> c",
    });
    expect(
      plain('<message type="text/plain"><![CDATA[<b>x</b>]]></message>'),
    ).toEqual({ format: "text", body: "<b>x</b>" });
    expect(plain("<message></message>")).toEqual({ format: "text", body: "-" });
  });

  it.each<[string, boolean]>([
    ["false", false],
    ["FALSE", false],
    ["0", false],
    ["", false],
    ["true", true],
    ["1", true],
    ["no", true],
  ])('alert="%s" is %s', (flag, expected) => {
    const request = value(
      xml(
        `<ticket alert="${flag}"><email>a@example.com</email><subject>S</subject><message>M</message><autorespond>${flag}</autorespond></ticket>`,
      ),
    );
    expect(request.alert).toBe(expected);
    expect(request.autorespond).toBe(expected);
  });

  it("keeps only the text of <phone>, dropping its attributes", () => {
    const request = value(
      xml(
        '<ticket><email>a@example.com</email><subject>S</subject><message>M</message><phone ext="9">318-555-8634</phone></ticket>',
      ),
    );
    expect(request.phone).toEqual({ isValid: true, number: "3185558634" });
  });

  it("drops a file whose base64 does not decode, and keeps one file as a list", () => {
    const request = value(
      xml(
        '<ticket><email>a@example.com</email><subject>S</subject><message>M</message><attachments><file name="bad.bin" encoding="base64">!!!</file></attachments></ticket>',
      ),
    );
    expect(request.attachments).toEqual([]);
    expect(request.rejectedFiles).toEqual([
      { name: "bad.bin", reason: "unreadable" },
    ]);
  });

  it("reports the same required-field errors as JSON", () => {
    expect(
      failure(xml("<ticket><email>alice@example.com</email></ticket>")),
    ).toEqual({
      kind: "validation",
      newUserDetails: false,
      errors: [SUBJECT_REQUIRED, MESSAGE_REQUIRED],
      email: "alice@example.com",
    });
    expect(failure(xml("<ticket/>"))).toEqual({
      kind: "validation",
      newUserDetails: false,
      errors: [USER_INCOMPLETE, SUBJECT_REQUIRED, MESSAGE_REQUIRED],
    });
  });

  it("ignores unknown elements", () => {
    const request = value(
      xml(
        "<ticket><email>a@example.com</email><subject>S</subject><message>M</message><uid>1</uid><colour>teal</colour></ticket>",
      ),
    );
    expect(request.subject).toBe("S");
  });

  it.each([
    ["truncated XML", "<ticket><email>a@example.com</email><subj"],
    ["mismatched tags", "<ticket><email>a</subject></ticket>"],
    ["an empty body", ""],
    ["not XML", '{"email":"a@example.com"}'],
  ])("quirk: %s is 400 (upstream crashes with a 200 page)", (_, body) => {
    expect(failure(xml(body))).toEqual({ kind: "xml_syntax" });
  });

  it("quirk: a message holding elements instead of text is 400", () => {
    expect(
      failure(
        xml(
          '<ticket><email>a@example.com</email><subject>S</subject><message type="text/html"><p>Hi</p></message></ticket>',
        ),
      ),
    ).toEqual({ kind: "message_not_text" });
  });

  it("quirk: a body over 8 MB is 413", () => {
    const body = `<ticket><message>${"x".repeat(MAX_BODY_BYTES)}</message></ticket>`;
    expect(failure(xml(body))).toEqual({ kind: "body_too_large" });
  });
});
