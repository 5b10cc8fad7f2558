import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prices, products } from "@/db/schema";
import { shopifyConfigFor } from "@/testing/shopify/connect";
import { catalogVersion } from "@/lib/catalog/version";
import { createShopifyClient } from "@/lib/shopify/client";
import {
  createShopifyGraphql,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import {
  importShopifyProducts,
  plainText,
} from "@/lib/shopify/import-products";
import { shopifySyncState } from "@/lib/shopify/sync";
import { createTestDb, type TestDb } from "@/testing/db";
import { startFakeShopify, type FakeShopify } from "@/testing/shopify/fake";

// The Shopify catalogue into Portico's products, against the fake Admin API.

let t: TestDb;
let fake: FakeShopify;
let shopify: ShopifyGraphql;
let clock: Date;

beforeEach(async () => {
  t = await createTestDb();
  clock = new Date("2026-03-01T00:00:00Z");
  fake = await startFakeShopify({ now: () => clock, currency: "EUR" });
  const config = shopifyConfigFor(fake);
  shopify = createShopifyGraphql(createShopifyClient(config), {
    sleep: async (ms) => {
      clock = new Date(clock.getTime() + ms);
    },
  });
});
afterEach(async () => {
  await fake.close();
  await t.close();
});

const tick = (minutes = 1) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

const allProducts = () =>
  t.db.select().from(products).orderBy(asc(products.slug));
const pricesOf = (productId: string) =>
  t.db
    .select()
    .from(prices)
    .where(eq(prices.productId, productId))
    .orderBy(asc(prices.createdAt), asc(prices.unitAmount));

describe("importShopifyProducts", () => {
  it("brings the catalogue in once: products by gid, one price per variant, in the shop's currency", async () => {
    const mug = fake.addProduct({
      title: "Enamel mug",
      handle: "enamel-mug",
      productType: "Kitchen",
      descriptionHtml:
        '<p>A <b>sturdy</b> mug &amp; lid.</p><script>alert("x")</script><p>Second <a href="https://x.test">para</a>.</p>',
      variants: [
        { title: "Blue", price: "12.50" },
        { title: "Red", price: "13.00" },
      ],
    });
    fake.addProduct({
      title: "Tea",
      handle: "tea",
      variants: [{ price: "8.9" }],
    });
    fake.addProduct({ title: "Draft thing", status: "DRAFT" });
    // A handle the catalogue already uses.
    await t.db
      .insert(products)
      .values({ slug: "tea", name: "Our own tea", kind: "service" });
    const before = await catalogVersion(t.db);

    const first = await importShopifyProducts(t.db, shopify, {
      now: () => clock,
    });
    expect(first).toMatchObject({
      imported: 3,
      created: 2,
      skipped: 1,
      pricesAdded: 3,
      done: true,
    });
    expect(await catalogVersion(t.db)).not.toBe(before);

    const rows = await allProducts();
    const imported = rows.find(
      (r) => r.shopifyProductId === `gid://shopify/Product/${mug.legacyId}`,
    )!;
    expect(imported).toMatchObject({
      slug: "enamel-mug",
      name: "Enamel mug",
      kind: "product",
      category: "Kitchen",
      isActive: true,
      summary: "A sturdy mug & lid.",
    });
    expect(imported.description).not.toMatch(/[<>]|alert/);
    expect(imported.description).toContain("Second para.");
    expect(rows.map((r) => r.slug)).toEqual(["enamel-mug", "tea", "tea-2"]);
    expect(
      (await pricesOf(imported.id)).map((p) => [
        p.unitAmount,
        p.currency,
        p.type,
        p.isActive,
      ]),
    ).toEqual([
      [1250, "EUR", "one_time", true],
      [1300, "EUR", "one_time", true],
    ]);

    // Again, with nothing changed in Shopify: nothing new here.
    tick();
    const again = await importShopifyProducts(t.db, shopify, {
      since: new Date(0),
      now: () => clock,
    });
    expect(again).toMatchObject({ created: 0, updated: 0, pricesAdded: 0 });
    expect(await allProducts()).toHaveLength(3);
    expect(await t.db.select().from(prices)).toHaveLength(3);
  });

  it("a changed price makes a new price row and deactivates the old; an archived product is archived", async () => {
    const mug = fake.addProduct({
      title: "Mug",
      variants: [{ price: "12.50" }, { price: "14.00" }],
    });
    const tea = fake.addProduct({
      title: "Tea",
      variants: [{ price: "8.90" }],
    });
    await importShopifyProducts(t.db, shopify, { now: () => clock });
    const [mugRow] = await t.db
      .select()
      .from(products)
      .where(
        eq(products.shopifyProductId, `gid://shopify/Product/${mug.legacyId}`),
      );
    const [oldPrice] = await pricesOf(mugRow!.id);

    tick(5);
    mug.variants[0]!.price = "15.00";
    mug.title = "Big mug";
    mug.updatedAt = clock;
    tea.status = "ARCHIVED";
    tea.updatedAt = clock;
    const next = await importShopifyProducts(t.db, shopify, {
      now: () => clock,
    });
    expect(next).toMatchObject({
      imported: 2,
      updated: 2,
      archived: 1,
      pricesChanged: 1,
      created: 0,
    });

    const mugPrices = await pricesOf(mugRow!.id);
    expect(
      mugPrices.map((p) => [p.unitAmount, p.isActive, !!p.shopifyVariantId]),
    ).toEqual([
      [1250, false, false],
      [1400, true, true],
      [1500, true, true],
    ]);
    expect(mugPrices[0]!.id).toBe(oldPrice!.id);
    const rows = await allProducts();
    expect(rows.map((r) => [r.name, r.isActive])).toEqual([
      ["Big mug", true],
      ["Tea", false],
    ]);
    expect(await shopifySyncState(t.db, "products")).toMatchObject({
      underWay: false,
      since: clock,
    });
  });

  it("pages a product's variants beyond the first twenty", async () => {
    fake.addProduct({
      title: "Poster",
      variants: Array.from({ length: 130 }, (_, i) => ({
        title: `Size ${i}`,
        price: `${10 + i}.00`,
      })),
    });
    const result = await importShopifyProducts(t.db, shopify);
    expect(result.pricesAdded).toBe(130);
    expect(await t.db.select().from(prices)).toHaveLength(130);
  });
  it("records a page it could not store and reads it again next time", async () => {
    const odd = fake.addProduct({ title: "Odd", variants: [{ price: "n/a" }] });
    await expect(importShopifyProducts(t.db, shopify)).rejects.toThrow(
      /money amount/,
    );
    expect(await shopifySyncState(t.db, "products")).toMatchObject({
      underWay: true,
      lastError: expect.stringMatching(/^Storing what Shopify sent failed/),
    });

    odd.variants[0]!.price = "5.00";
    expect(await importShopifyProducts(t.db, shopify)).toMatchObject({
      resumed: true,
      created: 1,
      done: true,
    });
  });
});

describe("plainText", () => {
  it("keeps the words and drops markup, scripts and styles", () => {
    const text = plainText(
      "<style>p{color:red}</style><h2>Care</h2><ul><li>Hand wash</li><li>No &lt;bleach&gt;</li></ul><img src=x onerror=alert(1)><script>steal()</script>",
    );
    expect(text).toMatch(/care/i);
    expect(text).toContain("Hand wash");
    expect(text).toContain("No <bleach>");
    expect(text).not.toMatch(/color|alert|steal|<img|<li/);
  });
});
