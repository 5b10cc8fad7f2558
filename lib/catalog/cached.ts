import "server-only";
import { unstable_cache } from "next/cache";
import { connection } from "next/server";
import { getDb, getDbHandle } from "@/db/client";
import {
  getCatalogItem,
  listCatalog,
  listCatalogSlugs,
  listCategories,
  searchCatalog,
  type CatalogCard,
  type CatalogCategory,
  type CatalogItem,
} from "@/lib/catalog/queries";

// The public catalogue's reads, kept in Next's data cache under one tag. Every catalogue write
// expires the tag (`updateTag` in an action, `revalidateTag(CATALOG_TAG, "max")` elsewhere), so a
// new price shows on the next request. The cached values are JSON: the query shapes hold no dates.
//
// A cached function may not call connection(), which getDb() does; so each reader calls it first
// (the pages stay dynamic and `next build` opens no database) and the cached part uses the handle.
//
// Only what has a bounded set of keys is cached: the list per category that exists, each active
// product, the categories. A free-text search, or a slug or category nobody sells, would add a
// cache entry for every string a visitor can type; searches go to the database (one page of
// results, two small queries), and unknown slugs and categories are answered without a query.

export const CATALOG_TAG = "catalog";

const handle = async () => (await getDbHandle()).db;

const cachedCatalog = unstable_cache(
  async (category: string): Promise<CatalogCard[]> =>
    listCatalog(await handle(), { category: category || undefined }),
  ["catalog", "list"],
  { tags: [CATALOG_TAG] },
);

const cachedCategories = unstable_cache(
  async (): Promise<CatalogCategory[]> => listCategories(await handle()),
  ["catalog", "categories"],
  { tags: [CATALOG_TAG] },
);

const cachedSlugs = unstable_cache(
  async (): Promise<string[]> => listCatalogSlugs(await handle()),
  ["catalog", "slugs"],
  { tags: [CATALOG_TAG] },
);

const cachedItem = unstable_cache(
  async (slug: string): Promise<CatalogItem | null> =>
    getCatalogItem(await handle(), slug),
  ["catalog", "item"],
  { tags: [CATALOG_TAG] },
);

/** Every active product, in the staff's order. */
export async function listCatalogCached(): Promise<CatalogCard[]> {
  await connection();
  return cachedCatalog("");
}

export async function listCategoriesCached(): Promise<CatalogCategory[]> {
  await connection();
  return cachedCategories();
}

/** One page (from 1) of the catalogue, searched and filtered, and how many products match in all. */
export async function getCatalogPage(
  filter: { q?: string; category?: string; page: number },
  pageSize: number,
): Promise<{ items: CatalogCard[]; total: number }> {
  await connection();
  const offset = (filter.page - 1) * pageSize;
  if (filter.q)
    return searchCatalog(await getDb(), filter, { limit: pageSize, offset });
  if (filter.category) {
    const known = await cachedCategories();
    if (!known.some((c) => c.name === filter.category))
      return { items: [], total: 0 };
  }
  const all = await cachedCatalog(filter.category ?? "");
  return { items: all.slice(offset, offset + pageSize), total: all.length };
}

/** An active product for its public page; null when there is none (or it is archived). */
export async function getCatalogItemCached(
  slug: string,
): Promise<CatalogItem | null> {
  await connection();
  if (!(await cachedSlugs()).includes(slug)) return null;
  return cachedItem(slug);
}
