import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { Table, Td } from "@/components/ui/table";
import { requireCustomer } from "@/lib/auth/session";
import { formatDate, formatMoney } from "@/lib/format";
import { getOrderForCustomer } from "@/lib/orders/queries";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  const viewer = await requireCustomer(`/orders/${encodeURIComponent(id)}`);
  const order = await getOrderForCustomer(await getDb(), viewer, id);
  if (!order) notFound();
  return (
    <>
      <Link
        href="/orders"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All orders
      </Link>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
          Order {order.number}
        </h1>
        <OrderStatusBadge status={order.status} />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Placed {formatDate(order.placedAt)} · {providerLabel(order.provider)}
      </p>
      <div className="mt-6">
        <Table
          columns={[
            "Item",
            { label: "Qty", align: "right" },
            { label: "Price", align: "right" },
            { label: "Total", align: "right" },
          ]}
          footer={
            <tr>
              <th
                scope="row"
                colSpan={3}
                className="px-4 py-3 text-right font-medium"
              >
                Total
              </th>
              <Td align="right" className="font-semibold">
                {formatMoney(order.totalAmount, order.currency)}
              </Td>
            </tr>
          }
        >
          {order.items.map((item) => (
            <tr key={item.id}>
              <Td>{item.description}</Td>
              <Td align="right">{item.quantity}</Td>
              <Td align="right">
                {formatMoney(item.unitAmount, order.currency)}
              </Td>
              <Td align="right">
                {formatMoney(item.totalAmount, order.currency)}
              </Td>
            </tr>
          ))}
        </Table>
      </div>
    </>
  );
}
