import {
  fulfilmentWords,
  paymentWords,
} from "@/components/orders/shopify-details";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import { formatDate, formatMoney } from "@/lib/format";
import { liveShopifyOrders } from "@/lib/shopify/live";
import { toMinorUnits } from "@/lib/shopify/orders";
import { shopifyFromEnv } from "@/lib/shopify/from-env";
import { linkShopifyOrderAction } from "./actions";

// The customer's orders in the Shopify store, read live: a server component streamed in after the
// rest of the page, so a slow or refusing store never holds up or breaks the workspace.

export async function ShopifyOrders({
  number,
  email,
  linkedGid,
}: {
  number: string;
  email: string;
  /** The Shopify order already linked to this ticket, if any. */
  linkedGid: string | null;
}) {
  const live = await liveShopifyOrders(shopifyFromEnv(), email);
  if (live.kind === "off") return null;
  return (
    <section aria-label="Shopify orders">
      <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Shopify store
      </h3>
      {live.kind === "problem" ? (
        <div className="mt-2">
          <Alert tone={live.configuration ? "error" : "info"}>
            Shopify orders cannot be shown right now. {live.message}
          </Alert>
        </div>
      ) : live.orders.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">
          No Shopify orders for this address.
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 text-sm">
          {live.orders.map((o) => (
            <li key={o.id} className="space-y-1 py-2">
              <div className="flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="text-slate-900">
                    {o.name}
                    {o.id === linkedGid ? (
                      <span className="ml-1 text-xs text-indigo-600">
                        (this ticket)
                      </span>
                    ) : null}
                  </p>
                  <p className="text-xs text-slate-500">
                    {formatDate(o.createdAt)} ·{" "}
                    {[
                      paymentWords(o.financialStatus),
                      fulfilmentWords(o.fulfillmentStatus),
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                    {o.cancelledAt ? " · Cancelled" : ""}
                  </p>
                </div>
                <p className="shrink-0 font-medium">
                  {formatMoney(
                    toMinorUnits(o.totalPrice.amount),
                    o.totalPrice.currencyCode,
                  )}
                </p>
              </div>
              {o.id === linkedGid ? null : (
                <ActionButton
                  action={linkShopifyOrderAction}
                  fields={{ number, gid: o.id }}
                  variant="ghost"
                  pendingLabel="Linking…"
                >
                  Link to this ticket
                </ActionButton>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
