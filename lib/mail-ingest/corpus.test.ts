import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { classifyMail } from "@/lib/mail-ingest/classify";
import { parseMail } from "@/lib/mail-ingest/parse";
import { visibleReply } from "@/lib/mail-ingest/reply-text";
import {
  isForwardSubject,
  ticketReferenceInSubject,
} from "@/lib/mail-ingest/subject-reference";

// Every expectation in the shared email corpus's manifest, one test per message and module.
const dir = path.resolve(process.cwd(), "testing/fixtures/email");

const manifest = z
  .array(
    z.object({
      file: z.string(),
      kind: z.enum(["new", "reply", "forward", "auto-reply", "bounce"]),
      ticket_ref: z.number().int().nullable(),
      expected_visible_text_contains: z.array(z.string()),
      expected_visible_text_excludes: z.array(z.string()),
    }),
  )
  .parse(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")));

const load = (file: string) => parseMail(readFileSync(path.join(dir, file)));

// The manifest's comparison: case-insensitive, every whitespace run (U+00A0 too) as one space.
const normalise = (s: string) =>
  s
    .replace(/[\s\u00a0]+/g, " ")
    .trim()
    .toLowerCase();

// The portal's own Message-IDs, as the corpus writes them.
const PORTAL_ID = /^<ticket-(\d+)\.msg-\d+@portal\.example>$/;

describe("email corpus", () => {
  it("lists every .eml file in the folder", async () => {
    const { readdirSync } = await import("node:fs");
    const files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
    expect(manifest.map((m) => m.file).sort()).toEqual(files.sort());
  });

  describe("visible text", () => {
    it.each(manifest.map((m) => [m.file, m] as const))(
      "%s",
      async (_file, entry) => {
        const mail = await load(entry.file);
        const { visible } = visibleReply(mail.text, {
          forward: isForwardSubject(mail.subject),
        });
        const shown = normalise(visible);
        for (const text of entry.expected_visible_text_contains) {
          expect(shown, `should contain "${text}"`).toContain(normalise(text));
        }
        for (const text of entry.expected_visible_text_excludes) {
          expect(shown, `should not contain "${text}"`).not.toContain(
            normalise(text),
          );
        }
      },
    );
  });

  describe("classification", () => {
    const expected = { "auto-reply": "auto_reply", bounce: "bounce" } as const;
    it.each(manifest.map((m) => [m.file, m] as const))(
      "%s",
      async (_file, entry) => {
        const mail = await load(entry.file);
        const kind =
          entry.kind === "auto-reply" || entry.kind === "bounce"
            ? expected[entry.kind]
            : "normal";
        expect(classifyMail(mail).kind).toBe(kind);
      },
    );
  });

  describe("ticket reference (subject, else the portal's Message-IDs in the thread headers)", () => {
    it.each(manifest.map((m) => [m.file, m] as const))(
      "%s",
      async (_file, entry) => {
        const mail = await load(entry.file);
        const fromThread = [...mail.inReplyTo, ...mail.references]
          .map((id) => PORTAL_ID.exec(id)?.[1])
          .find((n) => n !== undefined);
        const reference =
          ticketReferenceInSubject(mail.subject) ?? fromThread ?? null;
        expect(reference).toBe(
          entry.ticket_ref === null ? null : String(entry.ticket_ref),
        );
      },
    );
  });
});
