import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { attachmentResponse } from "@/lib/tickets/attachment-response";
import { getAttachmentForStaff } from "@/lib/tickets/queries";

export async function GET(
  _req: Request,
  ctx: { params: Promise<{ number: string; id: string }> },
) {
  const { number, id } = await ctx.params;
  await requireAgent(`/staff/tickets/${encodeURIComponent(number)}`);
  const file = await getAttachmentForStaff(await getDb(), number, id);
  if (!file)
    return new Response("Not found", {
      status: 404,
      headers: { "Content-Type": "text/plain" },
    });
  return attachmentResponse(file);
}
