import type { ShopifyConfig } from "@/lib/env";
import { createShopifyClient } from "@/lib/shopify/client";
import {
  createShopifyGraphql,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import type { FakeShopify } from "@/testing/shopify/fake";

/** The portal's Shopify settings for talking to `fake` with its fixed token. */
export function shopifyConfigFor(
  fake: FakeShopify,
  overrides: Partial<ShopifyConfig> = {},
): ShopifyConfig {
  return {
    shopDomain: fake.shopDomain,
    credentials: { kind: "access_token", accessToken: fake.adminAccessToken },
    apiSecret: fake.clientSecret,
    webhookSecret: fake.webhookSecret,
    apiUrl: fake.url,
    appHost: "portal.example.test",
    ...overrides,
  };
}

/** The real library and wrapper, aimed at `fake`, as shopifyFromEnv builds them. */
export function connectToFake(fake: FakeShopify): ShopifyGraphql {
  return createShopifyGraphql(createShopifyClient(shopifyConfigFor(fake)));
}
