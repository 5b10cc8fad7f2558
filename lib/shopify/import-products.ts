import "server-only";
import { and, eq, isNotNull, like, or } from "drizzle-orm";
import { convert } from "html-to-text";
import { prices, products, type Price, type Product } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { productInput } from "@/lib/catalog/schemas";
import { bumpCatalogVersion } from "@/lib/catalog/version";
import { storableText } from "@/lib/text";
import type { ShopifyGraphql } from "@/lib/shopify/graphql";
import { toMinorUnits } from "@/lib/shopify/orders";
import {
  getShopInfo,
  listProductsUpdatedSince,
  listProductVariants,
  type Page,
  type ShopifyProduct,
  type ShopifyVariant,
} from "@/lib/shopify/queries";
import { runShopifySync, type SyncOptions } from "@/lib/shopify/sync";

// The Shopify catalogue in Portico's products: one product per Shopify product (linked by its gid),
// one one-time price per variant (linked by the variant's gid) in the shop's currency. A re-run
// brings the products up to date and never duplicates one. As everywhere in the catalogue, a price is
// never edited in place: a new amount is a new row, and the old one is deactivated (and unlinked from
// the variant, which only one row may name), so orders keep the price they were placed at. A product
// that is no longer active in Shopify is archived here; one never active is not brought in.
// The address name (slug) comes from the handle once, when the product is created, and then stays,
// so links to the product keep working when the handle changes in Shopify.

export type ImportProductsResult = {
  /** Products this call read from Shopify. */
  imported: number;
  created: number;
  /** Already here, with a change (fields, status or prices). */
  updated: number;
  /** Taken out of the catalogue because Shopify no longer sells them. */
  archived: number;
  /** Drafts and archived products never brought in: nothing to do. */
  skipped: number;
  pricesAdded: number;
  /** Variants whose price changed: the old row deactivated, a new one added. */
  pricesChanged: number;
  /** Variants gone from Shopify: their prices deactivated. */
  pricesRemoved: number;
  done: boolean;
  resumed: boolean;
};

const NAME_MAX = 120;
const SUMMARY_MAX = 200;
const DESCRIPTION_MAX = 10_000;
const CATEGORY_MAX = 40;
const SLUG_MAX = 80;

/**
 * Imports (or resumes importing) the store's products changed since the last finished run (or since
 * `since`). Throws a ShopifyConfigurationError or ShopifyUnavailableError when Shopify refuses or is
 * down, after recording it and keeping the place to resume from.
 */
export async function importShopifyProducts(
  db: Db,
  shopify: ShopifyGraphql,
  options: SyncOptions = {},
): Promise<ImportProductsResult> {
  const now = options.now ?? (() => new Date());
  const counts = {
    created: 0,
    updated: 0,
    archived: 0,
    skipped: 0,
    pricesAdded: 0,
    pricesChanged: 0,
    pricesRemoved: 0,
  };
  let currency: string | null = null;
  const outcome = await runShopifySync<ShopifyProduct>(
    db,
    {
      kind: "products",
      fetchPage: async (input) => {
        currency ??= (await getShopInfo(shopify, { signal: input.signal }))
          .currencyCode;
        const page = await listProductsUpdatedSince(shopify, input);
        return withAllVariants(shopify, page);
      },
      apply: async (product) => {
        if (!currency) throw new Error("the shop's currency is not known");
        const shopCurrency = currency;
        await db.transaction(async (tx) => {
          const changed = await applyProduct(
            tx,
            product,
            shopCurrency,
            now(),
            counts,
          );
          if (changed) await bumpCatalogVersion(tx);
        });
      },
      updatedAt: (product) => product.updatedAt,
    },
    { ...options, now },
  );
  return { ...outcome, ...counts };
}

/** The page with every product's variants, the ones beyond the first page fetched 100 at a time. */
async function withAllVariants(
  shopify: ShopifyGraphql,
  page: Page<ShopifyProduct>,
): Promise<Page<ShopifyProduct>> {
  const items: ShopifyProduct[] = [];
  for (const product of page.items) {
    const variants = [...product.variants];
    let after = product.moreVariants;
    while (after) {
      const more = await listProductVariants(shopify, product.id, after);
      // Deleted since the page was read: the next run sees it gone.
      if (!more) break;
      variants.push(...more.items);
      after = more.nextCursor;
    }
    items.push({ ...product, variants, moreVariants: null });
  }
  return { ...page, items };
}

type Counts = Omit<ImportProductsResult, "imported" | "done" | "resumed">;

