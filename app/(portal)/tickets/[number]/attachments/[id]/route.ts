import { z } from "zod";
import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { notFoundText } from "@/lib/http";
import { attachmentResponse } from "@/lib/tickets/attachment-response";
import { getAttachmentForCustomer } from "@/lib/tickets/customer-queries";
import { ticketNumberParam } from "@/lib/tickets/schemas";

const attachmentParams = z.object({ number: ticketNumberParam, id: z.uuid() });

// A customer's download: only from their own ticket, never from an internal note; anything else is
// the same 404 as a file that doesn't exist.
export async function GET(
  _req: Request,
  ctx: { params: Promise<{ number: string; id: string }> },
) {
  const raw = await ctx.params;
  const viewer = await requireCustomer(
    `/tickets/${encodeURIComponent(raw.number)}`,
  );
  const params = attachmentParams.safeParse(raw);
  if (!params.success) return notFoundText();
  const { number, id } = params.data;
  const file = await getAttachmentForCustomer(
    await getDb(),
    viewer,
    number,
    id,
  );
  if (!file) return notFoundText();
  return attachmentResponse(file);
}
