import { describe, expect, it } from "vitest";
import { parseMail } from "@/lib/mail-ingest/parse";

// A mail's file names and types reach download headers and agents' disks, as web uploads' do, and
// get the same cleaning.

const mail = (parts: string[]) =>
  Buffer.from(
    [
      "From: Sender <sender@example.com>",
      "To: support@portico.test",
      "Subject: Files",
      "Message-ID: <files-1@example.com>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "See the files.",
      ...parts.flatMap((p) => ["--b", p]),
      "--b--",
      "",
    ].join("\r\n"),
  );

const part = (headers: string[], body = "aGVsbG8=") =>
  [...headers, "Content-Transfer-Encoding: base64", "", body].join("\r\n");

describe("mail attachments", () => {
  it("lose paths, line breaks and direction marks from their names", async () => {
    const m = await parseMail(
      mail([
        part([
          "Content-Type: text/plain",
          "Content-Disposition: attachment; filename*=UTF-8''a%0D%0Ab.txt",
        ]),
        part([
          "Content-Type: application/pdf",
          'Content-Disposition: attachment; filename="..\\\\..\\\\windows\\\\invoice.pdf"',
        ]),
        part([
          "Content-Type: image/png",
          "Content-Disposition: attachment; filename*=UTF-8''scan%E2%80%AEgnp.exe",
        ]),
      ]),
    );
    expect(m.attachments.map((a) => a.name)).toEqual([
      "ab.txt",
      "invoice.pdf",
      "scangnp.exe",
    ]);
  });

  it("keep a type only in its plain type/subtype form", async () => {
    const m = await parseMail(
      mail([
        part([
          "Content-Type: Application/PDF; name=report.pdf",
          'Content-Disposition: attachment; filename="report.pdf"',
        ]),
        part([
          "Content-Type: nonsense",
          'Content-Disposition: attachment; filename="odd.bin"',
        ]),
      ]),
    );
    expect(m.attachments.map((a) => [a.name, a.type])).toEqual([
      ["report.pdf", "application/pdf"],
      ["odd.bin", "application/octet-stream"],
    ]);
  });
});
