import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { OrderTable } from "@/components/orders/order-table";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
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
        <OrderTable orders={orders} href={(order) => `/orders/${order.id}`} />
      )}
    </>
  );
}
