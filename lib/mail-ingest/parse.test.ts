import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  displayNameFor,
  normaliseAddress,
  parseMail,
} from "@/lib/mail-ingest/parse";

const dir = path.resolve(process.cwd(), "testing/fixtures/email");
const fixture = (file: string) => readFileSync(path.join(dir, file));
const load = (file: string) => parseMail(fixture(file));
const mail = (source: string) =>
  parseMail(Buffer.from(source.replace(/\n/g, "\r\n"), "utf8"));

describe("parseMail on the corpus", () => {
  it("reads the addresses, ids and date of a reply", async () => {
    const m = await load("reply-crisp-gmail-fr-multiline-attribution.eml");
    expect(m.from).toEqual({
      address: "amelie.fournier@example.fr",
      name: "Amélie Fournier",
    });
    expect(m.messageId).toBe(
      "<CAH8x2LgK3qYbE0wQm7vN1sVf9pR4tU6yZ2aB5cD7eF9hJ0kL2w@mail.gmail.com>",
    );
    expect(m.inReplyTo).toEqual(["<ticket-1187.msg-4@portal.example>"]);
    expect(m.references).toEqual([
      "<ticket-1187.msg-1@portal.example>",
      "<ticket-1187.msg-4@portal.example>",
    ]);
    expect(m.subject).toBe("Re: Ticket #1187 – accès au tableau de bord");
    expect(m.date?.toISOString()).toBe("2021-11-15T19:03:17.000Z");
    expect(m.html).toBeNull();
  });

  it("lists an In-Reply-To id once even when the header repeats it", async () => {
    const m = await load("auto-chatwoot-arabic-precedence-bulk-autoreply.eml");
    expect(m.inReplyTo).toEqual([
      "<4e6e35f5a38b4_479f13bb90078178@small-app-01.mail>",
    ]);
    expect(m.from?.name).toBe("متجر سوق نت");
  });

  it("treats an empty In-Reply-To as none and derives text from HTML-only mail", async () => {
    const m = await load("new-chatwoot-html-only.eml");
    expect(m.inReplyTo).toEqual([]);
    expect(m.html).toContain("<h1>");
    expect(m.text.toLowerCase()).toContain("this is html only mail");
    expect(m.text).not.toContain("<");
  });

  it.each([
    ["reply-crisp-outlook-de-aw-ticket-tag.eml", "23. März 2023"], // ISO-8859-1 quoted-printable
    ["bounce-sisimai-office365-ndr.eml", "wasn’t found"], // windows-1252 quoted-printable
    ["reply-talon-android-russian-base64.eml", "написал"], // base64 UTF-8
    ["reply-talon-windows-mail-html-only-russian.eml", "Отправлено"], // UTF-8 QP HTML only
    ["bounce-phpbh-exim-delay-warning.eml", "Información de NOD32"], // raw Latin-1, no Content-Type
  ])("decodes the charset of %s", async (file, text) => {
    expect((await load(file)).text).toContain(text);
  });

  it.each([
    ["reply-talon-windows-mail-html-only-russian.eml", "Re: Привет"], // RFC 2047 base64
    [
      "new-mailparser-unicode-subject-inline-images.eml",
      "Nodemailer is unicode friendly ✔ (1476358788189)",
    ],
    [
      "new-mikel-pdf-attachment-mbox-from-line.eml",
      "Another PDF with 🎉 Unicode chars in it 🍿",
    ], // raw 8-bit
  ])("decodes the subject of %s", async (file, subject) => {
    expect((await load(file)).subject).toBe(subject);
  });

  it("drops a leading mbox From line, and hashes the message without it", async () => {
    const raw = fixture("new-mikel-pdf-attachment-mbox-from-line.eml");
    const m = await parseMail(raw);
    const withoutFromLine = raw.subarray(raw.indexOf(0x0a) + 1);
    expect(m.contentHash).toBe(
      createHash("sha256").update(withoutFromLine).digest("hex"),
    );
    expect((await parseMail(withoutFromLine)).contentHash).toBe(m.contentHash);
    expect(m.sizeBytes).toBe(raw.length);
    expect(m.from?.address).toBe("xxxx@xxxx.com");
    expect(m.attachments.map((a) => [a.name, a.type])).toEqual([
      ["broken.pdf", "application/pdf"],
    ]);
  });

  it("keeps inline images with their content id and named attachments, not alternative bodies", async () => {
    const m = await load("new-mailparser-unicode-subject-inline-images.eml");
    expect(
      m.attachments.map((a) => [a.name, a.type, a.contentId, a.inline]),
    ).toEqual([
      ["image.png", "image/png", "note@example.com", true],
      ["nyan cat ✔.gif", "image/gif", "nyan@example.com", true],
      ["notes.txt", "text/plain", null, false],
    ]);
    expect(m.html).toContain("cid:nyan@example.com");
    expect(m.attachments[1]?.data.byteLength).toBeGreaterThan(1000);
  });

  it("takes a root that is itself an attachment, with no subject, date or text", async () => {
    const m = await load("new-mailparser-attachment-only-root.eml");
    expect(m.subject).toBe("");
    expect(m.date).toBeNull();
    expect(m.messageId).toBeNull();
    expect(m.text).toBe("");
    expect(m.attachments.map((a) => [a.name, a.type])).toEqual([
      ["screenshot.png", "image/png"],
    ]);
  });

  it("keeps a forwarded message/rfc822 part as an attachment", async () => {
    const m = await load("forward-mikel-message-rfc822-attached.eml");
    expect(m.attachments.map((a) => [a.name, a.type])).toEqual([
      ["ForwardedMessage.eml", "message/rfc822"],
    ]);
    expect(m.text).toContain("This is the first part.");
  });

  it("exposes the report parts of a DSN and names the returned original", async () => {
    const m = await load("bounce-sisimai-sendmail-dsn.eml");
    expect(m.headers.contentType).toBe("multipart/report");
    expect(m.headers.reportType).toBe("delivery-status");
    expect(m.headers.deliveryStatus).toContain("Action: failed");
    expect(m.headers.attachedMessageHeaders).toContain(
      "Message-Id: <E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org>",
    );
    expect(m.headers.autoSubmitted).toBe("auto-generated (failure)");
    expect(m.attachments.map((a) => [a.name, a.type])).toEqual([
      ["forwarded.eml", "message/rfc822"],
    ]);
    expect(m.text).not.toContain("Final-Recipient");
  });

  it("reads the machine-mail headers", async () => {
    const gmail = await load("bounce-chatwoot-gmail-dsn.eml");
    expect(gmail.headers.returnPath).toBe("");
    expect(gmail.headers.xFailedRecipients).toEqual([
      "alex.jones@fictionalcorp.com",
    ]);
    const arabic = await load(
      "auto-chatwoot-arabic-precedence-bulk-autoreply.eml",
    );
    expect(arabic.headers).toMatchObject({
      precedence: "bulk",
      xAutoreply: true,
      autoSubmitted: "auto-replied",
    });
  });

  it("keeps an answer after a format=flowed quote on its own line (quote depth is respected)", async () => {
    const m = await load("reply-talon-thunderbird-bottom-post.eml");
    expect(m.text.split("\n")).toEqual([
      "On 04/02/2012 06:26 PM, Megan One wrote:",
      "> Hi",
      "Hello",
    ]);
  });
});

