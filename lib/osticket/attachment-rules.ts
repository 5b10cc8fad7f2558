import "server-only";
import type { OsTicketResult } from "@/lib/osticket/errors";
import type { OsTicketRequest } from "@/lib/osticket/request/ticket-request";
import { cleanFilename, screenFiles } from "@/lib/tickets/attachments";

/**
 * The portal's attachment rules (ATTACHMENT_TYPES; clean names and types, as for web uploads) applied
 * to an API request's files the way osTicket applies its own: a refused file never fails the ticket,
 * it is dropped and named in the ticket's "File Import Error" internal note.
 */
export function applyAttachmentRules(
  parsed: OsTicketResult<OsTicketRequest>,
  allowedTypes: string[],
): OsTicketResult<OsTicketRequest> {
  if (!parsed.ok) return parsed;
  const { accepted, refused } = screenFiles(
    parsed.value.attachments,
    allowedTypes,
  );
  return {
    ok: true,
    value: {
      ...parsed.value,
      attachments: accepted,
      rejectedFiles: [
        // The note is one line per file: a name must not be able to add lines of its own.
        ...parsed.value.rejectedFiles.map((f) => ({
          ...f,
          name: cleanFilename(f.name),
        })),
        ...refused.map((f) => ({
          name: f.name,
          reason: "type_not_allowed" as const,
        })),
      ],
    },
  };
}
