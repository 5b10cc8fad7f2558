// The largest body a signed-in upload form may post. next.config.ts loads this file too, and its
// loader cannot follow the "@/" alias, so it imports nothing; the tests hold the copied numbers to
// their sources.

const MB = 1024 * 1024;

/** lib/tickets/attachments.ts's MAX_FILES_PER_MESSAGE. */
export const FILES_PER_MESSAGE = 10;
/** lib/catalog/schemas.ts's IMAGE_MAX_BYTES: a product image. */
export const PRODUCT_IMAGE_MAX_BYTES = 2 * MB;
/** lib/env.ts's default and ceiling for ATTACHMENT_MAX_MB. */
export const ATTACHMENT_MAX_MB_DEFAULT = 10;
export const ATTACHMENT_MAX_MB_CEILING = 100;

// Multipart framing and the form's text fields (a message is at most 50,000 characters).
const FORM_MARGIN_BYTES = MB;

/** ATTACHMENT_MAX_MB as lib/env.ts reads it; a value it would refuse falls back to the default. */
export function attachmentMaxMb(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return ATTACHMENT_MAX_MB_DEFAULT;
  const mb = Number(raw);
  return mb > 0 && mb <= ATTACHMENT_MAX_MB_CEILING
    ? mb
    : ATTACHMENT_MAX_MB_DEFAULT;
}

/** A full set of attachments (or a product image) and the message, in bytes. */
export function uploadFormBodyLimit(maxMb: number): number {
  const files = FILES_PER_MESSAGE * Math.round(maxMb * MB);
  return Math.max(files, PRODUCT_IMAGE_MAX_BYTES) + FORM_MARGIN_BYTES;
}
