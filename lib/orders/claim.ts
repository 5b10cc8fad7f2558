import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { orders } from "@/db/schema";
import type { Db } from "@/db/types";

/**
 * Gives a new account the store orders placed with its email before it existed (Shopify orders
 * arrive for whoever buys, customer or not). Returns how many it took.
 */
export async function claimOrdersByEmail(
  db: Db,
  user: { id: string; email: string },
): Promise<number> {
  const claimed = await db
    .update(orders)
    .set({ customerId: user.id })
    .where(
      and(
        eq(orders.provider, "shopify"),
        isNull(orders.customerId),
        sql`lower(${orders.email}) = ${user.email.trim().toLowerCase()}`,
      ),
    )
    .returning({ id: orders.id });
  return claimed.length;
}
