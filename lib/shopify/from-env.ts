import "server-only";
import { env, type ShopifyConfig } from "@/lib/env";
import { createShopifyClient } from "@/lib/shopify/client";
import {
  createShopifyGraphql,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";

// One client per configuration, not one per request: it holds the granted token (asking Shopify for
// a new one per request would be slow and rate-limited) and the per-store queue that keeps calls
// from draining the shared cost bucket together. It keeps nothing of a request or a user. env()
// hands back the same configuration until the environment is re-read, which then gets its own.
const clients = new WeakMap<ShopifyConfig, ShopifyGraphql>();

/** The configured Shopify store for entry points; null when Shopify is switched off. */
export function shopifyFromEnv(): ShopifyGraphql | null {
  const config = env().shopify;
  if (!config) return null;
  let client = clients.get(config);
  if (!client)
    clients.set(
      config,
      (client = createShopifyGraphql(createShopifyClient(config))),
    );
  return client;
}
