import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { OrderStatusBadge, providerLabel } from "@/components/orders/order-status-badge";
import { Card } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { formatDate, formatMoney } from "@/lib/format";
import { getOrderForCustomer } from "@/lib/orders/queries";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireCustomer(`/orders/${encodeURIComponent(id)}`);
  const order = await getOrderForCustomer(await getDb(), viewer, id);
  if (!order) notFound();
  return (
    <>
      <Link href="/orders" className="text-sm text-slate-600 hover:text-slate-900">← All orders</Link>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Order {order.number}</h1>
        <OrderStatusBadge status={order.status} />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Placed {formatDate(order.placedAt)} · {providerLabel(order.provider)}
      </p>
      <Card className="mt-6 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">Item</th>
              <th scope="col" className="px-4 py-3 text-right font-medium">Qty</th>
              <th scope="col" className="px-4 py-3 text-right font-medium">Price</th>
              <th scope="col" className="px-4 py-3 text-right font-medium">Total</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {order.items.map((item) => (
              <tr key={item.id}>
                <td className="px-4 py-3">{item.description}</td>
                <td className="px-4 py-3 text-right">{item.quantity}</td>
                <td className="px-4 py-3 text-right">{formatMoney(item.unitAmount, order.currency)}</td>
                <td className="px-4 py-3 text-right">{formatMoney(item.totalAmount, order.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3} className="px-4 py-3 text-right font-medium">Total</th>
              <td className="px-4 py-3 text-right font-semibold">{formatMoney(order.totalAmount, order.currency)}</td>
            </tr>
          </tfoot>
        </table>
      </Card>
    </>
  );
}
