import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { notFoundText } from "@/lib/http";
import { getInboundRaw } from "@/lib/mail-ingest/ledger";

export async function GET(
  _req: Request,
  ctx: { params: Promise<{ id: string }> },
) {
  await requireAgent("/staff/mail");
  const id = z.uuid().safeParse((await ctx.params).id);
  if (!id.success) return notFoundText();
  const mail = await getInboundRaw(await getDb(), id.data);
  if (!mail) return notFoundText();
  return new Response(Buffer.from(mail.raw), {
    headers: {
      "Content-Type": "message/rfc822",
      "Content-Length": String(mail.raw.byteLength),
      "Content-Disposition": `attachment; filename="${emlName(mail.subject)}"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}

/** The subject as a file name any system accepts: ASCII letters, digits, dots and dashes. */
function emlName(subject: string): string {
  const base = subject
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 60)
    .replace(/[-.]+$/, "");
  return `${base || "message"}.eml`;
}
