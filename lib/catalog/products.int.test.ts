import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderItems, orders, prices, products } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import {
  addPrice,
  archiveProduct,
  changePrice,
  createProduct,
  removePrice,
  restoreProduct,
  setProductImage,
  updateProduct,
} from "@/lib/catalog/products";
import {
  getCatalogItem,
  getProductForStaff,
  getProductImage,
  listCatalog,
  listCatalogSlugs,
  listCategories,
  listProductsForStaff,
  searchCatalog,
} from "@/lib/catalog/queries";
import {
  catalogFilterInput,
  priceInput,
  productInput,
  type PriceInput,
  type ProductInput,
} from "@/lib/catalog/schemas";
import { parseForm } from "@/lib/forms";
import { auditTrail } from "@/testing/audit";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { catalogVersion } from "@/lib/catalog/version";
import { form } from "@/testing/form-data";

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
const now = new Date("2026-03-02T10:00:00Z");
const at = { now };

beforeAll(async () => {
  t = await createTestDb();
  await seedDemoData(t.db);
  admin = await buildUser(t.db, { role: "admin" });
});
afterAll(() => t.close());

const token = () => randomBytes(4).toString("hex");

const product = (over: Partial<ProductInput> = {}): ProductInput => ({
  slug: `test-${token()}`,
  name: `Test product ${token()}`,
  summary: "",
  description: "",
  kind: "service",
  category: "",
  isAvailable: true,
  sortOrder: 0,
  ...over,
});

type RecurringPrice = Extract<PriceInput, { type: "recurring" }>;

const monthly = (productId: string, unitAmount: number): RecurringPrice => ({
  productId,
  unitAmount,
  type: "recurring",
  interval: "month",
  intervalCount: 1,
});

async function created(over: Partial<ProductInput> = {}) {
  const r = await createProduct(t.db, admin.viewer, product(over), at);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function priced(productId: string, p: PriceInput) {
  const r = await addPrice(t.db, admin.viewer, { ...p, currency: "EUR" }, at);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

// The smallest images of each kind a browser would accept.
const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);
const GIF = Uint8Array.from(
  Buffer.from("R0lGODlhAQABAAAAACwAAAAAAQABAAA=", "base64"),
);

describe("catalogue forms", () => {
  it("reads a product form, lower-casing the slug and ticking the checkbox", () => {
    const r = parseForm(
      productInput,
      form({
        slug: " Cloud-Backup-2 ",
        name: " Cloud backup ",
        summary: "Nightly.",
        description: "Line one\r\nLine two",
        kind: "service",
        category: "  Backup   and  storage ",
        isAvailable: "on",
        sortOrder: "",
      }),
    );
    expect(r.ok && r.value).toEqual({
      slug: "cloud-backup-2",
      name: "Cloud backup",
      summary: "Nightly.",
      description: "Line one\nLine two",
      kind: "service",
      category: "Backup and storage",
      isAvailable: true,
      sortOrder: 0,
    });
  });

  it("names each wrong product field", () => {
    const r = parseForm(
      productInput,
      form({ slug: "no spaces!", name: "", kind: "gift", sortOrder: "-1" }),
    );
    expect(!r.ok && Object.keys(r.error.fields ?? {}).sort()).toEqual([
      "kind",
      "name",
      "slug",
      "sortOrder",
    ]);
    const reserved = parseForm(
      productInput,
      form({ slug: "images", name: "Images", kind: "product" }),
    );
    expect(!reserved.ok && reserved.error.fields?.slug).toHaveLength(1);
  });

  it("reads amounts as minor units without floating point", () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const amountOf = (amount: string) => {
      const r = parseForm(
        priceInput,
        form({ productId: id, amount, type: "one_time", interval: "month" }),
      );
      return r.ok ? r.value.unitAmount : r.error.fields?.amount;
    };
    expect(amountOf("12.50")).toBe(1250);
    expect(amountOf("12,5")).toBe(1250);
    expect(amountOf("0.29")).toBe(29);
    expect(amountOf("1999")).toBe(199_900);
    expect(amountOf("1.234")).toEqual([
      "Enter a price such as 12.50, with at most two decimals.",
    ]);
    expect(amountOf("0")).toEqual(["Enter a price above zero."]);
    expect(amountOf("-5")).toHaveLength(1);
    expect(amountOf("")).toHaveLength(1);
  });

  it("keeps a billing period only for recurring prices, and checks it", () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const oneOff = parseForm(
      priceInput,
      form({ productId: id, amount: "99", type: "one_time", interval: "x" }),
    );
    expect(oneOff.ok && oneOff.value).toMatchObject({
      type: "one_time",
      interval: null,
      intervalCount: null,
    });
    const yearly = parseForm(
      priceInput,
      form({
        productId: id,
        amount: "59",
        type: "recurring",
        interval: "year",
        intervalCount: "1",
      }),
    );
    expect(yearly.ok && yearly.value).toMatchObject({
      unitAmount: 5900,
      interval: "year",
      intervalCount: 1,
    });
    const bad = parseForm(
      priceInput,
      form({
        productId: id,
        amount: "5",
        type: "recurring",
        interval: "fortnight",
        intervalCount: "37",
      }),
    );
    expect(!bad.ok && bad.error.fields).toEqual({
      interval: ["Choose monthly or yearly billing."],
      intervalCount: ["Enter a whole number from 1 to 36."],
    });
  });

  it("cleans search parameters instead of failing on them", () => {
    expect(
      catalogFilterInput.parse({
        q: "  web\u0000 hosting\u0007 ",
        category: "x".repeat(500),
        page: "abc",
      }),
    ).toEqual({ q: "web hosting", category: "x".repeat(40), page: 1 });
    expect(catalogFilterInput.parse({ q: ["a", "b"], page: "3" })).toEqual({
      q: undefined,
      category: undefined,
      page: 3,
    });
    expect(catalogFilterInput.parse({ q: "\ud800", category: "" })).toEqual({
      q: undefined,
      category: undefined,
      page: 1,
    });
  });
});