describe("parseMail on made-up mail", () => {
  it("unflows format=flowed paragraphs, honouring DelSp", async () => {
    const fixed = await mail(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8; format=flowed\n\nOne \ntwo\n> quoted \n>> deeper\nthree\n-- \nsig\n",
    );
    expect(fixed.text).toBe("One two\n> quoted\n>> deeper\nthree\n-- \nsig\n");
    const delSp = await mail(
      'From: a@example.com\nContent-Type: text/plain; format="flowed"; delsp=yes\n\nsuper \ncalifragilistic\n',
    );
    expect(delSp.text).toBe("supercalifragilistic\n");
  });

  it("decodes ISO-2022-JP", async () => {
    const head =
      "From: a@example.com\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n";
    const body = Buffer.from([
      0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x24, 0x41, 0x24,
      0x4f, 0x1b, 0x28, 0x42,
    ]);
    const m = await parseMail(Buffer.concat([Buffer.from(head), body]));
    expect(m.text.trim()).toBe("こんにちは");
  });

  it("turns the HTML into text when the text part is empty", async () => {
    const m = await mail(
      [
        "From: a@example.com",
        'Content-Type: multipart/alternative; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "",
        "--b",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>First&nbsp;line &amp; more</p><p>Second<br>third</p>",
        "--b--",
        "",
      ].join("\n"),
    );
    expect(m.text).toMatch(/First\s+line & more\s+Second\s+third/);
    expect(m.html).toContain("<p>First");
  });

  it("gives null for a date it cannot read, and adds brackets to a bare Message-ID", async () => {
    const m = await mail(
      "From: A <a@example.com>\nDate: someday\nMessage-ID: abc@example.com\n\nhi\n",
    );
    expect(m.date).toBeNull();
    expect(m.messageId).toBe("<abc@example.com>");
  });

  it("keeps addresses as sent, skips empty ones and flattens groups", async () => {
    const m = await mail(
      'From: <>, " Bob " < Bob@Example.com >\nTo: team: x@example.com, y@example.com;\nCc: ,,\n\nhi\n',
    );
    expect(m.from).toEqual({ address: "Bob@Example.com", name: "Bob" });
    expect(m.to.map((a) => a.address)).toEqual([
      "x@example.com",
      "y@example.com",
    ]);
    expect(m.cc).toEqual([]);
  });

  it("takes headers named like object properties as plain headers", async () => {
    const m = await mail(
      "From: a@example.com\n__proto__: x\nConstructor: y\nhasOwnProperty: z\n\nhi\n",
    );
    expect(m.headers.raw["__proto__"]).toEqual(["x"]);
    expect(m.headers.raw["constructor"]).toEqual(["y"]);
    expect(m.text).toBe("hi\n");
  });

  it.each([
    ["an empty input", Buffer.alloc(0)],
    ["a sentence", Buffer.from("hello world, this is not a mail")],
    ["random bytes", randomBytes(4096)],
    ["JSON", Buffer.from('{"subject":"x"}')],
    ["a Uint8Array", new Uint8Array([0x68, 0x69])],
  ])("never throws: %s gives a mail without sender", async (_name, raw) => {
    const m = await parseMail(raw);
    expect(m.from).toBeNull();
    expect(m.sizeBytes).toBe(raw.byteLength);
    expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("address helpers", () => {
  it("normalises an address for comparison", () => {
    expect(normaliseAddress("  Gus@Example.COM ")).toBe("gus@example.com");
  });

  it("uses the display name, or the capitalised local part like osTicket", () => {
    expect(displayNameFor({ address: "gus@example.com", name: "" })).toBe(
      "Gus",
    );
    expect(
      displayNameFor({ address: "gus@example.com", name: " Gus Grissom " }),
    ).toBe("Gus Grissom");
  });
});
