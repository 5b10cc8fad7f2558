import "server-only";
import {
  isShopifyError,
  ShopifyConfigurationError,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import { listOrdersByEmail, type ShopifyOrder } from "@/lib/shopify/queries";
import { log } from "@/lib/log";

// A customer's Shopify orders as the store has them right now, for the agent beside a ticket.
// Cached briefly per address (agents reload, colleagues open the same ticket), and never allowed
// to break the page: Shopify slow, throttled, down or refusing the token becomes a notice.

export type LiveShopifyOrders =
  | { kind: "off" }
  | { kind: "ok"; orders: ShopifyOrder[]; at: Date }
  | { kind: "problem"; message: string; configuration: boolean };

const CACHE_MS = 60_000;
const TIMEOUT_MS = 4_000;
type Cached = { until: number; value: LiveShopifyOrders };
// On globalThis: the webhook (answered outside Next's page bundles) forgets what it changed here.
const KEY = Symbol.for("portico.shopifyLiveOrders");
const cache: Map<string, Cached> = ((
  globalThis as { [KEY]?: Map<string, Cached> }
)[KEY] ??= new Map());

export async function liveShopifyOrders(
  shopify: ShopifyGraphql | null,
  email: string,
  now = Date.now(),
): Promise<LiveShopifyOrders> {
  if (!shopify) return { kind: "off" };
  const key = email.trim().toLowerCase();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.value;
  const value = await ask(shopify, email);
  // A refusal is cached as briefly as an answer; a configuration fix then shows within a minute.
  cache.set(key, { until: now + CACHE_MS, value });
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  return value;
}

/** Forgets what was read for `email` (a webhook changed its orders), or everything. */
export function forgetLiveShopifyOrders(email?: string): void {
  if (email === undefined) cache.clear();
  else cache.delete(email.trim().toLowerCase());
}

async function ask(
  shopify: ShopifyGraphql,
  email: string,
): Promise<LiveShopifyOrders> {
  try {
    const orders = await listOrdersByEmail(shopify, email, {
      timeoutMs: TIMEOUT_MS,
    });
    return { kind: "ok", orders, at: new Date() };
  } catch (error) {
    if (!isShopifyError(error)) {
      log.error("shopify.live_orders_failed", { error });
      return {
        kind: "problem",
        message: "Shopify could not be read just now.",
        configuration: false,
      };
    }
    log.warn("shopify.live_orders_failed", { error });
    return {
      kind: "problem",
      message: error.message,
      configuration: error instanceof ShopifyConfigurationError,
    };
  }
}
