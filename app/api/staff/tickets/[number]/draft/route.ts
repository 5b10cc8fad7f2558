import { zodFieldErrors } from "@/lib/forms";
import { jsonError } from "@/lib/http";
import { saveDraft } from "@/lib/tickets/drafts";
import { draftInput } from "@/lib/tickets/schemas";
import { staffTicketFor } from "../staff-ticket";

// Autosave from the workspace's reply and note boxes: the agent's own draft for this ticket.
const MAX_BYTES = 256 * 1024;
export async function PUT(
  req: Request,
  ctx: { params: Promise<{ number: string }> },
) {
  const found = await staffTicketFor(ctx);
  if (found instanceof Response) return found;
  const { viewer, db, ticket } = found;
  // A draft is at most 50,000 characters: a far larger request is refused whole.
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BYTES)
    return jsonError({
      code: "payload_too_large",
      message: "A draft is at most 50,000 characters.",
    });
  const body = parseJson(text);
  const input = draftInput.safeParse(body);
  if (!input.success)
    return jsonError({
      code: "invalid_input",
      message: "Send {kind, body} as JSON.",
      fields: zodFieldErrors(input.error),
    });
  const now = new Date();
  const outcome = await saveDraft(
    db,
    { ticketId: ticket.id, userId: viewer.id, ...input.data },
    now,
  );
  return Response.json(
    { outcome, savedAt: now.toISOString() },
    { headers: { "Cache-Control": "no-store" } },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
