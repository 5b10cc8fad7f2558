import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "@/db/seed";
import { attachments, ticketMessages } from "@/db/schema";
import { ingestMail } from "@/lib/mail-ingest/ingest";
import { createTestDb, type TestDb } from "@/testing/db";

// Mail follows the web upload rules: a file of a type not on ATTACHMENT_TYPES is set aside, and the
// ticket says so, as osTicket notes files it could not import.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await seedDemoData(t.db);
});
afterAll(async () => t?.close());

const mail = (id: string) =>
  new TextEncoder().encode(
    [
      "From: Mallory Sender <mallory@example.net>",
      "To: support@portico.test",
      "Subject: Invoice attached",
      `Message-ID: <${id}@example.net>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "Please see the attachments.",
      "--b",
      'Content-Type: application/x-msdownload; name="invoice.exe"',
      'Content-Disposition: attachment; filename="../invoice.exe"',
      "Content-Transfer-Encoding: base64",
      "",
      "TVqQAAMAAAAEAAAA",
      "--b",
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      "JVBERi0xLjQK",
      "--b--",
      "",
    ].join("\r\n"),
  );

describe("attachments arriving by mail", () => {
  it("keep allowed types and set the others aside with a File Import Error note", async () => {
    const outcome = await ingestMail(
      t.db,
      mail("types-1"),
      { receivingAddress: "pipe" },
      {
        systemAddresses: ["support@portico.test"],
        now: new Date(),
        allowedTypes: ["image/*", "application/pdf"],
      },
    );
    expect(outcome.kind).toBe("created");
    if (outcome.kind !== "created") return;
    const files = await t.db
      .select({ name: attachments.filename, type: attachments.contentType })
      .from(attachments)
      .where(eq(attachments.ticketId, outcome.ticket.id));
    expect(files).toEqual([{ name: "invoice.pdf", type: "application/pdf" }]);
    const messages = await t.db
      .select({ text: ticketMessages.bodyText })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, outcome.ticket.id));
    expect(messages.map((m) => m.text)).toContain(
      "File Import Error\ninvoice.exe: File type is not allowed",
    );
  });
});
