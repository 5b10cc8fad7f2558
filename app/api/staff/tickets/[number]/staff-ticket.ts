import { getDb } from "@/db/client";
import type { Db } from "@/db/types";
import { agentForApi } from "@/lib/auth/session";
import type { Viewer } from "@/lib/auth/viewer";
import { jsonError } from "@/lib/http";
import { ticketNumberParam } from "@/lib/tickets/schemas";
import { getTicketActivity } from "@/lib/tickets/workspace-queries";

type Found = {
  viewer: Viewer;
  db: Db;
  ticket: NonNullable<Awaited<ReturnType<typeof getTicketActivity>>>;
};

/** The signed-in agent and the ticket a workspace route is about, or the error answer (401/403/404). */
export async function staffTicketFor(ctx: {
  params: Promise<{ number: string }>;
}): Promise<Found | Response> {
  const agent = await agentForApi();
  if (!agent.ok) return jsonError(agent.error);
  const { viewer } = agent;
  const number = ticketNumberParam.safeParse((await ctx.params).number);
  const db = await getDb();
  const ticket = number.success
    ? await getTicketActivity(db, number.data)
    : null;
  if (!ticket)
    return jsonError({ code: "not_found", message: "No such ticket." });
  return { viewer, db, ticket };
}
