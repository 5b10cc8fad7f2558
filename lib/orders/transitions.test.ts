import { describe, expect, it } from "vitest";
import type { OrderStatus } from "@/db/schema";
import { canMove } from "@/lib/orders/transitions";

// Unit: the forward-only order states that make Stripe's reordered and repeated events harmless.

describe("canMove", () => {
  it.each<[OrderStatus, OrderStatus]>([
    ["pending", "processing"],
    ["pending", "paid"],
    ["awaiting_payment", "paid"],
    ["processing", "paid"],
    ["processing", "payment_failed"],
    ["paid", "fulfilled"],
    ["paid", "partially_refunded"],
    ["fulfilled", "partially_refunded"],
    ["partially_refunded", "refunded"],
    ["pending", "expired"],
    ["awaiting_payment", "cancelled"],
    ["payment_failed", "pending"],
    ["expired", "pending"],
    ["payment_failed", "paid"],
  ])("%s → %s moves", (from, to) => {
    expect(canMove(from, to)).toBe(true);
  });

  it.each<[OrderStatus, OrderStatus]>([
    ["paid", "pending"],
    ["paid", "expired"],
    ["paid", "payment_failed"],
    ["paid", "processing"],
    ["paid", "cancelled"],
    ["refunded", "paid"],
    ["refunded", "partially_refunded"],
    ["partially_refunded", "paid"],
    ["fulfilled", "paid"],
    ["expired", "payment_failed"],
    ["cancelled", "expired"],
    ["cancelled", "pending"],
    ["paid", "paid"],
  ])("%s → %s stays", (from, to) => {
    expect(canMove(from, to)).toBe(false);
  });
});
