import { z } from "zod";
import type { Product } from "@/db/schema";
import { storableText } from "@/lib/text";

// The catalogue's inputs: the staff product and price forms, and the public pages' search and
// route parameters. Client-safe.

export const PRODUCT_KINDS = [
  "service",
  "product",
] as const satisfies readonly Product["kind"][];

export const PRODUCT_KIND_LABELS: Record<Product["kind"], string> = {
  service: "Service",
  product: "Product",
};

export const PRICE_TYPES = ["one_time", "recurring"] as const;
export const PRICE_INTERVALS = ["month", "year"] as const;
export const MAX_INTERVAL_COUNT = 36;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MAX = 80;
// /products/images/<id> serves product images, so no product may be called "images".
const RESERVED_SLUGS = new Set(["images"]);

// An unticked checkbox sends nothing, a ticked one "on".
const checkbox = z
  .enum(["on"])
  .optional()
  .transform((v) => v === "on");

const text = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(max, tooLong));

export const productId = z.uuid("This product no longer exists.");
export const priceId = z.uuid("This price no longer exists.");

export const productInput = z.object({
  slug: z
    .string({ error: "Enter the address name, such as starter-hosting." })
    .trim()
    .toLowerCase()
    .min(1, { message: "Enter the address name, such as starter-hosting." })
    .max(SLUG_MAX, `Use at most ${SLUG_MAX} characters.`)
    .regex(
      SLUG_PATTERN,
      "Use lower-case letters, digits and single dashes, such as starter-hosting.",
    )
    .refine((slug) => !RESERVED_SLUGS.has(slug), {
      message: "This address is taken by the shop itself; choose another.",
    }),
  name: z
    .string({ error: "Enter a name." })
    .trim()
    .min(1, "Enter a name.")
    .max(120, "Use at most 120 characters."),
  summary: text(200, "Keep the summary under 200 characters."),
  description: text(10_000, "Keep the description under 10,000 characters."),
  kind: z.enum(PRODUCT_KINDS, { error: "Choose service or product." }),
  category: z
    .string()
    .optional()
    .transform((v) => (v ?? "").replace(/\s+/g, " ").trim())
    .pipe(z.string().max(40, "Use at most 40 characters.")),
  isAvailable: checkbox,
  sortOrder: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim() || "0")
    .pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, "Enter a whole number from 0 to 9999.")
        .transform(Number),
    ),
});
export type ProductInput = z.infer<typeof productInput>;

export const productUpdateInput = productInput.extend({ id: productId });
export type ProductUpdateInput = z.infer<typeof productUpdateInput>;

/** For the buttons that act on one product: archive, restore. */
export const productIdInput = z.object({ id: productId });
export type ProductIdInput = z.infer<typeof productIdInput>;

/** "12.50" or "12,50" as integer minor units (1250); at most two decimals, never through a float. */
const amount = z
  .string({ error: "Enter a price, such as 12.50." })
  .trim()
  .min(1, { message: "Enter a price, such as 12.50.", abort: true })
  .regex(/^\d{1,7}(?:[.,]\d{1,2})?$/, {
    message: "Enter a price such as 12.50, with at most two decimals.",
    abort: true,
  })
  .transform((v) => {
    const [whole = "0", fraction = ""] = v.split(/[.,]/);
    return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  })
  .pipe(z.number().int().min(1, "Enter a price above zero."));

export const priceInput = z
  .object({
    productId,
    amount,
    type: z.enum(PRICE_TYPES, { error: "Choose one-off or recurring." }),
    // The form always posts these; they only count for a recurring price.
    interval: z.string().optional(),
    intervalCount: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type !== "recurring") return;
    if (!PRICE_INTERVALS.some((i) => i === v.interval))
      ctx.addIssue({
        code: "custom",
        path: ["interval"],
        message: "Choose monthly or yearly billing.",
      });
    if (!isIntervalCount(v.intervalCount))
      ctx.addIssue({
        code: "custom",
        path: ["intervalCount"],
        message: `Enter a whole number from 1 to ${MAX_INTERVAL_COUNT}.`,
      });
  })
  .transform((v) =>
    v.type === "recurring"
      ? {
          productId: v.productId,
          unitAmount: v.amount,
          type: "recurring" as const,
          interval: v.interval as (typeof PRICE_INTERVALS)[number],
          intervalCount: Number(v.intervalCount?.trim()),
        }
      : {
          productId: v.productId,
          unitAmount: v.amount,
          type: "one_time" as const,
          interval: null,
          intervalCount: null,
        },
  );
export type PriceInput = z.infer<typeof priceInput>;

function isIntervalCount(v: string | undefined): boolean {
  const n = Number(v?.trim());
  return /^\d{1,2}$/.test(v?.trim() ?? "") && n >= 1 && n <= MAX_INTERVAL_COUNT;
}

/** A new amount for an existing price; its billing period stays as it is. */
export const priceChangeInput = z.object({ priceId, amount });
export type PriceChangeInput = z.infer<typeof priceChangeInput>;

export const priceIdInput = z.object({ priceId });
export type PriceIdInput = z.infer<typeof priceIdInput>;

/** The image types the shop stores and serves; a stored image's type is read from its bytes. */
export const IMAGE_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
] as const;
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** A product image upload; its type and size are checked against its bytes when it is stored. */
export const productImageInput = z.object({
  productId,
  image: z
    .instanceof(File, { message: "Choose an image file." })
    .refine((f) => f.size > 0, "Choose an image file."),
});
export type ProductImageInput = z.infer<typeof productImageInput>;

/** Minor units as the price form shows them: 1250 → "12.50". */
export function decimalAmount(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

/* The public catalogue's parameters: anything unusable is cleaned or dropped, never an error. */

const SEARCH_MAX = 100;
const CATEGORY_MAX = 40;

// Typed or crafted (?q=%00): no control characters or lone surrogates, one space between words.
const cleanParam = (max: number) =>
  z
    .string()
    .transform((v) =>
      storableText(v)
        .replace(/[\p{Cc}\uFFFD]+/gu, " ")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, max)
        .trim(),
    )
    .transform((v) => v || undefined)
    .optional()
    .catch(undefined);

export const catalogFilterInput = z.object({
  q: cleanParam(SEARCH_MAX),
  category: cleanParam(CATEGORY_MAX),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});
export type CatalogFilterInput = z.infer<typeof catalogFilterInput>;

/** A product page's slug; anything else is a 404 without a database round trip. */
export const catalogSlug = z.string().max(SLUG_MAX).regex(SLUG_PATTERN);
