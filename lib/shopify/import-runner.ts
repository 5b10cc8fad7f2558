import "server-only";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import type { ShopifyGraphql } from "@/lib/shopify/graphql";
import { importShopifyOrders } from "@/lib/shopify/import-orders";
import { importShopifyProducts } from "@/lib/shopify/import-products";
import type { ShopifySyncKind } from "@/lib/shopify/sync";

// Imports started from the settings page run after the click's answer, in this server process; the
// page follows them through shopify_sync. One run per kind at a time in a process, and the sync's
// own cursor makes a second process's run (or a crash) resume rather than repeat.

// On globalThis: Next bundles the settings page and its action separately, each with its own copy
// of this module, and both must see the same runs.
const KEY = Symbol.for("portico.shopifyImportsRunning");
const running: Set<ShopifySyncKind> = ((
  globalThis as { [KEY]?: Set<ShopifySyncKind> }
)[KEY] ??= new Set());

export const isImportRunning = (kind: ShopifySyncKind) => running.has(kind);

/**
 * Claims the import of `kind` for this process and returns the run to start (after the answer has
 * gone out); null when this process is already running one.
 */
export function claimShopifyImport(
  db: Db,
  shopify: ShopifyGraphql,
  kind: ShopifySyncKind,
): (() => Promise<void>) | null {
  if (running.has(kind)) return null;
  running.add(kind);
  return async () => {
    try {
      const result =
        kind === "orders"
          ? await importShopifyOrders(db, shopify)
          : await importShopifyProducts(db, shopify);
      log.info("shopify.import_finished", { kind, ...result });
    } catch (error) {
      // Recorded in shopify_sync (lastError) by the import itself; the page shows it.
      log.warn("shopify.import_stopped", { kind, error });
    } finally {
      running.delete(kind);
    }
  };
}
