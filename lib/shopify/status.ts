import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { shopifySync, webhookEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { SHOPIFY_API_VERSION } from "@/lib/shopify/config";
import {
  isShopifyError,
  ShopifyConfigurationError,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import { getShopInfo, type ShopifyShopInfo } from "@/lib/shopify/queries";

// What the settings page says about the store connection: does the store answer, with which
// scopes, which API version, and what arrived (or was refused) last.

export type ShopifyStatus = {
  apiVersion: string;
  shop:
    | { ok: true; info: ShopifyShopInfo }
    | { ok: false; message: string; configuration: boolean };
  /** In words, one per thing that keeps the integration from working fully. */
  problems: string[];
  lastWebhook: { at: Date; topic: string } | null;
  lastRefused: { at: Date; reason: string } | null;
};

const SCOPE_WHY: Record<string, string> = {
  read_orders:
    "the app lacks read_orders, so orders cannot be read beside tickets or imported",
  read_customers:
    "the app lacks read_customers, so customers cannot be looked up",
  read_products:
    "the app lacks read_products, so the catalogue cannot be imported",
};

export async function shopifyStatus(
  db: Db,
  shopify: ShopifyGraphql,
): Promise<ShopifyStatus> {
  const [shop, [webhook], [refused]] = await Promise.all([
    readShop(shopify),
    db
      .select({ at: webhookEvents.receivedAt, topic: webhookEvents.type })
      .from(webhookEvents)
      .where(eq(webhookEvents.provider, "shopify"))
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(1),
    db
      .select({ at: shopifySync.updatedAt, reason: shopifySync.lastError })
      .from(shopifySync)
      .where(and(eq(shopifySync.kind, "webhook_refused"))),
  ]);
  const problems: string[] = [];
  if (shop.ok) {
    for (const scope of shop.info.missingScopes)
      problems.push(
        `${SCOPE_WHY[scope] ?? `the app lacks ${scope}`}: add it to the app and approve it in the store.`,
      );
    if (!shop.info.seesAllOrders)
      problems.push(
        "Without read_all_orders, Shopify shows only the last 60 days of orders: older ones are neither listed beside tickets nor imported.",
      );
  } else problems.push(shop.message);
  const lastRefused =
    refused?.reason && (!webhook || refused.at > webhook.at)
      ? { at: refused.at, reason: refused.reason }
      : null;
  if (lastRefused)
    problems.push(
      `The latest webhook delivery was refused: ${lastRefused.reason} Webhooks made in the store admin (Settings → Notifications) are signed with the key shown there: set it as SHOPIFY_WEBHOOK_SECRET.`,
    );
  return {
    apiVersion: SHOPIFY_API_VERSION,
    shop,
    problems,
    lastWebhook: webhook ?? null,
    lastRefused,
  };
}

async function readShop(
  shopify: ShopifyGraphql,
): Promise<ShopifyStatus["shop"]> {
  try {
    return { ok: true, info: await getShopInfo(shopify, { timeoutMs: 5_000 }) };
  } catch (error) {
    if (!isShopifyError(error))
      return {
        ok: false,
        message: "The store could not be reached.",
        configuration: false,
      };
    return {
      ok: false,
      message: error.message,
      configuration: error instanceof ShopifyConfigurationError,
    };
  }
}
