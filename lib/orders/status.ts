import type { OrderStatus } from "@/db/schema";

// Client-safe: how an order's status reads, and which way it may move.

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending: "Pending payment",
  awaiting_payment: "Awaiting payment",
  processing: "Payment processing",
  paid: "Paid",
  fulfilled: "Fulfilled",
  partially_refunded: "Partially refunded",
  refunded: "Refunded",
  cancelled: "Cancelled",
  payment_failed: "Payment failed",
  expired: "Expired",
};

export const ORDER_STATUS_TONES: Record<
  OrderStatus,
  "gray" | "green" | "yellow" | "red" | "blue"
> = {
  pending: "yellow",
  awaiting_payment: "yellow",
  processing: "yellow",
  paid: "green",
  fulfilled: "blue",
  partially_refunded: "red",
  refunded: "red",
  cancelled: "gray",
  payment_failed: "red",
  expired: "gray",
};

/** Orders still waiting for money: a customer may pay, staff may mark paid or cancel. */
export const UNPAID_STATUSES = [
  "pending",
  "awaiting_payment",
  "processing",
  "payment_failed",
] as const satisfies readonly OrderStatus[];

export const isUnpaid = (status: OrderStatus): boolean =>
  (UNPAID_STATUSES as readonly OrderStatus[]).includes(status);

/** Money has arrived (some of it may have gone back). */
export const HAS_BEEN_PAID = [
  "paid",
  "fulfilled",
  "partially_refunded",
  "refunded",
] as const satisfies readonly OrderStatus[];

export const hasBeenPaid = (status: OrderStatus): boolean =>
  (HAS_BEEN_PAID as readonly OrderStatus[]).includes(status);

/** A card order the customer may (still, or again) pay through Stripe Checkout. */
export const PAYABLE_BY_CARD = [
  "pending",
  "payment_failed",
  "expired",
] as const satisfies readonly OrderStatus[];

export const isPayableByCard = (status: OrderStatus): boolean =>
  (PAYABLE_BY_CARD as readonly OrderStatus[]).includes(status);
