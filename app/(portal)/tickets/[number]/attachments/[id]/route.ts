import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { attachmentResponse } from "@/lib/tickets/attachment-response";
import { getAttachmentForCustomer } from "@/lib/tickets/queries";

// A customer's download: only from their own ticket, never from an internal note; anything else is
// the same 404 as a file that doesn't exist.
export async function GET(
  _req: Request,
  ctx: { params: Promise<{ number: string; id: string }> },
) {
  const { number, id } = await ctx.params;
  const viewer = await requireCustomer(
    `/tickets/${encodeURIComponent(number)}`,
  );
  const file = await getAttachmentForCustomer(
    await getDb(),
    viewer,
    number,
    id,
  );
  if (!file)
    return new Response("Not found", {
      status: 404,
      headers: { "Content-Type": "text/plain" },
    });
  return attachmentResponse(file);
}
