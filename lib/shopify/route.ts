import "server-only";
import { getDbHandle } from "@/db/client";
import { env } from "@/lib/env";
import { jsonError } from "@/lib/http";
import { receiveShopifyWebhook } from "@/lib/shopify/webhook";

// Shopify's order webhooks: who = the HMAC over the raw body, read as text before anything parses
// it. One handler for the route file and for Portico's server (server/direct.ts), as Stripe's.
export async function shopifyWebhook(req: Request): Promise<Response> {
  const config = env().shopify;
  if (!config)
    return jsonError({
      code: "not_found",
      message: "The Shopify store is not connected.",
    });
  const answer = await receiveShopifyWebhook(
    (await getDbHandle()).db,
    config,
    await req.text(),
    req.headers,
    new Date(),
  );
  return Response.json(answer.body, {
    status: answer.status,
    headers: { "Cache-Control": "no-store" },
  });
}
