import "server-only";
import type { Attachment } from "@/db/schema";

// Types a browser could run or render as a page are never served as themselves.
const ACTIVE =
  /^(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml|application\/javascript|text\/javascript)/i;

/** A download of a stored attachment with headers that keep it from running in our origin. */
export function attachmentResponse(file: Attachment): Response {
  const ascii = file.filename
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  return new Response(Buffer.from(file.data), {
    headers: {
      "Content-Type": ACTIVE.test(file.contentType)
        ? "application/octet-stream"
        : file.contentType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
