import { z } from "zod";
import { osTicketFormatOf } from "@/lib/osticket/api-call";
import { osTicketHandler } from "@/lib/osticket/route";

const params = z.object({ path: z.array(z.string()) });

// Everything else under /api: osTicket's un-rewritten /api/http.php/tickets.* paths, and its answer
// (400 `URL not supported`) for any path it does not route.
async function handle(
  req: Request,
  ctx: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const parsed = params.safeParse(await ctx.params);
  return osTicketHandler(
    parsed.success ? osTicketFormatOf(parsed.data.path) : null,
  )(req);
}

export {
  handle as GET,
  handle as POST,
  handle as PUT,
  handle as PATCH,
  handle as DELETE,
};
