import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  cartItems,
  carts,
  prices,
  products,
  type Cart,
  type Price,
  type Product,
} from "@/db/schema";
import { sessionStatements } from "@/db/prepared";
import type { Db } from "@/db/types";
import { isUuid } from "@/lib/ids";
import { fail, ok, type Result } from "@/lib/result";
import type { AddToCartInput, SetCartQuantityInput } from "@/lib/cart/schemas";

/** Whose cart: a signed-in account's, or a visitor's by the id their cookie holds (if any). */
export type CartOwner = { userId: string } | { cartId: string | undefined };

export type CartLine = {
  priceId: string;
  productId: string;
  slug: string;
  name: string;
  kind: Product["kind"];
  quantity: number;
  currency: string;
  unitAmount: number;
  lineAmount: number;
  type: Price["type"];
  interval: Price["interval"];
  intervalCount: Price["intervalCount"];
  /** Why this line cannot be bought now; null when it can. */
  problem: string | null;
};

export type CartView = {
  id: string | null;
  /** The unpaid order this cart's last checkout made, if the cart has not changed since. */
  orderId: string | null;
  lines: CartLine[];
  /** Sum of the lines, in the cart's currency (null when the cart mixes currencies or is empty). */
  total: { amount: number; currency: string } | null;
  /** Reasons the cart as a whole cannot be checked out; empty when it can. */
  problems: string[];
  count: number;
};

const EMPTY: CartView = {
  id: null,
  orderId: null,
  lines: [],
  total: null,
  problems: [],
  count: 0,
};

const MAX_QUANTITY = 99;

async function findCart(db: Db, owner: CartOwner): Promise<Cart | null> {
  if ("userId" in owner) {
    const [row] = await db
      .select()
      .from(carts)
      .where(eq(carts.userId, owner.userId));
    return row ?? null;
  }
  if (!owner.cartId || !isUuid(owner.cartId)) return null;
  // A visitor's cookie may only ever reach a cart that belongs to no account.
  const [row] = await db
    .select()
    .from(carts)
    .where(and(eq(carts.id, owner.cartId), sql`${carts.userId} is null`));
  return row ?? null;
}

