import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyMail } from "@/lib/mail-ingest/classify";
import { parseMail } from "@/lib/mail-ingest/parse";

const dir = path.resolve(process.cwd(), "testing/fixtures/email");
const load = (file: string) => parseMail(readFileSync(path.join(dir, file)));
const mail = (lines: string[]) =>
  parseMail(Buffer.from(lines.join("\r\n"), "utf8"));

describe("classifyMail: bounce details from the corpus", () => {
  // Read off each fixture: the address that failed and the Message-ID of the returned original.
  it.each([
    [
      "bounce-chatwoot-gmail-dsn.eml",
      ["alex.jones@fictionalcorp.com"],
      "<conversation/93775311-9416-4428-964b-862001f8a8b2/messages/27855337@gmail.com>",
    ],
    [
      "bounce-mailparser-amazonses-dsn.eml",
      ["xxxx@xxxx.com"],
      "<xxxxx@email.amazonses.com>",
    ],
    [
      "bounce-sisimai-exchange2007-no-auto-submitted.eml",
      ["mikeneko@example.co.jp"],
      null,
    ],
    [
      "bounce-sisimai-exim-plain.eml",
      ["kijitora@example.ed.jp"],
      "<E1P1ce6-000Egt-GZ@e1.example.org>",
    ],
    [
      "bounce-sisimai-office365-ndr.eml",
      ["kijitora@example.com"],
      "<FFFFFFFF.EEEEEEEE@example.ed.jp>",
    ],
    [
      "bounce-sisimai-qmail-plain.eml",
      ["kijitora@example.ne.jp"],
      "<000000000.9999999999999.JavaMail.postmaster@mailhub>",
    ],
    [
      "bounce-sisimai-sendmail-dsn.eml",
      ["userunknown@bouncehammer.jp"],
      "<E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org>",
    ],
  ])("%s", async (file, failedRecipients, originalMessageId) => {
    expect(classifyMail(await load(file))).toMatchObject({
      kind: "bounce",
      failedRecipients,
      originalMessageId,
    });
  });

  it("treats an Exim delay warning as machine mail without failed recipients", async () => {
    const result = classifyMail(
      await load("bounce-phpbh-exim-delay-warning.eml"),
    );
    expect(result).toMatchObject({ kind: "bounce", failedRecipients: [] });
    expect(result.kind === "bounce" && result.reason).toMatch(/delayed/);
  });
});

const dsn = (action: string) => [
  "From: MAILER-DAEMON@mx.example.com",
  "To: support@portal.example",
  "Subject: Delivery Status Notification",
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
  "",
  "--b",
  "Content-Type: text/plain",
  "",
  "Something happened to your message.",
  "--b",
  "Content-Type: message/delivery-status",
  "",
  "Reporting-MTA: dns; mx.example.com",
  "",
  "Original-Recipient: rfc822; Customer@Example.com",
  "Final-Recipient: rfc822; customer@mailbox.example.com",
  `Action: ${action}`,
  `Status: ${action === "failed" ? "5.1.1" : "4.4.7"}`,
  "",
  "--b",
  "Content-Type: text/rfc822-headers",
  "",
  "Message-ID: <ticket-7.msg-2@portal.example>",
  "Subject: [TICKET-123456] Hello",
  "",
  "--b--",
  "",
];

describe("classifyMail: made-up mail", () => {
  it("reads failed recipients and the original Message-ID from a DSN", async () => {
    expect(classifyMail(await mail(dsn("failed")))).toEqual({
      kind: "bounce",
      reason: "delivery status notification (multipart/report)",
      failedRecipients: ["customer@example.com"],
      originalMessageId: "<ticket-7.msg-2@portal.example>",
    });
  });

  it("does not count a delayed DSN as a failure", async () => {
    expect(classifyMail(await mail(dsn("delayed")))).toMatchObject({
      kind: "bounce",
      failedRecipients: [],
    });
  });

  const person = (headers: string[], subject = "Question about my order") => [
    "From: Customer <customer@example.com>",
    "To: support@portal.example",
    `Subject: ${subject}`,
    ...headers,
    "",
    "Hello",
  ];

  it.each([
    [["Auto-Submitted: auto-replied"]],
    [["Auto-Submitted: auto-generated (failure)"]],
    [["X-Autoreply: yes"]],
    [["X-Autorespond: on vacation"]],
    [["Precedence: bulk"]],
    [["Precedence: junk"]],
    [["Precedence: auto_reply"]],
  ])("takes %j for an auto-reply", async (headers) => {
    expect(classifyMail(await mail(person(headers))).kind).toBe("auto_reply");
  });

  it.each([
    "Out of Office: Question",
    "Automatic reply: Question",
    "Auto-Reply: Question",
    "Autoreply: Question",
    "Abwesenheitsnotiz: Frage",
    "Automatische Antwort: Frage",
    "Réponse automatique : Question",
    "Absence du bureau",
    "Respuesta automática: Pregunta",
  ])("takes the subject %j for an auto-reply", async (subject) => {
    expect(classifyMail(await mail(person([], subject))).kind).toBe(
      "auto_reply",
    );
  });

  it.each([
    [[], "Re: my out of office request"],
    [["Auto-Submitted: no"], "Question"],
    [["Precedence: list"], "Question"],
    [[], "Absence de réponse à ma demande"],
    [[], "Returned mail: the parcel came back"],
  ])(
    "takes %j with subject %j for a person's mail",
    async (headers, subject) => {
      expect(classifyMail(await mail(person(headers, subject)))).toEqual({
        kind: "normal",
      });
    },
  );

  it("takes a read receipt for an auto-reply", async () => {
    const receipt = [
      "From: customer@example.com",
      "Subject: Read: [TICKET-123456] Hello",
      'Content-Type: multipart/report; report-type=disposition-notification; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "Your message was read.",
      "--b--",
      "",
    ];
    expect(classifyMail(await mail(receipt)).kind).toBe("auto_reply");
  });
});
