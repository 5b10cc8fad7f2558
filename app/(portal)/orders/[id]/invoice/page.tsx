import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { providerLabel } from "@/components/orders/order-status-badge";
import { OrderSummary } from "@/components/orders/order-summary";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatDate } from "@/lib/format";
import { getOrderForCustomer } from "@/lib/orders/queries";
import { orderIdParam } from "@/lib/orders/schemas";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Invoice" };

// A printable document: an invoice once the order is paid (numbered per year), an order
// confirmation before. The site's header and footer hide themselves in print.
export default async function InvoicePage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  const viewer = await requireCustomer(
    `/orders/${encodeURIComponent(rawId)}/invoice`,
  );
  const parsed = orderIdParam.safeParse(rawId);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const order = await getOrderForCustomer(await getDb(), viewer, id);
  if (!order) notFound();
  const { invoiceIssuer } = env().shop;
  const title = order.invoiceNumber
    ? `Invoice ${order.invoiceNumber}`
    : `Order confirmation ${order.number}`;
  return (
    <article className="mx-auto max-w-3xl space-y-8 bg-white p-8 shadow-sm ring-1 ring-slate-200 print:p-0 print:shadow-none print:ring-0">
      <div className="flex items-center justify-between gap-4 print:hidden">
        <Link
          href={`/orders/${order.id}`}
          className="text-sm text-slate-600 hover:text-slate-900"
        >
          ← Back to the order
        </Link>
        <PrintButton />
      </div>
      <header className="flex flex-wrap justify-between gap-6">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
          <p className="mt-1 text-sm text-slate-600">{invoiceIssuer}</p>
        </div>
        <dl className="grid grid-cols-[auto_auto] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Order</dt>
          <dd className="text-slate-900">{order.number}</dd>
          <dt className="text-slate-500">Placed</dt>
          <dd className="text-slate-900">{formatDate(order.placedAt)}</dd>
          {order.invoicedAt ? (
            <>
              <dt className="text-slate-500">Invoice date</dt>
              <dd className="text-slate-900">{formatDate(order.invoicedAt)}</dd>
            </>
          ) : null}
          {order.paidAt ? (
            <>
              <dt className="text-slate-500">Paid</dt>
              <dd className="text-slate-900">
                {formatDate(order.paidAt)} ({providerLabel(order.provider)})
              </dd>
            </>
          ) : null}
        </dl>
      </header>
      <section className="text-sm">
        <h2 className="font-medium text-slate-500">Billed to</h2>
        <p dir="auto" className="mt-1 [overflow-wrap:anywhere] text-slate-900">
          {order.customer?.name || order.email}
        </p>
        <p className="[overflow-wrap:anywhere] text-slate-700">{order.email}</p>
      </section>
      <OrderSummary order={order} items={order.items} />
      {!order.invoiceNumber ? (
        <p className="text-sm text-slate-600">
          This is not an invoice: it is issued once the order is paid.
        </p>
      ) : null}
    </article>
  );
}
