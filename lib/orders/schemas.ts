import { z } from "zod";
import type { OrderStatus } from "@/db/schema";
import { ORDER_STATUS_LABELS } from "@/lib/orders/status";
import { wellFormed } from "@/lib/text";

// Client-safe inputs of the order pages and actions.

export const orderIdParam = z.uuid();

export const ORDER_STATUSES = Object.keys(ORDER_STATUS_LABELS) as OrderStatus[];
export const ORDER_SOURCES = ["shop", "shopify"] as const;

const blankToUndefined = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? undefined : v;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as `yyyy-mm-dd` that exists (no 31 February). */
const isoDay = z.string().refine((v) => {
  const m = ISO_DAY.exec(v);
  if (!m) return false;
  const date = new Date(`${v}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) &&
    date.getUTCFullYear() === Number(m[1]) &&
    date.getUTCMonth() + 1 === Number(m[2]) &&
    date.getUTCDate() === Number(m[3])
  );
});

/** The staff order list's search parameters; anything unusable falls back to "no filter". */
export const staffOrderFiltersInput = z.object({
  status: z.preprocess(
    blankToUndefined,
    z.enum(ORDER_STATUSES).optional().catch(undefined),
  ),
  source: z.preprocess(
    blankToUndefined,
    z.enum(ORDER_SOURCES).optional().catch(undefined),
  ),
  // PostgreSQL's text cannot hold NUL, so one in `?q=` would fail the query instead of matching nothing.
  q: z.preprocess(
    (v) =>
      typeof v === "string"
        ? blankToUndefined(wellFormed(v).replaceAll("\u0000", ""))
        : v,
    z.string().trim().max(200).optional().catch(undefined),
  ),
  from: z.preprocess(blankToUndefined, isoDay.optional().catch(undefined)),
  /** Inclusive: orders placed on this day are shown. */
  to: z.preprocess(blankToUndefined, isoDay.optional().catch(undefined)),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  ),
});
export type StaffOrderFiltersInput = z.infer<typeof staffOrderFiltersInput>;

/** The filter bar's inclusive days as UTC instants: `to` becomes the start of the next day, exclusive. */
export function orderDateRange(f: { from?: string; to?: string }): {
  from?: Date;
  to?: Date;
} {
  const start = (day: string) => new Date(`${day}T00:00:00Z`);
  return {
    ...(f.from ? { from: start(f.from) } : {}),
    ...(f.to
      ? { to: new Date(start(f.to).getTime() + 24 * 60 * 60 * 1000) }
      : {}),
  };
}

const AMOUNT = /^(\d{1,7})(?:[.,](\d{1,2}))?$/;

/**
 * "12.50", "12,50" or "12" in minor units (1250), for currencies with two decimals; null when the
 * text is not such an amount. Up to 9,999,999.99, which fits the integer columns.
 */
export function toMinorUnits(text: string): number | null {
  const m = AMOUNT.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

const reason = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(500, "Keep the reason under 500 characters.")
    .optional(),
);

const orderId = z.uuid("This order does not exist.");

/** A button on the staff order page that needs nothing but the order: mark paid, mark fulfilled. */
export const orderIdInput = z.object({ orderId });
export type OrderIdInput = z.infer<typeof orderIdInput>;

export const cancelOrderInput = z.object({ orderId, reason });
export type CancelOrderInput = z.infer<typeof cancelOrderInput>;

export const refundInput = z.object({
  orderId,
  amount: z.string("Enter the amount to refund.").transform((text, ctx) => {
    const amount = toMinorUnits(text);
    if (text.trim() === "") {
      ctx.addIssue({ code: "custom", message: "Enter the amount to refund." });
      return z.NEVER;
    }
    if (amount === null) {
      ctx.addIssue({
        code: "custom",
        message: "Enter an amount like 12.50.",
      });
      return z.NEVER;
    }
    if (amount <= 0) {
      ctx.addIssue({
        code: "custom",
        message: "Enter an amount above zero.",
      });
      return z.NEVER;
    }
    return amount;
  }),
  reason,
});
export type RefundInput = z.infer<typeof refundInput>;
