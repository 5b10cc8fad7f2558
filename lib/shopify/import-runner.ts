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

const running = new Set<ShopifySyncKind>();

export const isImportRunning = (kind: ShopifySyncKind) => running.has(kind);

/** Starts importing `kind` in the background; "running" when this process already is. */
export function startShopifyImport(
  db: Db,
  shopify: ShopifyGraphql,
  kind: ShopifySyncKind,
): "started" | "running" {
  if (running.has(kind)) return "running";
  running.add(kind);
  const run =
    kind === "orders"
      ? importShopifyOrders(db, shopify)
      : importShopifyProducts(db, shopify);
  void run
    .then((result) => log.info("shopify.import_finished", { kind, ...result }))
    // Recorded in shopify_sync (lastError) by the import itself; the page shows it.
    .catch((error: unknown) =>
      log.warn("shopify.import_stopped", { kind, error }),
    )
    .finally(() => running.delete(kind));
  return "started";
}
