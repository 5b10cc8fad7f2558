import { getDb } from "@/db/client";
import { agentForApi } from "@/lib/auth/session";
import { zodFieldErrors } from "@/lib/forms";
import { jsonError } from "@/lib/http";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput } from "@/lib/tickets/schemas";

// The live queue's feed, polled by the staff queue page every few seconds.
export async function GET(req: Request) {
  const agent = await agentForApi();
  if (!agent.ok) return jsonError(agent.error);
  const { viewer } = agent;
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const filters = queueFiltersInput.safeParse(params);
  if (!filters.success)
    return jsonError({
      code: "invalid_input",
      message: "Invalid filters.",
      fields: zodFieldErrors(filters.error),
    });
  const page = await listQueue(await getDb(), viewer, filters.data, new Date());
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
}
