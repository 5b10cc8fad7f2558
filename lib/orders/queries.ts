import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { orders, type Order, type OrderItem, type Payment } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";

export type OrderDetail = Order & { items: OrderItem[]; payments: Payment[] };

/** The viewer's own orders, newest first, from every provider. */
export async function listOrdersForCustomer(
  db: Db,
  viewer: Viewer,
): Promise<Order[]> {
  return db
    .select()
    .from(orders)
    .where(eq(orders.customerId, viewer.id))
    .orderBy(desc(orders.placedAt));
}

/** Null when the order doesn't exist or isn't the viewer's: callers answer 404 either way. */
export async function getOrderForCustomer(
  db: Db,
  viewer: Viewer,
  id: string,
): Promise<OrderDetail | null> {
  if (!isUuid(id)) return null;
  const order = await db.query.orders.findFirst({
    where: and(eq(orders.id, id), eq(orders.customerId, viewer.id)),
    with: { items: true, payments: true },
  });
  return order ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
