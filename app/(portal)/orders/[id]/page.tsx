import type { Metadata } from "next";
import Link from "next/link";
import { ShopifyDetails } from "@/components/orders/shopify-details";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { OrderSummary } from "@/components/orders/order-summary";
import { OrderTimeline } from "@/components/orders/order-timeline";
import { ServiceStatusBadge } from "@/components/orders/service-table";
import { RefreshWhilePending } from "@/components/ui/refresh-while-pending";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatDate, formatMoney } from "@/lib/format";
import { getOrderForCustomer } from "@/lib/orders/queries";
import { orderIdParam } from "@/lib/orders/schemas";
import { isPayableByCard } from "@/lib/orders/status";
import { payOrderAction } from "../actions";
import { PayButton } from "./pay-button";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ placed?: string; paid?: string }>;
}) {
  const { id: rawId } = await params;
  const viewer = await requireCustomer(`/orders/${encodeURIComponent(rawId)}`);
  const parsed = orderIdParam.safeParse(rawId);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const order = await getOrderForCustomer(await getDb(), viewer, id);
  if (!order) notFound();
  const { placed, paid } = await searchParams;
  const money = (n: number) => formatMoney(n, order.currency);
  // Back from Stripe before its webhook: the page follows the order until it arrives.
  const waitingForStripe =
    paid === "1" &&
    (order.status === "pending" || order.status === "processing");
  return (
    <div className="space-y-6">
      <Link
        href="/orders"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All orders
      </Link>
      <div>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
            Order {order.number}
          </h1>
          <OrderStatusBadge status={order.status} />
        </div>
        <p className="mt-1 text-sm text-slate-600">
          Placed {formatDate(order.placedAt)} · {providerLabel(order.provider)}
          {order.invoiceNumber ? ` · Invoice ${order.invoiceNumber}` : ""}
        </p>
      </div>

      {waitingForStripe ? (
        <>
          <RefreshWhilePending />
          <Alert tone="info">
            Thank you! We are waiting for the payment provider to confirm your
            payment. This page updates by itself.
          </Alert>
        </>
      ) : paid === "1" && order.status === "paid" ? (
        <Alert tone="success">
          Payment received. Thank you for your order!
        </Alert>
      ) : null}
      {placed === "1" && order.status === "awaiting_payment" ? (
        <Alert tone="success">
          Order placed. We sent the details to {order.email}.
        </Alert>
      ) : null}

      {order.status === "awaiting_payment" ? (
        <Card className="space-y-2 p-5">
          <h2 className="font-medium text-slate-900">How to pay</h2>
          <p className="text-sm text-slate-700">
            Please transfer{" "}
            <strong className="font-semibold">
              {money(order.totalAmount)}
            </strong>{" "}
            quoting <strong className="font-semibold">{order.number}</strong> as
            the reference. We start as soon as the money arrives, usually within
            one or two business days.
          </p>
          <p className="rounded-md bg-slate-50 p-3 font-mono text-sm [overflow-wrap:anywhere] text-slate-800">
            {env().shop.bankTransferDetails}
          </p>
        </Card>
      ) : null}
      {order.provider === "stripe" &&
      isPayableByCard(order.status) &&
      !waitingForStripe ? (
        <Card className="space-y-3 p-5">
          <p className="text-sm text-slate-700">
            {order.status === "payment_failed"
              ? "The payment did not go through. You can try again, with another card if you like."
              : order.status === "expired"
                ? "The payment page expired before you paid. You can open it again."
                : "This order is waiting for payment."}
          </p>
          <PayButton
            action={payOrderAction}
            orderId={order.id}
            label={`Pay ${money(order.totalAmount)}`}
          />
        </Card>
      ) : null}
      {order.status === "processing" && !waitingForStripe ? (
        <Alert tone="info">
          Your payment is on its way. We confirm the order as soon as it
          arrives.
        </Alert>
      ) : null}

      {order.shopify ? <ShopifyDetails details={order.shopify} /> : null}
      <OrderSummary order={order} items={order.items} />

      {order.services.length > 0 ? (
        <Card className="p-5">
          <h2 className="font-medium text-slate-900">Services</h2>
          <ul className="mt-3 space-y-2 text-sm">
            {order.services.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-2">
                <span dir="auto" className="[overflow-wrap:anywhere]">
                  {s.description}
                </span>
                <ServiceStatusBadge status={s.status} />
                {s.currentPeriodEnd && s.status !== "cancelled" ? (
                  <span className="text-slate-500">
                    {s.cancelAtPeriodEnd ? "ends" : "renews"}{" "}
                    {formatDate(s.currentPeriodEnd)}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <div className="grid gap-6 md:grid-cols-[1fr_16rem]">
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">History</h2>
          <OrderTimeline entries={order.events} />
        </Card>
        <div className="flex flex-col gap-2">
          <ButtonLink href={`/orders/${order.id}/invoice`} variant="secondary">
            {order.invoiceNumber ? "Invoice" : "Order confirmation"}
          </ButtonLink>
          <ButtonLink
            href={`/tickets/new?order=${order.id}`}
            variant="secondary"
          >
            Get help with this order
          </ButtonLink>
        </div>
      </div>
    </div>
  );
}
