import "server-only";
import type { Attachment } from "@/db/schema";
import { cleanContentType, cleanFilename } from "@/lib/tickets/attachments";

// Types a browser could run or render as a page are never served as themselves.
const ACTIVE =
  /^(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml|application\/javascript|text\/javascript)/i;

/**
 * A download of a stored attachment with headers that keep it from running in our origin. The name
 * and type are cleaned again here: a row stored before intake cleaned them (a CR or LF in the type)
 * must still download, not fail the response.
 */
export function attachmentResponse(file: Attachment): Response {
  const name = cleanFilename(file.filename);
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const type = cleanContentType(file.contentType);
  return new Response(Buffer.from(file.data), {
    headers: {
      "Content-Type": ACTIVE.test(type) ? "application/octet-stream" : type,
      "Content-Length": String(file.data.byteLength),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
