import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import type { Db } from "@/db/types";
import {
  addToCart,
  countCartItems,
  getCart,
  mergeVisitorCart,
  removeFromCart,
  setCartQuantity,
} from "@/lib/cart/cart";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

let t: TestDb;
let db: Db;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
});
afterAll(async () => t?.close());

async function priceOf(
  kind: "product" | "service",
  over: Partial<typeof s.products.$inferInsert> = {},
) {
  const slug = `c-${Math.random().toString(36).slice(2, 10)}`;
  const [p] = await db
    .insert(s.products)
    .values({ slug, name: slug, kind, ...over })
    .returning();
  const [price] = await db
    .insert(s.prices)
    .values({
      productId: p!.id,
      currency: "EUR",
      unitAmount: 1000,
      type: kind === "service" ? "recurring" : "one_time",
      interval: kind === "service" ? "month" : null,
      intervalCount: kind === "service" ? 1 : null,
    })
    .returning();
  return price!;
}

describe("the cart", () => {
  it("keeps a visitor's cart and merges it into the account at sign-in", async () => {
    const product = await priceOf("product");
    const service = await priceOf("service");
    const added = await addToCart(
      db,
      { cartId: undefined },
      {
        priceId: product.id,
        quantity: 2,
      },
    );
    expect(added.ok).toBe(true);
    const visitor = { cartId: added.ok ? added.value.cartId : "" };
    await addToCart(db, visitor, { priceId: service.id, quantity: 5 });
    expect(await countCartItems(db, visitor)).toBe(3); // a service counts once

    const user = await buildUser(db);
    await addToCart(
      db,
      { userId: user.id },
      { priceId: product.id, quantity: 1 },
    );
    await addToCart(
      db,
      { userId: user.id },
      { priceId: service.id, quantity: 1 },
    );
    await mergeVisitorCart(db, visitor.cartId, user.id);

    const mine = await getCart(db, { userId: user.id });
    expect(mine.lines.map((l) => [l.priceId, l.quantity]).sort()).toEqual(
      [
        [product.id, 3],
        [service.id, 1],
      ].sort(),
    );
    expect(mine.total).toEqual({ amount: 4000, currency: "EUR" });
    expect((await getCart(db, visitor)).lines).toHaveLength(0);
  });

  it("never lets a visitor's cookie reach an account's cart", async () => {
    const product = await priceOf("product");
    const user = await buildUser(db);
    const added = await addToCart(
      db,
      { userId: user.id },
      {
        priceId: product.id,
        quantity: 1,
      },
    );
    const stolen = { cartId: added.ok ? added.value.cartId : "" };
    expect((await getCart(db, stolen)).lines).toHaveLength(0);
    await removeFromCart(db, stolen, product.id);
    expect((await getCart(db, { userId: user.id })).lines).toHaveLength(1);
    expect((await getCart(db, { cartId: "not-a-uuid" })).lines).toHaveLength(0);
  });

  it("caps quantities, keeps services at one, and refuses what is not for sale", async () => {
    const user = { userId: (await buildUser(db)).id };
    const product = await priceOf("product");
    const service = await priceOf("service");
    await addToCart(db, user, { priceId: product.id, quantity: 60 });
    await addToCart(db, user, { priceId: product.id, quantity: 60 });
    expect((await getCart(db, user)).lines[0]!.quantity).toBe(99);

    await addToCart(db, user, { priceId: service.id, quantity: 1 });
    const two = await setCartQuantity(db, user, {
      priceId: service.id,
      quantity: 2,
    });
    expect(two.ok).toBe(false);
    await setCartQuantity(db, user, { priceId: product.id, quantity: 0 });
    expect((await getCart(db, user)).lines.map((l) => l.priceId)).toEqual([
      service.id,
    ]);

    const archived = await priceOf("product", { isActive: false });
    expect(
      (await addToCart(db, user, { priceId: archived.id, quantity: 1 })).ok,
    ).toBe(false);
    const soldOut = await priceOf("product", { isAvailable: false });
    const refused = await addToCart(db, user, {
      priceId: soldOut.id,
      quantity: 1,
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/unavailable/);
  });

  it("refuses to check out a cart that mixes currencies or billing schedules", async () => {
    const user = { userId: (await buildUser(db)).id };
    const monthly = await priceOf("service");
    const yearly = await priceOf("service");
    await db
      .update(s.prices)
      .set({ interval: "year" })
      .where(eq(s.prices.id, yearly.id));
    await addToCart(db, user, { priceId: monthly.id, quantity: 1 });
    await addToCart(db, user, { priceId: yearly.id, quantity: 1 });
    const cart = await getCart(db, user);
    expect(cart.problems.join(" ")).toMatch(/different schedules/);
  });
});
