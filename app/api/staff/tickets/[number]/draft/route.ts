import { getDb } from "@/db/client";
import { getViewer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { zodFieldErrors } from "@/lib/forms";
import { jsonError } from "@/lib/http";
import { saveDraft } from "@/lib/tickets/drafts";
import { draftInput, ticketNumberParam } from "@/lib/tickets/schemas";
import { getTicketActivity } from "@/lib/tickets/workspace-queries";

// Autosave from the workspace's reply and note boxes: the agent's own draft for this ticket.
export async function PUT(
  req: Request,
  ctx: { params: Promise<{ number: string }> },
) {
  const viewer = await getViewer();
  if (!viewer)
    return jsonError({ code: "unauthenticated", message: "Sign in first." });
  if (!isStaff(viewer))
    return jsonError({ code: "forbidden", message: "Agents only." });
  const number = ticketNumberParam.safeParse((await ctx.params).number);
  const db = await getDb();
  const ticket = number.success
    ? await getTicketActivity(db, number.data)
    : null;
  if (!ticket)
    return jsonError({ code: "not_found", message: "No such ticket." });
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
