import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireCustomer } from "@/lib/auth/session";
import { formatDate, formatMoney } from "@/lib/format";
import { listOrdersForCustomer } from "@/lib/orders/queries";

export const metadata: Metadata = { title: "Your orders" };

export default async function OrdersPage() {
  const viewer = await requireCustomer("/orders");
  const orders = await listOrdersForCustomer(await getDb(), viewer);
  return (
    <>
      <PageHeader
        title="Your orders"
        description="Everything you ordered here or in our Shopify store."
      />
      {orders.length === 0 ? (
        <EmptyState title="No orders yet">
          <p>When you order a product or service it shows up here.</p>
          <ButtonLink href="/products" className="mt-4" variant="secondary">
            Browse products
          </ButtonLink>
        </EmptyState>
      ) : (
        <Table
          columns={[
            "Order",
            "Placed",
            "Paid with",
            "Status",
            { label: "Total", align: "right" },
          ]}
        >
          {orders.map((order) => (
            <tr key={order.id}>
              <Td>
                <Link
                  href={`/orders/${order.id}`}
                  className="font-medium text-indigo-600 hover:text-indigo-500"
                >
                  {order.number}
                </Link>
              </Td>
              <Td className="text-slate-600">{formatDate(order.placedAt)}</Td>
              <Td className="text-slate-600">
                {providerLabel(order.provider)}
              </Td>
              <Td>
                <OrderStatusBadge status={order.status} />
              </Td>
              <Td align="right" className="font-medium">
                {formatMoney(order.totalAmount, order.currency)}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
