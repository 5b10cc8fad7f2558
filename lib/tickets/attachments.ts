import "server-only";
import { createHash } from "node:crypto";
import { attachments } from "@/db/schema";
import type { Db } from "@/db/types";
import { fail, ok, type Result } from "@/lib/result";

export type AttachmentLimits = { maxBytes: number; types: string[] };
export type IncomingFile = {
  name: string;
  type: string;
  data: Uint8Array;
  contentId?: string;
  isInline?: boolean;
};

export const MAX_FILES_PER_MESSAGE = 10;

/** Reads uploaded Files and checks them against the limits; a refusal names the file and the rule. */
export async function readUploads(
  files: File[],
  limits: AttachmentLimits,
): Promise<Result<IncomingFile[]>> {
  if (files.length > MAX_FILES_PER_MESSAGE) {
    return fieldError(
      `Attach at most ${MAX_FILES_PER_MESSAGE} files to one message.`,
    );
  }
  const out: IncomingFile[] = [];
  for (const file of files) {
    const name = cleanFilename(file.name);
    if (file.size > limits.maxBytes) {
      return fieldError(
        `${name} is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxBytes)}.`,
      );
    }
    const type = (file.type || "application/octet-stream").toLowerCase();
    if (!isAllowedType(type, limits.types)) {
      return fieldError(
        `${name} is a file type we don't accept (${type}). Images, PDF, text and zip files are fine.`,
      );
    }
    out.push({ name, type, data: new Uint8Array(await file.arrayBuffer()) });
  }
  return ok(out);
}

export function isAllowedType(type: string, allowed: string[]): boolean {
  return allowed.some((a) =>
    a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : type === a,
  );
}

/** Stores files for a message; call inside the message's transaction. */
export async function storeAttachments(
  db: Db,
  ticketId: string,
  messageId: string,
  files: IncomingFile[],
): Promise<void> {
  if (files.length === 0) return;
  await db
    .insert(attachments)
    .values(attachmentRows(ticketId, messageId, files));
}

/** The rows of a message's files, for a caller that writes them together with the message. */
export function attachmentRows(
  ticketId: string,
  messageId: string,
  files: IncomingFile[],
): (typeof attachments.$inferInsert)[] {
  return files.map((f) => ({
    ticketId,
    messageId,
    filename: f.name,
    contentType: f.type,
    sizeBytes: f.data.byteLength,
    sha256: createHash("sha256").update(f.data).digest("hex"),
    contentId: f.contentId,
    isInline: f.isInline ?? false,
    data: f.data,
  }));
}

// Names end up in headers and on disk when downloaded: keep them printable and path-free.
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    .trim()
    .slice(0, 200);
  return cleaned || "attachment";
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const fieldError = (message: string) =>
  fail("invalid_input", message, { fields: { attachments: [message] } });
