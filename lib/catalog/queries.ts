import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { prices, products, type Price, type Product } from "@/db/schema";
import type { Db } from "@/db/types";

export type CatalogItem = Product & { prices: Price[] };

export async function listCatalog(db: Db): Promise<CatalogItem[]> {
  return db.query.products.findMany({
    where: eq(products.isActive, true),
    orderBy: [asc(products.sortOrder), asc(products.name)],
    with: {
      prices: {
        where: eq(prices.isActive, true),
        orderBy: [asc(prices.unitAmount)],
      },
    },
  });
}

export async function getCatalogItem(
  db: Db,
  slug: string,
): Promise<CatalogItem | null> {
  const item = await db.query.products.findFirst({
    where: and(eq(products.slug, slug), eq(products.isActive, true)),
    with: {
      prices: {
        where: eq(prices.isActive, true),
        orderBy: [asc(prices.unitAmount)],
      },
    },
  });
  return item ?? null;
}
