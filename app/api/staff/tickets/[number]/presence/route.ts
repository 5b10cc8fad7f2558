import { touchTicketViewer } from "@/lib/tickets/presence";
import { staffTicketFor } from "../staff-ticket";

// Heartbeat from an open ticket workspace: records this agent as viewing and answers who else is
// (and what they are writing), and when the ticket last changed, so the page can warn about a
// colleague's reply.
export async function POST(
  _req: Request,
  ctx: { params: Promise<{ number: string }> },
) {
  const found = await staffTicketFor(ctx);
  if (found instanceof Response) return found;
  const { viewer, db, ticket } = found;
  const viewers = await touchTicketViewer(db, ticket.id, viewer.id, new Date());
  return Response.json(
    {
      viewers,
      lastMessageAt: ticket.lastMessageAt,
      updatedAt: ticket.updatedAt,
      status: ticket.status,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
