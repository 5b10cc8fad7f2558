import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { shopifyFromEnv } from "@/lib/shopify/from-env";
import { isImportRunning } from "@/lib/shopify/import-runner";
import { shopifyStatus } from "@/lib/shopify/status";
import { shopifySyncState } from "@/lib/shopify/sync";
import { startShopifyImportAction } from "./actions";
import { ImportPanel, type ImportView } from "./import-panel";

export const metadata: Metadata = { title: "Shopify store" };

const TITLE = "Shopify store";

export default async function ShopifySettingsPage() {
  await requireAdmin("/staff/settings/shopify");
  const config = env().shopify;
  const shopify = shopifyFromEnv();
  if (!config || !shopify)
    return (
      <>
        <PageHeader title={TITLE} />
        <EmptyState title="No Shopify store is connected">
          <p>
            Set <code>SHOPIFY_SHOP_DOMAIN</code>,{" "}
            <code>SHOPIFY_API_SECRET</code> and{" "}
            <code>SHOPIFY_ADMIN_ACCESS_TOKEN</code> (or{" "}
            <code>SHOPIFY_CLIENT_ID</code>) to bring the store&apos;s orders in
            beside each customer&apos;s tickets. <code>.env.example</code> lists
            the rest.
          </p>
        </EmptyState>
      </>
    );
  const db = await getDb();
  const [status, orders, products] = await Promise.all([
    shopifyStatus(db, shopify),
    shopifySyncState(db, "orders"),
    shopifySyncState(db, "products"),
  ]);
  const view = (state: typeof orders, title: string): ImportView => ({
    kind: state.kind,
    title,
    running: isImportRunning(state.kind),
    underWay: state.underWay,
    imported: state.imported,
    finishedAt: state.finishedAt?.toISOString() ?? null,
    since: state.since?.toISOString() ?? null,
    lastError: state.lastError,
  });
  return (
    <>
      <PageHeader
        title={TITLE}
        description={`Orders from ${config.shopDomain} arrive by webhook at /api/webhooks/shopify and show beside each customer's tickets.`}
      />
      <div className="space-y-6">
        {status.problems.length ? (
          <Alert tone="error">
            <p className="font-medium">
              {status.shop.ok
                ? "The store answers, but not everything works:"
                : "The store cannot be read:"}
            </p>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {status.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          <Alert tone="success">
            The store answers and every scope is granted.
          </Alert>
        )}
        <Card className="p-5">
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_minmax(0,1fr)]">
            <dt className="text-slate-600">Store</dt>
            <dd className="[overflow-wrap:anywhere] text-slate-900">
              {status.shop.ok
                ? `${status.shop.info.name} (${status.shop.info.domain}), prices in ${status.shop.info.currencyCode}`
                : config.shopDomain}
            </dd>
            <dt className="text-slate-600">Granted scopes</dt>
            <dd className="[overflow-wrap:anywhere] text-slate-900">
              {status.shop.ok
                ? status.shop.info.grantedScopes.join(", ") || "none"
                : "unknown"}
            </dd>
            <dt className="text-slate-600">API version</dt>
            <dd className="text-slate-900">{status.apiVersion}</dd>
            <dt className="text-slate-600">Last webhook received</dt>
            <dd className="text-slate-900">
              {status.lastWebhook
                ? `${status.lastWebhook.topic}, ${formatDateTime(status.lastWebhook.at)}`
                : "none yet"}
            </dd>
            {status.lastRefused ? (
              <>
                <dt className="text-slate-600">Last delivery refused</dt>
                <dd className="text-slate-900">
                  {formatDateTime(status.lastRefused.at)}
                </dd>
              </>
            ) : null}
          </dl>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <ImportPanel
            view={view(orders, "Import orders")}
            action={startShopifyImportAction}
          />
          <ImportPanel
            view={view(products, "Import products")}
            action={startShopifyImportAction}
          />
        </div>
        <p className="text-sm text-slate-600">
          Webhooks keep orders current; an import brings in what came before the
          store was connected, or what a webhook missed. The same imports run
          from the command line:{" "}
          <code>npm run cli -- shopify import-orders</code> and{" "}
          <code>npm run cli -- shopify import-products</code>.
        </p>
      </div>
    </>
  );
}
