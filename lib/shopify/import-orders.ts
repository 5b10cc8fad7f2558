import "server-only";
import type { Db } from "@/db/types";
import type { ShopifyGraphql } from "@/lib/shopify/graphql";
import { recordFromAdminApi, recordShopifyOrder } from "@/lib/shopify/orders";
import {
  listOrdersUpdatedSince,
  type ShopifyOrderSummary,
} from "@/lib/shopify/queries";
import { runShopifySync, type SyncOptions } from "@/lib/shopify/sync";

// The backfill of the store's existing orders (and the catch-up after webhooks were missed): every
// order changed since the last finished run, 100 a page, each stored with the same idempotent upsert
// the webhooks use, so an order met twice (a re-read boundary, a webhook racing the import) is one.

export type ImportOrdersOptions = SyncOptions;

export type ImportOrdersResult = {
  /** Orders this call read from Shopify. */
  imported: number;
  /** New in Portico. */
  created: number;
  /** Already here: brought up to date (or the same version again). */
  updated: number;
  /** Already here in a newer version (a webhook was faster): left alone. */
  stale: number;
  /** False when stopped early by the signal: the next call resumes. */
  done: boolean;
  resumed: boolean;
};

const PAGE_SIZE = 100;

/**
 * Imports (or resumes importing) the store's orders. `since` restarts from that time; without it a
 * run under way is resumed, else only orders changed since the last finished run are read.
 * Throws a ShopifyConfigurationError or ShopifyUnavailableError when Shopify refuses or is down,
 * after recording it (shopifySyncState's lastError) and keeping the place to resume from.
 */
export async function importShopifyOrders(
  db: Db,
  shopify: ShopifyGraphql,
  options: ImportOrdersOptions = {},
): Promise<ImportOrdersResult> {
  const now = options.now ?? (() => new Date());
  const counts = { created: 0, updated: 0, stale: 0 };
  const outcome = await runShopifySync<ShopifyOrderSummary>(
    db,
    {
      kind: "orders",
      fetchPage: (input) =>
        listOrdersUpdatedSince(shopify, { ...input, pageSize: PAGE_SIZE }),
      apply: async (order) => {
        counts[
          await recordShopifyOrder(db, recordFromAdminApi(order), now())
        ]++;
      },
      updatedAt: (order) => order.updatedAt,
    },
    { ...options, now },
  );
  return { ...outcome, ...counts };
}
