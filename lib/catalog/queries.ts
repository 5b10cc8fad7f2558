import "server-only";
import {
  and,
  asc,
  count,
  desc,
  eq,
  ilike,
  inArray,
  ne,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import {
  prices,
  productImages,
  products,
  type Price,
  type Product,
  type ProductImage,
} from "@/db/schema";
import type { Db } from "@/db/types";

// The public catalogue's shapes hold only JSON-safe fields (no dates), so a cached copy reads back
// exactly as it was stored.

export type CatalogPrice = Pick<
  Price,
  "id" | "currency" | "unitAmount" | "type" | "interval" | "intervalCount"
>;

/** A product as the catalogue lists it; its active prices come cheapest first. */
export type CatalogCard = Pick<
  Product,
  | "id"
  | "slug"
  | "name"
  | "summary"
  | "kind"
  | "category"
  | "isAvailable"
  | "imageId"
> & { prices: CatalogPrice[] };

export type CatalogItem = CatalogCard & Pick<Product, "description">;

export type CatalogFilter = { q?: string; category?: string };

export type CatalogCategory = { name: string; count: number };

const cardColumns = {
  id: true,
  slug: true,
  name: true,
  summary: true,
  kind: true,
  category: true,
  isAvailable: true,
  imageId: true,
} as const;

const priceColumns = {
  id: true,
  currency: true,
  unitAmount: true,
  type: true,
  interval: true,
  intervalCount: true,
} as const;

const pickPriceColumns = {
  id: prices.id,
  currency: prices.currency,
  unitAmount: prices.unitAmount,
  type: prices.type,
  interval: prices.interval,
  intervalCount: prices.intervalCount,
};

// Search terms beyond this many add nothing but work.
const MAX_TERMS = 8;
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, "\\$&")}%`;

/** Every word must appear, in any order, in the name, summary, description or category. */
function matchesSearch(q: string): SQL | undefined {
  const terms = q.split(/\s+/).filter(Boolean).slice(0, MAX_TERMS);
  return and(
    ...terms.map((term) => {
      const p = likePattern(term);
      return or(
        ilike(products.name, p),
        ilike(products.summary, p),
        ilike(products.description, p),
        ilike(products.category, p),
      );
    }),
  );
}

function catalogWhere(filter: CatalogFilter): SQL | undefined {
  return and(
    eq(products.isActive, true),
    filter.category ? eq(products.category, filter.category) : undefined,
    filter.q ? matchesSearch(filter.q) : undefined,
  );
}

const catalogOrder = [
  asc(products.sortOrder),
  asc(products.name),
  asc(products.id),
];

/** Active products (archived ones are gone), in the staff's order; one query, prices included. */
export async function listCatalog(
  db: Db,
  filter: CatalogFilter = {},
): Promise<CatalogCard[]> {
  return db.query.products.findMany({
    columns: cardColumns,
    where: catalogWhere(filter),
    orderBy: catalogOrder,
    with: {
      prices: {
        columns: priceColumns,
        where: eq(prices.isActive, true),
        orderBy: [asc(prices.unitAmount), asc(prices.createdAt)],
      },
    },
  });
}

/**
 * One page of `listCatalog`, and how many products match in all. Two queries whatever the page
 * size: the page with its count, then the prices of just those products.
 */
export async function searchCatalog(
  db: Db,
  filter: CatalogFilter,
  page: { limit: number; offset: number },
): Promise<{ items: CatalogCard[]; total: number }> {
  const where = catalogWhere(filter);
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      summary: products.summary,
      kind: products.kind,
      category: products.category,
      isAvailable: products.isAvailable,
      imageId: products.imageId,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(products)
    .where(where)
    .orderBy(...catalogOrder)
    .limit(page.limit)
    .offset(page.offset);
  if (rows.length === 0)
    return {
      items: [],
      total: page.offset > 0 ? await db.$count(products, where) : 0,
    };
  const priceRows = await db
    .select({ productId: prices.productId, price: pickPriceColumns })
    .from(prices)
    .where(
      and(
        inArray(
          prices.productId,
          rows.map((r) => r.id),
        ),
        eq(prices.isActive, true),
      ),
    )
    .orderBy(asc(prices.unitAmount), asc(prices.createdAt));
  const pricesOf = new Map<string, CatalogPrice[]>();
  for (const { productId, price } of priceRows)
    pricesOf.set(productId, [...(pricesOf.get(productId) ?? []), price]);
  const items = rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    summary: r.summary,
    kind: r.kind,
    category: r.category,
    isAvailable: r.isAvailable,
    imageId: r.imageId,
    prices: pricesOf.get(r.id) ?? [],
  }));
  return { items, total: rows[0]!.total };
}

/** The slugs of every active product: what a product page may be asked for. */
export async function listCatalogSlugs(db: Db): Promise<string[]> {
  const rows = await db
    .select({ slug: products.slug })
    .from(products)
    .where(eq(products.isActive, true));
  return rows.map((r) => r.slug);
}

/** An active product by its slug; null when there is none or it is archived. */
export async function getCatalogItem(
  db: Db,
  slug: string,
): Promise<CatalogItem | null> {
  const item = await db.query.products.findFirst({
    columns: { ...cardColumns, description: true },
    where: and(eq(products.slug, slug), eq(products.isActive, true)),
    with: {
      prices: {
        columns: priceColumns,
        where: eq(prices.isActive, true),
        orderBy: [asc(prices.unitAmount), asc(prices.createdAt)],
      },
    },
  });
  return item ?? null;
}

/** The categories active products are in, alphabetically, each with how many products it holds. */
export async function listCategories(db: Db): Promise<CatalogCategory[]> {
  return db
    .select({ name: products.category, count: count() })
    .from(products)
    .where(and(eq(products.isActive, true), ne(products.category, "")))
    .groupBy(products.category)
    .orderBy(asc(products.category));
}

export type StaffProduct = Product & { prices: Price[] };

/** Every product, archived ones last, each with its active prices. */
export async function listProductsForStaff(db: Db): Promise<StaffProduct[]> {
  return db.query.products.findMany({
    orderBy: [
      desc(products.isActive),
      asc(products.sortOrder),
      asc(products.name),
    ],
    with: {
      prices: {
        where: eq(prices.isActive, true),
        orderBy: [asc(prices.unitAmount), asc(prices.createdAt)],
      },
    },
  });
}

export type StaffProductDetail = StaffProduct & {
  image: Pick<
    ProductImage,
    "id" | "filename" | "contentType" | "sizeBytes"
  > | null;
};

/** A product, archived or not, with its active prices and its image's details (not its bytes). */
export async function getProductForStaff(
  db: Db,
  id: string,
): Promise<StaffProductDetail | null> {
  const product = await db.query.products.findFirst({
    where: eq(products.id, id),
    with: {
      prices: {
        where: eq(prices.isActive, true),
        orderBy: [asc(prices.unitAmount), asc(prices.createdAt)],
      },
      image: {
        columns: {
          id: true,
          filename: true,
          contentType: true,
          sizeBytes: true,
        },
      },
    },
  });
  return product ?? null;
}

/** A stored product image with its bytes; null for an unknown id. */
export async function getProductImage(
  db: Db,
  id: string,
): Promise<ProductImage | null> {
  const [image] = await db
    .select()
    .from(productImages)
    .where(eq(productImages.id, id));
  return image ?? null;
}
