import type { Metadata } from "next";
import Link from "next/link";
import { ShopifyDetails } from "@/components/orders/shopify-details";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import type { Order, Payment, Refund } from "@/db/schema";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { OrderSummary } from "@/components/orders/order-summary";
import { OrderTimeline } from "@/components/orders/order-timeline";
import { ServiceTable } from "@/components/orders/service-table";
import { Badge } from "@/components/ui/badge";
import { BackLink } from "@/components/ui/back-link";
import { Card } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAgent } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { formatDateTime, formatMoney } from "@/lib/format";
import { refundableAmount } from "@/lib/orders/manage";
import { getOrderForStaff, type OrderDetail } from "@/lib/orders/queries";
import { orderIdParam } from "@/lib/orders/schemas";
import {
  hasBeenPaid,
  isUnpaid,
  ORDER_STATUS_LABELS,
} from "@/lib/orders/status";
import {
  cancelOrderAction,
  markOrderFulfilledAction,
  markOrderPaidAction,
  refundOrderAction,
} from "./actions";
import { OrderActions } from "./order-actions";
import { RefundForm } from "./refund-form";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Order" };

type Tone = "gray" | "green" | "yellow" | "red";

const PAYMENT_STATUS: Record<Payment["status"], [string, Tone]> = {
  pending: ["Pending", "yellow"],
  succeeded: ["Succeeded", "green"],
  failed: ["Failed", "red"],
  refunded: ["Refunded", "gray"],
};

const REFUND_STATUS: Record<Refund["status"], [string, Tone]> = {
  pending: ["Pending", "yellow"],
  requires_action: ["Needs action", "yellow"],
  succeeded: ["Succeeded", "green"],
  failed: ["Failed", "red"],
  canceled: ["Cancelled", "gray"],
};

const sourceLabel = (provider: Order["provider"]): string =>
  provider === "shopify"
    ? "Shopify store"
    : `Shop · ${providerLabel(provider)}`;

export default async function StaffOrderPage({ params }: Props) {
  const { id: rawId } = await params;
  const viewer = await requireAgent(
    `/staff/orders/${encodeURIComponent(rawId)}`,
  );
  const parsed = orderIdParam.safeParse(rawId);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const db = await getDb();
  const order = await getOrderForStaff(db, id);
  if (!order) notFound();
  const refundable = hasBeenPaid(order.status)
    ? await refundableAmount(db, order)
    : 0;
  const money = (amount: number) => formatMoney(amount, order.currency);

  return (
    <>
      <BackLink href="/staff/orders">Orders</BackLink>
      <div className="mb-6 space-y-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-slate-900">
            Order {order.number}
          </h1>
          <OrderStatusBadge status={order.status} />
        </div>
        <p className="text-sm text-slate-600">
          Placed {formatDateTime(order.placedAt)} ·{" "}
          {sourceLabel(order.provider)}
          {order.invoiceNumber ? ` · Invoice ${order.invoiceNumber}` : ""}
        </p>
        <p className="text-sm [overflow-wrap:anywhere] text-slate-600">
          {order.customer ? (
            <Link
              href={`/staff/customers/${order.customer.id}`}
              dir="auto"
              className="font-medium text-indigo-600 hover:text-indigo-500"
            >
              {order.customer.name.trim() || order.customer.email}
            </Link>
          ) : (
            <span>No customer account</span>
          )}{" "}
          ·{" "}
          <a
            href={`mailto:${order.email}`}
            className="text-indigo-600 hover:text-indigo-500"
          >
            {order.email}
          </a>
        </p>
      </div>

      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Section title="Items">
            {order.shopify ? <ShopifyDetails details={order.shopify} /> : null}
            <OrderSummary order={order} items={order.items} />
          </Section>
          <Section title="Payments and refunds">
            <MoneyHistory order={order} />
          </Section>
          {order.services.length ? (
            <Section title="Services">
              <ServiceTable
                services={order.services.map((s) => ({
                  ...s,
                  orderNumber: order.number,
                }))}
                orderHref={(orderId) => `/staff/orders/${orderId}`}
              />
            </Section>
          ) : null}
          <Section title="Timeline">
            <Card className="p-5">
              {order.events.length ? (
                <OrderTimeline entries={order.events} showActors />
              ) : (
                <p className="text-sm text-slate-500">
                  Placed {formatDateTime(order.placedAt)}. No changes recorded
                  since.
                </p>
              )}
            </Card>
          </Section>
        </div>

        <aside className="space-y-4" aria-label="Order actions">
          <Card className="p-4">
            <h2 className="mb-3 text-sm font-semibold text-slate-900">
              Actions
            </h2>
            <OrderActions
              orderId={order.id}
              number={order.number}
              total={money(order.totalAmount)}
              statusLabel={ORDER_STATUS_LABELS[order.status]}
              canMarkPaid={isUnpaid(order.status)}
              canMarkFulfilled={order.status === "paid"}
              canCancel={isUnpaid(order.status) || order.status === "expired"}
              markPaidAction={markOrderPaidAction}
              markFulfilledAction={markOrderFulfilledAction}
              cancelAction={cancelOrderAction}
            />
          </Card>
          {hasBeenPaid(order.status) ? (
            <Card className="p-4">
              <h2 className="mb-3 text-sm font-semibold text-slate-900">
                Refund
              </h2>
              <RefundPanel
                order={order}
                refundable={refundable}
                isAdmin={isAdmin(viewer)}
              />
            </Card>
          ) : null}
        </aside>
      </div>
    </>
  );
}