describe("products", () => {
  it("creates, edits and audits a product", async () => {
    const p = await created({ name: "Backup Plus", category: "Security" });
    const r = await updateProduct(
      t.db,
      admin.viewer,
      { ...product(), id: p.id, slug: p.slug, name: "Backup Pro" },
      at,
    );
    expect(r.ok && r.value.name).toBe("Backup Pro");
    const same = await updateProduct(
      t.db,
      admin.viewer,
      { ...product(), id: p.id, slug: p.slug, name: "Backup Pro" },
      at,
    );
    expect(same.ok).toBe(true);
    const trail = await auditTrail(t.db, "product", p.id);
    expect(trail.map((e) => e.action)).toEqual([
      "product.created",
      "product.updated",
    ]);
    expect(trail[1]).toMatchObject({
      actorId: admin.id,
      data: { changes: { name: { from: "Backup Plus", to: "Backup Pro" } } },
    });
  });

  it("refuses a taken slug as a conflict on the slug field", async () => {
    const taken = await createProduct(
      t.db,
      admin.viewer,
      product({ slug: "starter-hosting" }),
      at,
    );
    expect(!taken.ok && taken.error).toMatchObject({
      code: "conflict",
      fields: { slug: ["Another product already uses this address name."] },
    });
    const p = await created();
    const renamed = await updateProduct(
      t.db,
      admin.viewer,
      { ...product({ slug: "business-hosting" }), id: p.id },
      at,
    );
    expect(!renamed.ok && renamed.error.fields).toHaveProperty("slug");
  });

  it("refuses agents and customers, and writes nothing for them", async () => {
    const p = await created();
    const price = await priced(p.id, monthly(p.id, 500));
    for (const role of ["agent", "customer"] as const) {
      const who = (await buildUser(t.db, { role })).viewer;
      const results = [
        await createProduct(t.db, who, product(), at),
        await updateProduct(t.db, who, { ...product(), id: p.id }, at),
        await archiveProduct(t.db, who, { id: p.id }, at),
        await restoreProduct(t.db, who, { id: p.id }, at),
        await addPrice(t.db, who, { ...monthly(p.id, 1), currency: "EUR" }, at),
        await changePrice(t.db, who, { priceId: price.id, amount: 1 }, at),
        await removePrice(t.db, who, { priceId: price.id }, at),
        await setProductImage(
          t.db,
          who,
          {
            productId: p.id,
            file: { name: "a.png", type: "image/png", data: PNG },
          },
          at,
        ),
      ];
      expect(results.map((r) => !r.ok && r.error.code)).toEqual(
        results.map(() => "forbidden"),
      );
    }
    expect(await getProductForStaff(t.db, p.id)).toMatchObject({
      isActive: true,
      imageId: null,
      prices: [{ id: price.id, unitAmount: 500 }],
    });
    expect(
      (await auditTrail(t.db, "product", p.id)).map((e) => e.action),
    ).toEqual(["product.created", "product.price_added"]);
  });

  it("answers not_found for a product or price that does not exist", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const r = [
      await archiveProduct(t.db, admin.viewer, { id: missing }, at),
      await addPrice(
        t.db,
        admin.viewer,
        { ...monthly(missing, 100), currency: "EUR" },
        at,
      ),
      await changePrice(
        t.db,
        admin.viewer,
        { priceId: missing, amount: 1 },
        at,
      ),
      await removePrice(t.db, admin.viewer, { priceId: missing }, at),
    ];
    expect(r.map((x) => !x.ok && x.error.code)).toEqual(
      r.map(() => "not_found"),
    );
  });
});

