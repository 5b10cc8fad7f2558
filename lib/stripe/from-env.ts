import "server-only";
import { env } from "@/lib/env";
import { createStripeClient, type StripeClient } from "@/lib/stripe/client";

/** The configured Stripe client for entry points; null when card payments are off. */
export function stripeFromEnv(): StripeClient | null {
  const config = env().stripe;
  return config ? createStripeClient(config) : null;
}
