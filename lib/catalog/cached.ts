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
import { catalogVersion } from "@/lib/catalog/version";

// The public catalogue's reads, kept in Next's data cache. Each entry is keyed by the catalogue's
// version (lib/catalog/version.ts), read from the database on every request: a write changes it, so
// a new price shows on the next request on every instance, and a cache file left from another
// database is never read. Writes also expire the tag, so old entries are dropped. The cached values
// are JSON: the query shapes hold no dates.
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
  async (_version: number, category: string): Promise<CatalogCard[]> =>
    listCatalog(await handle(), { category: category || undefined }),
  ["catalog", "list"],
  { tags: [CATALOG_TAG] },
);

const cachedCategories = unstable_cache(
  async (_version: number): Promise<CatalogCategory[]> =>
    listCategories(await handle()),
  ["catalog", "categories"],
  { tags: [CATALOG_TAG] },
);

const cachedSlugs = unstable_cache(
  async (_version: number): Promise<string[]> =>
    listCatalogSlugs(await handle()),
  ["catalog", "slugs"],
  { tags: [CATALOG_TAG] },
);

const cachedItem = unstable_cache(
  async (_version: number, slug: string): Promise<CatalogItem | null> =>
    getCatalogItem(await handle(), slug),
  ["catalog", "item"],
  { tags: [CATALOG_TAG] },
);

/** The version the cached reads of this request are keyed by. */
async function version(): Promise<number> {
  await connection();
  return catalogVersion(await getDb());
}

/** Every active product, in the staff's order. */
export async function listCatalogCached(): Promise<CatalogCard[]> {
  return cachedCatalog(await version(), "");
}

export async function listCategoriesCached(): Promise<CatalogCategory[]> {
  return cachedCategories(await version());
}

/** One page (from 1) of the catalogue, searched and filtered, and how many products match in all. */
export async function getCatalogPage(
  filter: { q?: string; category?: string; page: number },
  pageSize: number,
): Promise<{ items: CatalogCard[]; total: number }> {
  const offset = (filter.page - 1) * pageSize;
  if (filter.q) {
    await connection();
    return searchCatalog(await getDb(), filter, { limit: pageSize, offset });
  }
  const v = await version();
  if (filter.category) {
    const known = await cachedCategories(v);
    if (!known.some((c) => c.name === filter.category))
      return { items: [], total: 0 };
  }
  const all = await cachedCatalog(v, filter.category ?? "");
  return { items: all.slice(offset, offset + pageSize), total: all.length };
}

/** An active product for its public page; null when there is none (or it is archived). */
export async function getCatalogItemCached(
  slug: string,
): Promise<CatalogItem | null> {
  const v = await version();
  if (!(await cachedSlugs(v)).includes(slug)) return null;
  return cachedItem(v, slug);
}
