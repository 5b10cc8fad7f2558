import type Stripe from "stripe";
import {
  completeState,
  failAsyncState,
  succeedAsyncState,
} from "@/testing/stripe/checkout-sessions";
import { formatMoney } from "@/testing/stripe/money";
import { idOf } from "@/testing/stripe/objects";
import {
  productName,
  type SessionRecord,
  type Store,
} from "@/testing/stripe/state";
import { cancelAtPeriodEndState } from "@/testing/stripe/subscriptions";

// The pages Stripe hosts for a person: Checkout (pay, pay by bank debit, fail, cancel), the billing
// portal (cancel at the period's end) and an invoice. Plain HTML with forms, so journeys can click them.

export type PageReply =
  { status: number; html: string } | { status: 303; location: string };

export type PageContext = {
  store: Store;
  /** Logs and sends the events a page's action makes. */
  emit: (events: Stripe.Event[]) => Promise<Stripe.Event[]>;
};

/** Answers a browser on the hosted pages; paying or cancelling there changes state and sends events. */
export async function page(
  { store, emit }: PageContext,
  method: string,
  url: URL,
): Promise<PageReply> {
  const path = url.pathname.replace(/\/+$/, "");
  const checkout =
    /^\/checkout\/([^/]+)(?:\/(pay|pay-async|fail|cancel))?$/.exec(path);
  if (checkout) {
    const [, id = "", action] = checkout;
    const record = store.sessions.get(id);
    if (!record) return notFoundPage();
    if (method === "GET" && action === undefined) return checkoutPage(record);
    if (method !== "POST" || action === undefined) return notFoundPage();
    const s = record.session;
    if (action === "cancel")
      return s.status === "open" && s.cancel_url
        ? { status: 303, location: s.cancel_url }
        : checkoutPage(record, 409);
    if (s.status !== "open") return checkoutPage(record, 409);
    if (action === "pay") await emit(completeState(store, id, "paid"));
    if (action === "pay-async") {
      await emit(completeState(store, id, "unpaid"));
      await emit(succeedAsyncState(store, id));
    }
    if (action === "fail") {
      await emit(completeState(store, id, "unpaid"));
      await emit(failAsyncState(store, id));
    }
    return {
      status: 303,
      location: (s.success_url ?? store.baseUrl).replaceAll(
        "{CHECKOUT_SESSION_ID}",
        id,
      ),
    };
  }
  const billing =
    /^\/billing\/([^/]+)(?:\/subscriptions\/([^/]+)\/cancel)?$/.exec(path);
  if (billing) {
    const [, id = "", subscriptionId] = billing;
    const portal = store.portalSessions.get(id);
    if (!portal) return notFoundPage();
    if (method === "GET" && subscriptionId === undefined)
      return billingPage(
        portal,
        [...store.subscriptions.values()].filter(
          (sub) => idOf(sub.customer) === portal.customer,
        ),
        (price) => productName(store, price),
      );
    const subscription = store.subscriptions.get(subscriptionId ?? "");
    if (
      method !== "POST" ||
      !subscription ||
      idOf(subscription.customer) !== portal.customer
    )
      return notFoundPage();
    if (
      subscription.status !== "canceled" &&
      !subscription.cancel_at_period_end
    )
      await emit(cancelAtPeriodEndState(store, subscription));
    return { status: 303, location: `${store.baseUrl}/billing/${id}` };
  }
  const invoice = /^\/invoice\/([^/]+)$/.exec(path);
  if (invoice && method === "GET") {
    const found = store.invoices.get(invoice[1] ?? "");
    return found ? invoicePage(found) : notFoundPage();
  }
  return notFoundPage();
}

