import "server-only";
import { getDbHandle } from "@/db/client";
import type { WebhookPost, WebhookReply } from "@/lib/direct-handler";
import { env } from "@/lib/env";
import { errorBody, webhookRoute } from "@/lib/http";
import { receiveShopifyWebhook } from "@/lib/shopify/webhook";

// Shopify's order webhooks: who = the HMAC over the raw body, read as text before anything parses
// it. The route file and Portico's server (server/direct.ts) answer the same way, as Stripe's.
export const shopifyWebhook = webhookRoute(shopifyWebhookReply);

export async function shopifyWebhookReply(
  post: Pick<WebhookPost, "headers" | "body">,
): Promise<WebhookReply> {
  const config = env().shopify;
  if (!config)
    return {
      status: 404,
      body: errorBody({
        code: "not_found",
        message: "The Shopify store is not connected.",
      }),
    };
  return receiveShopifyWebhook(
    (await getDbHandle()).db,
    config,
    post.body,
    post.headers,
    new Date(),
  );
}
