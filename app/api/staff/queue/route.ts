import { getDb } from "@/db/client";
import { getViewer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { zodFieldErrors } from "@/lib/forms";
import { jsonError } from "@/lib/http";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput } from "@/lib/tickets/schemas";

// The live queue's feed, polled by the staff queue page every few seconds.
export async function GET(req: Request) {
  const viewer = await getViewer();
  if (!viewer)
    return jsonError({ code: "unauthenticated", message: "Sign in first." });
  if (!isStaff(viewer))
    return jsonError({ code: "forbidden", message: "Agents only." });
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
