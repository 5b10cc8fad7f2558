import "server-only";
import { ApiVersion } from "@shopify/shopify-api";

// Fixed facts of the portal's Shopify connection. The settings themselves are parsed in lib/env.ts
// (ShopifyConfig); these are the parts that are code, not configuration.

/**
 * Queries and webhooks must use the same version (payloads are rendered in the app's webhook
 * version), so it is pinned here and upgraded together with the app's webhook setting. 2026-07 is
 * the newest version @shopify/shopify-api 13.1 knows, the last release supporting Node 20.
 */
export const SHOPIFY_API_VERSION = ApiVersion.July26;

/** What the portal reads: customers' orders, the orders themselves, and the catalogue. */
export const REQUIRED_SCOPES = [
  "read_customers",
  "read_orders",
  "read_products",
] as const;

/** Without it Shopify shows only the last 60 days of orders. */
export const ALL_ORDERS_SCOPE = "read_all_orders";
