import { getDb } from "@/db/client";
import { getViewer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { jsonError } from "@/lib/http";
import { touchTicketViewer } from "@/lib/tickets/presence";
import { getTicketActivity } from "@/lib/tickets/workspace-queries";
import { ticketNumberParam } from "@/lib/tickets/schemas";

// Heartbeat from an open ticket workspace: records this agent as viewing and answers who else is,
// and when the ticket last changed, so the page can warn about a colleague's reply.
export async function POST(
  _req: Request,
  ctx: { params: Promise<{ number: string }> },
) {
  const viewer = await getViewer();
  if (!viewer)
    return jsonError({ code: "unauthenticated", message: "Sign in first." });
  if (!isStaff(viewer))
    return jsonError({ code: "forbidden", message: "Agents only." });
  const number = ticketNumberParam.safeParse((await ctx.params).number);
  const db = await getDb();
  const activity = number.success
    ? await getTicketActivity(db, number.data)
    : null;
  if (!activity)
    return jsonError({ code: "not_found", message: "No such ticket." });
  const now = new Date();
  const viewers = await touchTicketViewer(db, activity.id, viewer.id, now);
  return Response.json(
    {
      viewers,
      lastMessageAt: activity.lastMessageAt,
      updatedAt: activity.updatedAt,
      status: activity.status,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
