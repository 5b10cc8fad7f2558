import { osTicketFormatOf } from "@/lib/osticket/api-call";
import { osTicketHandler } from "@/lib/osticket/route";

// Everything else under /api: osTicket's un-rewritten /api/http.php/tickets.* paths, and its answer
// (400 `URL not supported`) for any path it does not route.
async function handle(
  req: Request,
  ctx: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const { path } = await ctx.params;
  return osTicketHandler(osTicketFormatOf(path))(req);
}

export {
  handle as GET,
  handle as POST,
  handle as PUT,
  handle as PATCH,
  handle as DELETE,
};
