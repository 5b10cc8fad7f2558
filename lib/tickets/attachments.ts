import "server-only";
import { createHash } from "node:crypto";
import { attachments } from "@/db/schema";
import type { Db } from "@/db/types";
import { formatByteSize } from "@/lib/format";
import { fail, ok, type Result } from "@/lib/result";
import { wellFormed } from "@/lib/text";

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
        `${name} is ${formatByteSize(file.size)}; the limit is ${formatByteSize(limits.maxBytes)}.`,
      );
    }
    const type = cleanContentType(file.type);
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

/** A file a customer sent by API or mail that is not kept; osTicket notes these on the ticket. */
export type RefusedFile = { name: string; reason: "type_not_allowed" };

/** The line osTicket writes for a refused file in its "File Import Error" internal note. */
export function describeRefusedFile(file: RefusedFile): string {
  return `${file.name}: File type is not allowed`;
}

/**
 * The web upload rules for files that arrive by API or mail, where refusing the whole message is not
 * an option: names and types cleaned, and files of a type not on the allowed list set aside.
 */
export function screenFiles<F extends { name: string; type: string }>(
  files: F[],
  allowedTypes: string[],
): { accepted: F[]; refused: RefusedFile[] } {
  const accepted: F[] = [];
  const refused: RefusedFile[] = [];
  for (const file of files) {
    const name = cleanFilename(file.name);
    const type = cleanContentType(file.type);
    if (isAllowedType(type, allowedTypes))
      accepted.push({ ...file, name, type });
    else refused.push({ name, reason: "type_not_allowed" });
  }
  return { accepted, refused };
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
  // Cleaned again whichever door the file came through: the name and type end up in download headers.
  return files.map((f) => ({
    ticketId,
    messageId,
    filename: cleanFilename(f.name),
    contentType: cleanContentType(f.type),
    sizeBytes: f.data.byteLength,
    sha256: createHash("sha256").update(f.data).digest("hex"),
    contentId: f.contentId,
    isInline: f.isInline ?? false,
    data: f.data,
  }));
}

// Names end up in headers and on disk when downloaded: keep them printable and path-free, and without
// the direction marks that make `invoice\u202Efdp.exe` display as `invoiceexe.pdf`.
export function cleanFilename(name: string): string {
  const base = wellFormed(name).split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(
      /[\u0000-\u001f\u007f-\u009f"\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      "",
    )
    .trim()
    .slice(0, 200)
    .trim();
  return /^\.*$/.test(cleaned) ? "attachment" : cleaned;
}

// A MIME type's `type/subtype`, as RFC 6838 allows its names.
const MIME_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * A content type as stored and served: `type/subtype` in lower case, parameters dropped. Anything
 * else (a CR or LF from an API caller, which no response header can carry; a bare word; nothing)
 * becomes application/octet-stream.
 */
export function cleanContentType(type: string): string {
  const essence = (type.split(";")[0] ?? "").trim().toLowerCase();
  return MIME_TYPE.test(essence) ? essence : "application/octet-stream";
}

const fieldError = (message: string) =>
  fail("invalid_input", message, { fields: { attachments: [message] } });