function checkoutPage(record: SessionRecord, status = 200): PageReply {
  const s = record.session;
  const currency = s.currency ?? "eur";
  const rows = record.lineItems
    .map((li) => {
      const recurring = li.price?.recurring;
      const every = recurring
        ? ` <small>every ${recurring.interval_count === 1 ? "" : `${recurring.interval_count} `}${recurring.interval}${recurring.interval_count === 1 ? "" : "s"}</small>`
        : "";
      return `<tr><td>${escapeHtml(li.description ?? "")}${every}</td><td>${li.quantity ?? 1}</td><td>${formatMoney(li.amount_subtotal, currency)}</td></tr>`;
    })
    .join("");
  const tax = s.total_details?.amount_tax ?? 0;
  const body =
    s.status === "open"
      ? `${s.customer_email ? `<p>${escapeHtml(s.customer_email)}</p>` : ""}
<form method="post" action="/checkout/${s.id}/pay"><button type="submit">Pay</button></form>
<form method="post" action="/checkout/${s.id}/pay-async"><button type="submit">Pay later (bank debit)</button></form>
<form method="post" action="/checkout/${s.id}/fail"><button type="submit">Fail</button></form>
<form method="post" action="/checkout/${s.id}/cancel"><button type="submit">Cancel</button></form>`
      : `<p role="status">${s.status === "expired" ? "This Checkout Session has expired." : "This Checkout Session is complete."}</p>`;
  return {
    status,
    html: layout(
      "Checkout",
      `<h1>Checkout</h1>
<table><thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p>Subtotal: ${formatMoney(s.amount_subtotal ?? 0, currency)}</p>
${s.automatic_tax.enabled ? `<p>Tax: ${formatMoney(tax, currency)}</p>` : ""}
<p><strong>Total: ${formatMoney(s.amount_total ?? 0, currency)}</strong></p>
${body}`,
    ),
  };
}

function billingPage(
  portal: Stripe.BillingPortal.Session,
  subscriptions: Stripe.Subscription[],
  productName: (price: Stripe.Price) => string,
): PageReply {
  const list = subscriptions
    .map((sub) => {
      const end = sub.items.data[0]?.current_period_end ?? 0;
      const names = sub.items.data
        .map((item) => productName(item.price))
        .join(", ");
      const state =
        sub.status === "canceled"
          ? "Canceled"
          : sub.cancel_at_period_end
            ? `Cancels on ${isoDate(end)}`
            : `${sub.status === "active" ? "Renews" : `${sub.status}; next period`} on ${isoDate(end)}`;
      const button =
        sub.status !== "canceled" && !sub.cancel_at_period_end
          ? `<form method="post" action="/billing/${portal.id}/subscriptions/${sub.id}/cancel"><button type="submit">Cancel at period end</button></form>`
          : "";
      return `<li><strong>${escapeHtml(names)}</strong> · ${escapeHtml(state)}${button}</li>`;
    })
    .join("");
  const back = portal.return_url
    ? `<p><a href="${escapeHtml(portal.return_url)}">Back to the site</a></p>`
    : "";
  return {
    status: 200,
    html: layout(
      "Billing",
      `<h1>Billing</h1><ul>${list || "<li>No subscriptions.</li>"}</ul>${back}`,
    ),
  };
}

function invoicePage(invoice: Stripe.Invoice): PageReply {
  const rows = invoice.lines.data
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description ?? "")}</td><td>${formatMoney(line.amount, invoice.currency)}</td></tr>`,
    )
    .join("");
  return {
    status: 200,
    html: layout(
      `Invoice ${invoice.number ?? ""}`,
      `<h1>Invoice ${escapeHtml(invoice.number ?? "")}</h1><table><tbody>${rows}</tbody></table>
<p>Total: ${formatMoney(invoice.total, invoice.currency)} · ${escapeHtml(invoice.status ?? "")}</p>`,
    ),
  };
}

const isoDate = (unix: number) =>
  new Date(unix * 1000).toISOString().slice(0, 10);

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Fake Stripe</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.25rem}form{display:inline-block;margin:.25rem}</style>
</head><body>${body}</body></html>`;
}

function notFoundPage(): PageReply {
  return { status: 404, html: layout("Not found", "<h1>Not found</h1>") };
}