async function findOrCreateCart(db: Db, owner: CartOwner): Promise<Cart> {
  const found = await findCart(db, owner);
  if (found) return found;
  const [row] = await db
    .insert(carts)
    .values("userId" in owner ? { userId: owner.userId } : {})
    .onConflictDoUpdate({
      target: carts.userId,
      set: { updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

/** Locks the owner's cart row until the transaction ends (checkout runs one at a time per cart). */
export async function lockCart(db: Db, owner: CartOwner): Promise<void> {
  const cart = await findCart(db, owner);
  if (cart)
    await db
      .select({ id: carts.id })
      .from(carts)
      .where(eq(carts.id, cart.id))
      .for("update");
}

/** How many items the cart holds, for the header. */
export async function countCartItems(
  db: Db,
  owner: CartOwner,
): Promise<number> {
  const cart = await findCart(db, owner);
  if (!cart) return 0;
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${cartItems.quantity}), 0)::int` })
    .from(cartItems)
    .where(eq(cartItems.cartId, cart.id));
  return row?.n ?? 0;
}

/** The cart with every line priced from the catalogue as it is now. */
export async function getCart(db: Db, owner: CartOwner): Promise<CartView> {
  const cart = await findCart(db, owner);
  if (!cart) return EMPTY;
  const rows = await db
    .select({ item: cartItems, price: prices, product: products })
    .from(cartItems)
    .innerJoin(prices, eq(prices.id, cartItems.priceId))
    .innerJoin(products, eq(products.id, prices.productId))
    .where(eq(cartItems.cartId, cart.id))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.id));
  const lines: CartLine[] = rows.map(({ item, price, product }) => ({
    priceId: price.id,
    productId: product.id,
    slug: product.slug,
    name: product.name,
    kind: product.kind,
    quantity: item.quantity,
    currency: price.currency,
    unitAmount: price.unitAmount,
    lineAmount: price.unitAmount * item.quantity,
    type: price.type,
    interval: price.interval,
    intervalCount: price.intervalCount,
    problem: !product.isActive
      ? "No longer sold: please remove it."
      : !price.isActive
        ? "This price has changed: please remove it and add the product again."
        : !product.isAvailable
          ? "Currently unavailable: please remove it."
          : null,
  }));
  return {
    id: cart.id,
    orderId: cart.orderId,
    lines,
    ...summarise(lines),
    count: lines.reduce((n, l) => n + l.quantity, 0),
  };
}

function summarise(lines: CartLine[]): Pick<CartView, "total" | "problems"> {
  const problems: string[] = [];
  const currencies = new Set(lines.map((l) => l.currency));
  if (currencies.size > 1)
    problems.push(
      "Your cart holds prices in more than one currency: please order them separately.",
    );
  // Stripe bills one subscription on one schedule.
  const periods = new Set(
    lines
      .filter((l) => l.type === "recurring")
      .map((l) => `${l.intervalCount}:${l.interval}`),
  );
  if (periods.size > 1)
    problems.push(
      "Services billed on different schedules (for example monthly and yearly) must be ordered separately.",
    );
  if (lines.some((l) => l.problem))
    problems.push("Some items cannot be ordered as they are: see below.");
  const [currency] = currencies;
  return {
    problems,
    total:
      currency && currencies.size === 1
        ? {
            amount: lines.reduce((sum, l) => sum + l.lineAmount, 0),
            currency,
          }
        : null,
  };
}

/**
 * Adds a price to the cart. A product's quantity adds up; a service is held once per billing
 * period choice, so adding it again changes nothing. Returns the cart's id (for a visitor's cookie).
 */
export async function addToCart(
  db: Db,
  owner: CartOwner,
  input: AddToCartInput,
): Promise<Result<{ cartId: string }>> {
  const [row] = await db
    .select({ price: prices, product: products })
    .from(prices)
    .innerJoin(products, eq(products.id, prices.productId))
    .where(eq(prices.id, input.priceId));
  if (!row || !row.price.isActive || !row.product.isActive)
    return fail("not_found", "That product or price is no longer sold.", {
      fields: { priceId: ["That price is no longer available."] },
    });
  if (!row.product.isAvailable)
    return fail("conflict", `${row.product.name} is currently unavailable.`);
  return db.transaction(async (tx) => {
    const cart = await findOrCreateCart(tx, owner);
    await addLine(tx, cart.id, row.price.id, row.product.kind, input.quantity);
    await touch(tx, cart.id);
    return ok({ cartId: cart.id });
  });
}

/** Sets a line's quantity; 0 removes it. A service's quantity stays 1. */
export async function setCartQuantity(
  db: Db,
  owner: CartOwner,
  input: SetCartQuantityInput,
): Promise<Result<null>> {
  const cart = await findCart(db, owner);
  if (!cart) return ok(null);
  if (input.quantity === 0) return removeFromCart(db, owner, input.priceId);
  const [line] = await db
    .select({ kind: products.kind })
    .from(cartItems)
    .innerJoin(prices, eq(prices.id, cartItems.priceId))
    .innerJoin(products, eq(products.id, prices.productId))
    .where(
      and(eq(cartItems.cartId, cart.id), eq(cartItems.priceId, input.priceId)),
    );
  if (!line) return fail("not_found", "That item is no longer in your cart.");
  if (line.kind === "service" && input.quantity !== 1)
    return fail(
      "invalid_input",
      "A service is ordered once per billing period.",
      {
        fields: { quantity: ["A service is ordered once per billing period."] },
      },
    );
  await db.transaction(async (tx) => {
    await tx
      .update(cartItems)
      .set({ quantity: input.quantity })
      .where(
        and(
          eq(cartItems.cartId, cart.id),
          eq(cartItems.priceId, input.priceId),
        ),
      );
    await touch(tx, cart.id);
  });
  return ok(null);
}

export async function removeFromCart(
  db: Db,
  owner: CartOwner,
  priceId: string,
): Promise<Result<null>> {
  const cart = await findCart(db, owner);
  if (!cart) return ok(null);
  await db.transaction(async (tx) => {
    await tx
      .delete(cartItems)
      .where(
        and(eq(cartItems.cartId, cart.id), eq(cartItems.priceId, priceId)),
      );
    await touch(tx, cart.id);
  });
  return ok(null);
}

/**
 * Moves a signed-out visitor's cart into the account's (quantities add up, services stay once),
 * then deletes it. Called at sign-in and sign-up; a missing or foreign cart id is ignored.
 */
export async function mergeVisitorCart(
  db: Db,
  visitorCartId: string | undefined,
  userId: string,
): Promise<void> {
  const visitor = await findCart(db, { cartId: visitorCartId });
  if (!visitor) return;
  await db.transaction(async (tx) => {
    const lines = await tx
      .select({ item: cartItems, kind: products.kind })
      .from(cartItems)
      .innerJoin(prices, eq(prices.id, cartItems.priceId))
      .innerJoin(products, eq(products.id, prices.productId))
      .where(eq(cartItems.cartId, visitor.id));
    if (lines.length > 0) {
      const mine = await findOrCreateCart(tx, { userId });
      for (const { item, kind } of lines)
        await addLine(tx, mine.id, item.priceId, kind, item.quantity);
      await touch(tx, mine.id);
    }
    await tx.delete(carts).where(eq(carts.id, visitor.id));
  });
}

/** Empties the carts whose checkout made `orderId` (once that order is placed for good or paid). */
export async function clearCartsOfOrder(
  db: Db,
  orderId: string,
): Promise<void> {
  await clearCarts(db, "", buildClearCarts, { orderId });
}

// One statement, built once: the carts are unlinked and their lines deleted from the same snapshot.
const clearCarts = sessionStatements(() => undefined);
const buildClearCarts = (db: Db) => {
  const cleared = clearedCarts(db);
  return db.with(cleared).delete(cartItems).where(linesOf(db, cleared));
};

const clearedCarts = (db: Db) =>
  db.$with("cleared").as(
    db
      .update(carts)
      .set({ orderId: null, updatedAt: sql`now()` })
      .where(eq(carts.orderId, sql.placeholder("orderId")))
      .returning({ id: carts.id }),
  );

const linesOf = (db: Db, cleared: ReturnType<typeof clearedCarts>) =>
  inArray(cartItems.cartId, db.select({ id: cleared.id }).from(cleared));

/**
 * clearCartsOfOrder as two CTEs, for a statement that empties the carts along with its own work
 * (the order's id in the placeholder `orderId`).
 */
export function clearCartsOfOrderCtes(db: Db) {
  const cleared = clearedCarts(db);
  return [
    cleared,
    db.$with("emptied").as(db.delete(cartItems).where(linesOf(db, cleared))),
  ] as const;
}

/** Links the cart to the order its checkout made, so an unchanged cart reuses it. */
export async function linkCartToOrder(
  db: Db,
  cartId: string,
  orderId: string,
): Promise<void> {
  await db.update(carts).set({ orderId }).where(eq(carts.id, cartId));
}

// A product's quantity adds up to at most 99; a service is held once per billing period.
async function addLine(
  db: Db,
  cartId: string,
  priceId: string,
  kind: Product["kind"],
  quantity: number,
): Promise<void> {
  const isService = kind === "service";
  await db
    .insert(cartItems)
    .values({ cartId, priceId, quantity: isService ? 1 : quantity })
    .onConflictDoUpdate({
      target: [cartItems.cartId, cartItems.priceId],
      set: {
        quantity: isService
          ? sql`1`
          : sql`least(${cartItems.quantity} + excluded.quantity, ${MAX_QUANTITY})`,
      },
    });
}

// Any change to the lines forgets the order made from the old contents.
async function touch(db: Db, cartId: string): Promise<void> {
  await db
    .update(carts)
    .set({ orderId: null, updatedAt: sql`now()` })
    .where(eq(carts.id, cartId));
}
