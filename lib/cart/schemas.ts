import { z } from "zod";

// Client-safe: what the cart's forms send. Only ids and quantities: prices are always read from
// the database, never taken from the browser.

const priceId = z.uuid("Choose a price.");

export const addToCartInput = z.object({
  priceId,
  quantity: z.coerce
    .number("Enter a quantity.")
    .int("Enter a whole number.")
    .min(1, "At least 1.")
    .max(99, "At most 99.")
    .default(1),
});
export type AddToCartInput = z.infer<typeof addToCartInput>;

export const setCartQuantityInput = z.object({
  priceId,
  quantity: z.coerce
    .number("Enter a quantity.")
    .int("Enter a whole number.")
    .min(0, "At least 0.")
    .max(99, "At most 99."),
});
export type SetCartQuantityInput = z.infer<typeof setCartQuantityInput>;

export const removeFromCartInput = z.object({ priceId });
