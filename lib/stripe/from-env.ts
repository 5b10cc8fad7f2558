import "server-only";
import { env, type StripeConfig } from "@/lib/env";
import { createStripeClient, type StripeClient } from "@/lib/stripe/client";

// One client per configuration, not one per request: building the SDK costs more than verifying a
// webhook's signature. Sharing it is safe: the client keeps only the configuration and its HTTP
// agent, nothing of a request or a user, and the SDK is made to serve concurrent calls. env() hands
// back the same configuration until the environment is re-read, which then gets a client of its own.
const clients = new WeakMap<StripeConfig, StripeClient>();

/** The configured Stripe client for entry points; null when card payments are off. */
export function stripeFromEnv(): StripeClient | null {
  const config = env().stripe;
  if (!config) return null;
  let client = clients.get(config);
  if (!client) clients.set(config, (client = createStripeClient(config)));
  return client;
}
