import type * as NextServer from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createProduct, setProductImage } from "@/lib/catalog/products";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { GET } from "./route";

// connection() only marks a render as dynamic, and outside Next there is no request for it to mark.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));

let t: TestDb;

const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

beforeAll(async () => {
  // The route reads through the app's handle: point it at this test's database.
  t = await createTestDb({ asAppDatabase: true });
});
afterAll(async () => {
  await t.close();
});

const get = (id: string) =>
  GET(new Request(`http://portal.test/products/images/${id}`), {
    params: Promise.resolve({ id }),
  });

describe("GET /products/images/[id]", () => {
  it("serves a product image to anyone, cacheable for a year", async () => {
    const admin = await buildUser(t.db, { role: "admin" });
    const now = new Date();
    const product = await createProduct(
      t.db,
      admin.viewer,
      {
        slug: "logo-test",
        name: "Logo test",
        summary: "",
        description: "",
        kind: "product",
        category: "",
        isAvailable: true,
        sortOrder: 0,
      },
      { now },
    );
    if (!product.ok) throw new Error(product.error.message);
    const set = await setProductImage(
      t.db,
      admin.viewer,
      {
        productId: product.value.id,
        file: { name: "logo.png", type: "image/png", data: PNG },
      },
      { now },
    );
    if (!set.ok) throw new Error(set.error.message);

    const res = await get(set.value.imageId!);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      "content-type": "image/png",
      "content-length": String(PNG.byteLength),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of [
      "00000000-0000-4000-8000-000000000000",
      "not-a-uuid",
      "..%2F..%2Fetc",
      "\u0000",
    ]) {
      expect((await get(id)).status).toBe(404);
    }
  });
});
