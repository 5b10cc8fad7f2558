import { zodFieldErrors } from "@/lib/forms";
import { jsonError } from "@/lib/http";
import { saveDraft } from "@/lib/tickets/drafts";
import { draftInput } from "@/lib/tickets/schemas";
import { staffTicketFor } from "../staff-ticket";

// Autosave from the workspace's reply and note boxes: the agent's own draft for this ticket.
export async function PUT(
  req: Request,
  ctx: { params: Promise<{ number: string }> },
) {
  const found = await staffTicketFor(ctx);
  if (found instanceof Response) return found;
  const { viewer, db, ticket } = found;
  const body: unknown = await req.json().catch(() => undefined);
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