describe("prices", () => {
  it("changes a price as a new row, and an order keeps the price it was bought at", async () => {
    const p = await created({ kind: "service" });
    const old = await priced(p.id, monthly(p.id, 590));
    const [order] = await t.db
      .insert(orders)
      .values({
        number: `PO-T${token()}`,
        email: "buyer@example.com",
        currency: "EUR",
        totalAmount: 590,
        provider: "manual",
      })
      .returning();
    await t.db.insert(orderItems).values({
      orderId: order!.id,
      productId: p.id,
      priceId: old.id,
      description: p.name,
      quantity: 1,
      unitAmount: 590,
      totalAmount: 590,
    });

    const r = await changePrice(
      t.db,
      admin.viewer,
      { priceId: old.id, amount: 690 },
      at,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      productId: p.id,
      unitAmount: 690,
      currency: "EUR",
      type: "recurring",
      interval: "month",
      intervalCount: 1,
      isActive: true,
    });
    expect(r.value.id).not.toBe(old.id);

    const [item] = await t.db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, order!.id));
    expect(item).toMatchObject({ priceId: old.id, unitAmount: 590 });
    const [oldRow] = await t.db
      .select()
      .from(prices)
      .where(eq(prices.id, old.id));
    expect(oldRow).toMatchObject({ unitAmount: 590, isActive: false });

    expect((await getCatalogItem(t.db, p.slug))?.prices).toEqual([
      expect.objectContaining({ id: r.value.id, unitAmount: 690 }),
    ]);
    const [entry] = (await auditTrail(t.db, "product", p.id)).filter(
      (e) => e.action === "product.price_changed",
    );
    expect(entry?.data).toMatchObject({
      fromPriceId: old.id,
      toPriceId: r.value.id,
      unitAmount: { from: 590, to: 690 },
    });

    const again = await changePrice(
      t.db,
      admin.viewer,
      { priceId: old.id, amount: 700 },
      at,
    );
    expect(!again.ok && again.error.code).toBe("not_found");
  });

  it("offers several billing periods, cheapest first, but one price per period", async () => {
    const p = await created();
    await priced(p.id, monthly(p.id, 1490));
    const yearly = await priced(p.id, {
      ...monthly(p.id, 14_900),
      interval: "year",
    });
    const oneOff = await priced(p.id, {
      productId: p.id,
      unitAmount: 9900,
      type: "one_time",
      interval: null,
      intervalCount: null,
    });
    expect(
      (await getCatalogItem(t.db, p.slug))?.prices.map((x) => x.unitAmount),
    ).toEqual([1490, 9900, 14_900]);

    const twice = await addPrice(
      t.db,
      admin.viewer,
      { ...monthly(p.id, 1200), currency: "EUR" },
      at,
    );
    expect(!twice.ok && twice.error).toMatchObject({
      code: "conflict",
      fields: { interval: [expect.stringContaining("already has a price")] },
    });
    const quarterly = await addPrice(
      t.db,
      admin.viewer,
      { ...monthly(p.id, 4200), intervalCount: 3, currency: "EUR" },
      at,
    );
    expect(quarterly.ok).toBe(true);

    const removed = await removePrice(
      t.db,
      admin.viewer,
      { priceId: yearly.id },
      at,
    );
    expect(removed.ok && removed.value.isActive).toBe(false);
    await removePrice(t.db, admin.viewer, { priceId: oneOff.id }, at);
    expect(
      (await getCatalogItem(t.db, p.slug))?.prices.map((x) => x.unitAmount),
    ).toEqual([1490, 4200]);
    // A removed period can be offered again.
    expect(
      (await priced(p.id, { ...monthly(p.id, 15_900), interval: "year" }))
        .isActive,
    ).toBe(true);
  });
});

