import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { jsonError } from "@/lib/http";
import { createStripeClient } from "@/lib/stripe/client";
import { receiveStripeWebhook } from "@/lib/stripe/webhook";

// Stripe's webhook: who = the signature over the raw body, read as text before anything parses it.
export async function POST(req: Request): Promise<Response> {
  const config = env().stripe;
  if (!config)
    return jsonError({
      code: "not_found",
      message: "Card payments (Stripe) are not configured.",
    });
  const answer = await receiveStripeWebhook(
    await getDb(),
    createStripeClient(config),
    await req.text(),
    req.headers.get("stripe-signature"),
    new Date(),
  );
  return Response.json(answer.body, {
    status: answer.status,
    headers: { "Cache-Control": "no-store" },
  });
}