function RefundPanel({
  order,
  refundable,
  isAdmin,
}: {
  order: OrderDetail;
  refundable: number;
  isAdmin: boolean;
}) {
  const left = formatMoney(refundable, order.currency);
  if (order.provider === "shopify")
    return (
      <p className="text-sm text-slate-600">
        This order came from the Shopify store: refund it in Shopify.
      </p>
    );
  if (refundable === 0 && !isAdmin)
    return <p className="text-sm text-slate-600">Nothing is left to refund.</p>;
  if (!isAdmin)
    return (
      <p className="text-sm text-slate-600">
        Refundable: {left}. Only administrators can refund; ask one if the
        customer should get money back.
      </p>
    );
  if (order.provider === "stripe" && (!env().stripe || !order.paymentIntentId))
    return (
      <p className="text-sm text-slate-600">
        Refundable: {left}. This card payment cannot be refunded from here:
        refund it in Stripe&apos;s dashboard.
      </p>
    );
  return (
    <RefundForm
      action={refundOrderAction}
      orderId={order.id}
      number={order.number}
      currency={order.currency}
      refundable={refundable}
      how={
        order.provider === "manual"
          ? "Send the money back by bank transfer yourself: this records the refund and tells the customer."
          : "Stripe sends the money back to the customer's card."
      }
    />
  );
}

type MoneyRow = {
  key: string;
  at: Date;
  kind: "Payment" | "Refund";
  provider: Order["provider"];
  externalId: string | null;
  amount: number;
  currency: string;
  status: [string, Tone];
  reason: string | null;
};

/** Payments and refunds in one list, oldest first. */
function MoneyHistory({ order }: { order: OrderDetail }) {
  const rows: MoneyRow[] = [
    ...order.payments.map((p) => ({
      key: `p${p.id}`,
      at: p.createdAt,
      kind: "Payment" as const,
      provider: p.provider,
      externalId: p.externalId,
      amount: p.amount,
      currency: p.currency,
      status: PAYMENT_STATUS[p.status],
      reason: null,
    })),
    ...order.refunds.map((r) => ({
      key: `r${r.id}`,
      at: r.createdAt,
      kind: "Refund" as const,
      provider: r.provider,
      externalId: r.externalId,
      amount: r.amount,
      currency: r.currency,
      status: REFUND_STATUS[r.status],
      reason: r.reason,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (!rows.length)
    return <p className="text-sm text-slate-500">No payments yet.</p>;
  return (
    <Table
      columns={[
        "Date",
        "Kind",
        "Provider",
        "Reference",
        { label: "Amount", align: "right" },
        "Status",
      ]}
    >
      {rows.map((row) => (
        <tr key={row.key}>
          <Td className="text-xs whitespace-nowrap text-slate-600">
            {formatDateTime(row.at)}
          </Td>
          <Td className="max-w-xs">
            <span className="text-slate-900">{row.kind}</span>
            {row.reason ? (
              <span
                dir="auto"
                className="block text-xs [overflow-wrap:anywhere] text-slate-500"
              >
                {row.reason}
              </span>
            ) : null}
          </Td>
          <Td className="whitespace-nowrap text-slate-600">
            {providerLabel(row.provider)}
          </Td>
          <Td>
            {row.externalId ? (
              <span
                title={row.externalId}
                className="block max-w-[12rem] truncate font-mono text-xs text-slate-700"
              >
                {row.externalId}
              </span>
            ) : (
              <span className="text-slate-500">—</span>
            )}
          </Td>
          <Td align="right" className="font-medium whitespace-nowrap">
            {row.kind === "Refund" ? "− " : ""}
            {formatMoney(row.amount, row.currency)}
          </Td>
          <Td>
            <Badge tone={row.status[1]}>{row.status[0]}</Badge>
          </Td>
        </tr>
      ))}
    </Table>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `order-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="mb-3 text-sm font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}
