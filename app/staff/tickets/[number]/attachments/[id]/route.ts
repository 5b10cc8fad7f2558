import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { notFoundText } from "@/lib/http";
import { attachmentResponse } from "@/lib/tickets/attachment-response";
import { getAttachmentForStaff } from "@/lib/tickets/workspace-queries";
import { ticketNumberParam } from "@/lib/tickets/schemas";

const attachmentParams = z.object({ number: ticketNumberParam, id: z.uuid() });

export async function GET(
  _req: Request,
  ctx: { params: Promise<{ number: string; id: string }> },
) {
  const raw = await ctx.params;
  await requireAgent(`/staff/tickets/${encodeURIComponent(raw.number)}`);
  const params = attachmentParams.safeParse(raw);
  if (!params.success) return notFoundText();
  const { number, id } = params.data;
  const file = await getAttachmentForStaff(await getDb(), number, id);
  if (!file) return notFoundText();
  return attachmentResponse(file);
}
