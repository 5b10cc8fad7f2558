import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { OrderStatusBadge, providerLabel } from "@/components/orders/order-status-badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { formatDate, formatMoney } from "@/lib/format";
import { listOrdersForCustomer } from "@/lib/orders/queries";

export const metadata: Metadata = { title: "Your orders" };

export default async function OrdersPage() {
  const viewer = await requireCustomer("/orders");
  const orders = await listOrdersForCustomer(await getDb(), viewer);
  return (
    <>
      <PageHeader title="Your orders" description="Everything you ordered here or in our Shopify store." />
      {orders.length === 0 ? (
        <EmptyState title="No orders yet">
          <p>When you order a product or service it shows up here.</p>
          <ButtonLink href="/products" className="mt-4" variant="secondary">
            Browse products
          </ButtonLink>
        </EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">Order</th>
                <th scope="col" className="px-4 py-3 font-medium">Placed</th>
                <th scope="col" className="px-4 py-3 font-medium">Paid with</th>
                <th scope="col" className="px-4 py-3 font-medium">Status</th>
                <th scope="col" className="px-4 py-3 text-right font-medium">Total</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {orders.map((order) => (
                <tr key={order.id}>
                  <td className="px-4 py-3">
                    <Link href={`/orders/${order.id}`} className="font-medium text-indigo-600 hover:text-indigo-500">
                      {order.number}
                    </Link>
                  </td>
                  <td className="px-4 py-3 text-slate-600">{formatDate(order.placedAt)}</td>
                  <td className="px-4 py-3 text-slate-600">{providerLabel(order.provider)}</td>
                  <td className="px-4 py-3"><OrderStatusBadge status={order.status} /></td>
                  <td className="px-4 py-3 text-right font-medium">{formatMoney(order.totalAmount, order.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
