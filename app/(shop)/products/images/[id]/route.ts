import { z } from "zod";
import { getDb } from "@/db/client";
import { getProductImage } from "@/lib/catalog/queries";
import { notFoundText } from "@/lib/http";

// Public like the catalogue it illustrates. An image id never changes its bytes (a new upload is a
// new id), so browsers and proxies may keep it for a year.
export async function GET(
  _req: Request,
  ctx: { params: Promise<{ id: string }> },
) {
  const id = z.uuid().safeParse((await ctx.params).id);
  const image = id.success
    ? await getProductImage(await getDb(), id.data)
    : null;
  if (!image) return notFoundText();
  return new Response(Buffer.from(image.data), {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.sizeBytes),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