/** Brings one product and its prices up to date; whether anything changed. */
async function applyProduct(
  tx: Db,
  p: ShopifyProduct,
  currency: string,
  now: Date,
  counts: Counts,
): Promise<boolean> {
  const [existing] = await tx
    .select()
    .from(products)
    .where(eq(products.shopifyProductId, p.id))
    .for("update");
  const isActive = p.status === "ACTIVE";
  if (!existing && !isActive) {
    counts.skipped++;
    return false;
  }
  const fields = productFields(p, isActive);
  let product: Product;
  let changed = false;
  if (!existing) {
    const [row] = await tx
      .insert(products)
      .values({
        ...fields,
        slug: await freeSlug(tx, p.handle),
        kind: "product",
        shopifyProductId: p.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("product insert returned nothing");
    product = row;
    counts.created++;
    await audit(tx, row.id, "imported", { shopifyProductId: p.id }, now);
    changed = true;
  } else {
    product = existing;
    const changes = Object.fromEntries(
      Object.entries(fields).filter(
        ([key, value]) => existing[key as keyof typeof fields] !== value,
      ),
    );
    if (Object.keys(changes).length > 0) {
      await tx
        .update(products)
        .set({ ...changes, updatedAt: now })
        .where(eq(products.id, existing.id));
      if (existing.isActive && !isActive) counts.archived++;
      await audit(
        tx,
        existing.id,
        "synced",
        { shopifyProductId: p.id, fields: Object.keys(changes) },
        now,
      );
      changed = true;
    }
  }
  const pricesChanged = await syncPrices(
    tx,
    product.id,
    p.variants,
    currency,
    now,
    counts,
  );
  if (existing && (changed || pricesChanged)) counts.updated++;
  return changed || pricesChanged;
}

function productFields(p: ShopifyProduct, isActive: boolean) {
  const description = plainText(p.descriptionHtml).slice(0, DESCRIPTION_MAX);
  return {
    name: clip(oneLine(p.title) || p.handle, NAME_MAX),
    summary: clip(oneLine(description.split("\n\n")[0] ?? ""), SUMMARY_MAX),
    description,
    category: clip(oneLine(p.productType), CATEGORY_MAX),
    isActive,
  };
}

/** Readable plain text of Shopify's description HTML: no markup, scripts, styles or images. */
export function plainText(html: string): string {
  return storableText(
    convert(html, {
      wordwrap: false,
      selectors: [
        { selector: "a", options: { ignoreHref: true } },
        { selector: "img", format: "skip" },
        { selector: "script", format: "skip" },
        { selector: "style", format: "skip" },
        { selector: "iframe", format: "skip" },
      ],
    }),
  )
    .replace(/\r\n?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const oneLine = (s: string) => storableText(s).replace(/\s+/g, " ").trim();

/** At most `max` characters, cut at a word when one ends near the end, with an ellipsis. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The handle as a catalogue address name (the catalogue's rules), with -2, -3… when taken. */
async function freeSlug(tx: Db, handle: string): Promise<string> {
  const slugify = (s: string, max: number) =>
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .slice(0, max)
      .replace(/^-+|-+$/g, "");
  let base = slugify(handle, SLUG_MAX) || "product";
  if (!productInput.shape.slug.safeParse(base).success)
    base = `${slugify(handle, SLUG_MAX - 5) || "product"}-shop`;
  const taken = new Set(
    (
      await tx
        .select({ slug: products.slug })
        .from(products)
        .where(or(eq(products.slug, base), like(products.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : `-${n}`;
    const candidate =
      n === 1
        ? base
        : `${base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** One active one-time price per variant, at the variant's price; whether anything changed. */
async function syncPrices(
  tx: Db,
  productId: string,
  variants: ShopifyVariant[],
  currency: string,
  now: Date,
  counts: Counts,
): Promise<boolean> {
  const linked = await tx
    .select()
    .from(prices)
    .where(
      and(eq(prices.productId, productId), isNotNull(prices.shopifyVariantId)),
    )
    .for("update");
  const byVariant = new Map<string, Price>(
    linked.map((row) => [row.shopifyVariantId ?? "", row]),
  );
  let changed = false;
  const add = async (variantId: string, unitAmount: number) => {
    await tx.insert(prices).values({
      productId,
      currency,
      unitAmount,
      type: "one_time",
      shopifyVariantId: variantId,
      createdAt: now,
    });
  };
  for (const v of variants) {
    const unitAmount = Math.max(0, toMinorUnits(v.price));
    const row = byVariant.get(v.id);
    byVariant.delete(v.id);
    if (!row) {
      await add(v.id, unitAmount);
      counts.pricesAdded++;
      changed = true;
    } else if (row.unitAmount !== unitAmount || row.currency !== currency) {
      // Only one row may name the variant: the old one stays as history, unlinked.
      await tx
        .update(prices)
        .set({ isActive: false, shopifyVariantId: null })
        .where(eq(prices.id, row.id));
      await add(v.id, unitAmount);
      counts.pricesChanged++;
      await audit(
        tx,
        productId,
        "price_changed",
        {
          fromPriceId: row.id,
          shopifyVariantId: v.id,
          unitAmount: { from: row.unitAmount, to: unitAmount },
          currency,
        },
        now,
      );
      changed = true;
    } else if (!row.isActive) {
      // A variant back in Shopify at the price it had.
      await tx
        .update(prices)
        .set({ isActive: true })
        .where(eq(prices.id, row.id));
      counts.pricesAdded++;
      changed = true;
    }
  }
  // Variants deleted in Shopify.
  for (const row of byVariant.values())
    if (row.isActive) {
      await tx
        .update(prices)
        .set({ isActive: false })
        .where(eq(prices.id, row.id));
      counts.pricesRemoved++;
      changed = true;
    }
  return changed;
}

function audit(
  tx: Db,
  productId: string,
  action: string,
  data: Record<string, unknown>,
  now: Date,
) {
  return recordAudit(tx, {
    actor: { kind: "system" },
    action: `product.${action}`,
    entityType: "product",
    entityId: productId,
    data: { ...data, source: "shopify" },
    at: now,
  });
}
