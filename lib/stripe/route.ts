import "server-only";
import { getDbHandle } from "@/db/client";
import { jsonError } from "@/lib/http";
import { stripeFromEnv } from "@/lib/stripe/from-env";
import { receiveStripeWebhook } from "@/lib/stripe/deliveries";

// Stripe's webhook: who = the signature over the raw body, read as text before anything parses it.
// One handler for the route file and for Portico's server, which answers these posts without
// Next's request handling (server/direct.ts): that costs more than applying the event.
export async function stripeWebhook(req: Request): Promise<Response> {
  const stripe = stripeFromEnv();
  if (!stripe)
    return jsonError({
      code: "not_found",
      message: "Card payments (Stripe) are not configured.",
    });
  const answer = await receiveStripeWebhook(
    (await getDbHandle()).db,
    stripe,
    await req.text(),
    req.headers.get("stripe-signature"),
    new Date(),
  );
  return Response.json(answer.body, {
    status: answer.status,
    headers: { "Cache-Control": "no-store" },
  });
}
