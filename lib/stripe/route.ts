import "server-only";
import { getDbHandle } from "@/db/client";
import type { WebhookPost, WebhookReply } from "@/lib/direct-handler";
import { errorBody, webhookRoute } from "@/lib/http";
import { stripeFromEnv } from "@/lib/stripe/from-env";
import { receiveStripeWebhook } from "@/lib/stripe/deliveries";

// Stripe's webhook: who = the signature over the raw body, read as text before anything parses it.
// The route file answers through stripeWebhook; Portico's server, which answers these posts without
// Next's request handling (server/direct.ts), calls stripeWebhookReply with the body it read.
export const stripeWebhook = webhookRoute(stripeWebhookReply);

export async function stripeWebhookReply(
  post: Pick<WebhookPost, "headers" | "body">,
): Promise<WebhookReply> {
  const stripe = stripeFromEnv();
  if (!stripe)
    return {
      status: 404,
      body: errorBody({
        code: "not_found",
        message: "Card payments (Stripe) are not configured.",
      }),
    };
  return receiveStripeWebhook(
    (await getDbHandle()).db,
    stripe,
    post.body,
    post.headers.get("stripe-signature"),
    new Date(),
  );
}