describe("the public catalogue", () => {
  it("hides an archived product until it is restored; staff still see it", async () => {
    const category = `Archive ${token()}`;
    const p = await created({ category });
    await priced(p.id, monthly(p.id, 100));
    expect(await listCatalogSlugs(t.db)).toContain(p.slug);
    const archived = await archiveProduct(t.db, admin.viewer, { id: p.id }, at);
    expect(archived.ok && archived.value.isActive).toBe(false);
    expect(await listCatalogSlugs(t.db)).not.toContain(p.slug);
    expect((await listCatalog(t.db)).map((x) => x.id)).not.toContain(p.id);
    expect(await getCatalogItem(t.db, p.slug)).toBeNull();
    expect((await listCategories(t.db)).map((c) => c.name)).not.toContain(
      category,
    );
    expect(
      (await listProductsForStaff(t.db)).find((x) => x.id === p.id),
    ).toMatchObject({ isActive: false, prices: [{ unitAmount: 100 }] });

    await restoreProduct(t.db, admin.viewer, { id: p.id }, at);
    expect(await getCatalogItem(t.db, p.slug)).toMatchObject({
      id: p.id,
      prices: [{ unitAmount: 100 }],
    });
    expect(
      (await auditTrail(t.db, "product", p.id)).map((e) => e.action),
    ).toEqual([
      "product.created",
      "product.price_added",
      "product.archived",
      "product.restored",
    ]);
  });

  it("searches name, summary, description and category, every word, in any case", async () => {
    const word = token();
    const a = await created({ name: `Falcon ${word} Hosting` });
    const b = await created({ summary: `Fast ${word.toUpperCase()} disks.` });
    const c = await created({
      description: `First line.\nSecond line about ${word} and DNS.`,
    });
    const d = await created({ category: `Cat${word}` });
    const ids = async (q: string) =>
      (await listCatalog(t.db, { q })).map((x) => x.id).sort();
    expect(await ids(word)).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(await ids(`dns ${word}`)).toEqual([c.id]);
    expect(await ids(`hosting FALCON ${word}`)).toEqual([a.id]);
    expect(await ids(`${word} nothing-like-this`)).toEqual([]);
  });

  it("pages through search results with the total, prices included", async () => {
    const word = token();
    const made: Array<{ id: string }> = [];
    for (const n of [3, 1, 2, 5, 4]) {
      const p = await created({ name: `Paged ${word} ${n}`, sortOrder: n });
      await priced(p.id, monthly(p.id, n * 100));
      made[n] = p;
    }
    const page = (offset: number) =>
      searchCatalog(t.db, { q: word }, { limit: 2, offset });
    const first = await page(0);
    expect(first.total).toBe(5);
    expect(first.items.map((x) => x.id)).toEqual([made[1]!.id, made[2]!.id]);
    expect(first.items[1]!.prices).toEqual([
      expect.objectContaining({ unitAmount: 200, interval: "month" }),
    ]);
    expect((await page(4)).items.map((x) => x.id)).toEqual([made[5]!.id]);
    expect(await page(10)).toEqual({ items: [], total: 5 });
    expect(
      await searchCatalog(t.db, { q: `${word}-none` }, { limit: 2, offset: 0 }),
    ).toEqual({ items: [], total: 0 });
    // The same products, in the same order, as the unpaged list.
    expect((await listCatalog(t.db, { q: word })).map((x) => x.id)).toEqual(
      [1, 2, 3, 4, 5].map((n) => made[n]!.id),
    );
  });

  it("treats % and _ in a search as the characters themselves", async () => {
    const word = token();
    const p = await created({ name: `Save 100% on ${word}_plan` });
    const all = await listCatalog(t.db);
    expect(all.length).toBeGreaterThan(2);
    expect((await listCatalog(t.db, { q: "%" })).map((x) => x.id)).toEqual([
      p.id,
    ]);
    expect(
      (await listCatalog(t.db, { q: `${word}_` })).map((x) => x.id),
    ).toEqual([p.id]);
    expect(await listCatalog(t.db, { q: `${word}x` })).toEqual([]);
    expect(await listCatalog(t.db, { q: "\\" })).toEqual([]);
  });

  it("filters by category and counts the categories of active products", async () => {
    const category = `Cat ${token()}`;
    const a = await created({ category, sortOrder: 2 });
    const b = await created({ category, sortOrder: 1, isAvailable: false });
    await created({ category: "" });
    const listed = await listCatalog(t.db, { category });
    expect(listed.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(listed[0]).toMatchObject({ isAvailable: false, imageId: null });
    expect(listed[0]).not.toHaveProperty("description");
    const categories = await listCategories(t.db);
    expect(categories).toContainEqual({ name: category, count: 2 });
    expect(categories.map((c) => c.name)).not.toContain("");
    expect(
      await listCatalog(t.db, { category, q: "no-such-product-anywhere" }),
    ).toEqual([]);
  });
});

describe("product images", () => {
  it("stores an image byte for byte with its hash, and replaces it", async () => {
    const p = await created();
    const r = await setProductImage(
      t.db,
      admin.viewer,
      {
        productId: p.id,
        file: { name: "logo.png", type: "image/png", data: PNG },
      },
      at,
    );
    if (!r.ok) throw new Error(r.error.message);
    const imageId = r.value.imageId!;
    expect((await getCatalogItem(t.db, p.slug))?.imageId).toBe(imageId);
    const stored = await getProductImage(t.db, imageId);
    expect(stored).toMatchObject({
      filename: "logo.png",
      contentType: "image/png",
      sizeBytes: PNG.byteLength,
      sha256: createHash("sha256").update(PNG).digest("hex"),
    });
    expect(new Uint8Array(stored!.data)).toEqual(PNG);

    // The type is read from the bytes: a GIF sent as a PNG is stored as the GIF it is.
    const next = await setProductImage(
      t.db,
      admin.viewer,
      {
        productId: p.id,
        file: { name: "anim.png", type: "image/png", data: GIF },
      },
      at,
    );
    if (!next.ok) throw new Error(next.error.message);
    expect(next.value.imageId).not.toBe(imageId);
    expect(await getProductImage(t.db, imageId)).toBeNull();
    expect(
      (await getProductImage(t.db, next.value.imageId!))?.contentType,
    ).toBe("image/gif");
    expect(
      (await auditTrail(t.db, "product", p.id)).filter(
        (e) => e.action === "product.image_set",
      ),
    ).toHaveLength(2);
  });

  it("refuses files that are not small PNG, JPEG, WebP or GIF images", async () => {
    const p = await created();
    const upload = (name: string, type: string, data: Uint8Array) =>
      setProductImage(
        t.db,
        admin.viewer,
        { productId: p.id, file: { name, type, data } },
        at,
      );
    const html = new TextEncoder().encode("<script>alert(1)</script>");
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    const svg = new TextEncoder().encode(
      "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    const refusals = [
      await upload("x.png", "image/png", html),
      await upload("x.svg", "image/svg+xml", svg),
      await upload("x.html", "text/html", PNG),
      await upload("big.png", "image/png", big),
      await upload("empty.png", "image/png", new Uint8Array()),
    ];
    for (const r of refusals)
      expect(!r.ok && r.error).toMatchObject({
        code: "invalid_input",
        fields: { image: [expect.any(String)] },
      });
    expect((await getProductForStaff(t.db, p.id))?.imageId).toBeNull();
  });
});

describe("the demo catalogue", () => {
  it("keeps the slugs and first prices other journeys rely on", async () => {
    const bySlug = async (slug: string) =>
      (await getCatalogItem(t.db, slug))?.prices.map((x) => x.unitAmount);
    expect(await bySlug("starter-hosting")).toEqual([590, 5900]);
    expect(await bySlug("business-hosting")).toEqual([1490, 14_900]);
    expect(await bySlug("website-migration")).toEqual([9900]);
  });

  it("has categories, an unavailable product and names that test the layout", async () => {
    const all = await listCatalog(t.db);
    expect((await listCategories(t.db)).map((c) => c.name)).toEqual(
      expect.arrayContaining(["Domains", "Hosting", "Security", "Services"]),
    );
    expect(all.some((x) => !x.isAvailable)).toBe(true);
    expect(all.some((x) => /^\S{60,}$/.test(x.name))).toBe(true);
    expect(all.some((x) => /[\u0590-\u06ff]/.test(x.name))).toBe(true);
    const hosting = await listCatalog(t.db, { category: "Hosting" });
    expect(hosting.map((x) => x.slug)).toEqual(
      expect.arrayContaining(["starter-hosting", "business-hosting"]),
    );
    expect(hosting.every((x) => x.category === "Hosting")).toBe(true);
    const [product] = await t.db
      .select()
      .from(products)
      .where(eq(products.slug, "managed-vps"));
    expect(product?.description.length).toBeGreaterThan(
      product!.summary.length,
    );
  });
});

describe("the catalogue's cache version", () => {
  it("changes with every catalogue write and stays when a write is refused", async () => {
    const before = await catalogVersion(t.db);
    const p = await created();
    const afterCreate = await catalogVersion(t.db);
    expect(afterCreate).not.toBe(before);
    await priced(p.id, monthly(p.id, 700));
    expect(await catalogVersion(t.db)).not.toBe(afterCreate);

    const settled = await catalogVersion(t.db);
    const agent = await buildUser(t.db, { role: "agent" });
    const refused = await createProduct(t.db, agent.viewer, product(), at);
    expect(refused.ok).toBe(false);
    expect(await catalogVersion(t.db)).toBe(settled);
  });
});
