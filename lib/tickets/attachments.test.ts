import { describe, expect, it } from "vitest";
import {
  cleanContentType,
  cleanFilename,
  describeRefusedFile,
  readUploads,
  screenFiles,
} from "@/lib/tickets/attachments";

const ALLOWED = ["image/*", "application/pdf", "text/plain"];

describe("content types", () => {
  it.each([
    ["text/plain", "text/plain"],
    ["TEXT/Plain; charset=UTF-8", "text/plain"],
    ["  image/svg+xml ", "image/svg+xml"],
    [
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
    ["text/plain\r\nSet-Cookie: a=b", "application/octet-stream"],
    ["text/plain\nX: y", "application/octet-stream"],
    ["text/pla\u0000in", "application/octet-stream"],
    ["plain", "application/octet-stream"],
    ["", "application/octet-stream"],
    ["a/b/c", "application/octet-stream"],
    ["tëxt/plain", "application/octet-stream"],
  ])("%j → %j", (raw, clean) => {
    expect(cleanContentType(raw)).toBe(clean);
  });
});

describe("file names", () => {
  it.each([
    ["report.pdf", "report.pdf"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\report.pdf", "report.pdf"],
    ["line\r\nbreak.txt", "linebreak.txt"],
    ['say "hi".txt', "say hi.txt"],
    ["invoice\u202Efdp.exe", "invoicefdp.exe"],
    ["nyan cat ✔.gif", "nyan cat ✔.gif"],
    ["lone\ud800.txt", "lone\ufffd.txt"],
    ["..", "attachment"],
    ["   ", "attachment"],
    ["dir/", "attachment"],
    [`${"a".repeat(300)}.txt`, "a".repeat(200)],
  ])("%j → %j", (raw, clean) => {
    expect(cleanFilename(raw)).toBe(clean);
  });
});

describe("files that arrive by API or mail", () => {
  it("keep the allowed ones, cleaned, and set the others aside by name", () => {
    const data = new Uint8Array([1]);
    const { accepted, refused } = screenFiles(
      [
        { name: "a/scan.PNG", type: "IMAGE/PNG", data },
        { name: "tool.exe", type: "application/x-msdownload", data },
        { name: "x.txt", type: "text/plain\r\nX: y", data },
        { name: "doc.pdf", type: "application/pdf; name=doc.pdf", data },
      ],
      ALLOWED,
    );
    expect(accepted).toEqual([
      { name: "scan.PNG", type: "image/png", data },
      { name: "doc.pdf", type: "application/pdf", data },
    ]);
    expect(refused.map(describeRefusedFile)).toEqual([
      "tool.exe: File type is not allowed",
      "x.txt: File type is not allowed",
    ]);
  });
});

describe("web uploads", () => {
  it("accept a type with parameters, and clean the name", async () => {
    const r = await readUploads(
      [new File(["hi"], "../notes.txt", { type: "text/plain;charset=utf-8" })],
      { maxBytes: 1024, types: ALLOWED },
    );
    expect(r.ok && r.value.map((f) => [f.name, f.type])).toEqual([
      ["notes.txt", "text/plain"],
    ]);
  });

  it("refuse a type not on the list, naming the file", async () => {
    const r = await readUploads(
      [new File(["MZ"], "tool.exe", { type: "application/x-msdownload" })],
      { maxBytes: 1024, types: ALLOWED },
    );
    expect(!r.ok && r.error.fields?.attachments?.[0]).toMatch(
      /^tool\.exe is a file type we don't accept/,
    );
  });
});
