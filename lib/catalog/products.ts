import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { isUniqueViolation } from "@/db/errors";
import {
  prices,
  productImages,
  products,
  type Price,
  type Product,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { changedFields } from "@/lib/audit/changes";
import { recordAudit } from "@/lib/audit/record-audit";
import { bumpCatalogVersion } from "@/lib/catalog/version";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import {
  IMAGE_MAX_BYTES,
  IMAGE_TYPES,
  type PriceChangeInput,
  type PriceIdInput,
  type PriceInput,
  type ProductIdInput,
  type ProductInput,
  type ProductUpdateInput,
} from "@/lib/catalog/schemas";
import { formatByteSize } from "@/lib/format";
import { fail, ok, type Result } from "@/lib/result";
import { cleanFilename } from "@/lib/tickets/attachments";

// Products are archived, never deleted, and a price is never edited in place: a change is a new
// row and the old one is deactivated, so every order item keeps the price it was bought at.

type When = { now: Date };

const GONE = "This product no longer exists.";
const PRICE_GONE = "This price no longer exists.";
const SLUG_TAKEN = "Another product already uses this address name.";
const SAME_PERIOD =
  "This product already has a price for this billing period: change that price instead.";

export type ProductImageFile = { name: string; type: string; data: Uint8Array };

/** Admins only, one transaction, and a clash on the slug index as that field's error. */
async function adminWrite<T>(
  db: Db,
  actor: Viewer,
  work: (tx: Db) => Promise<Result<T>>,
): Promise<Result<T>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  try {
    return await db.transaction(async (tx) => {
      const done = await work(tx);
      if (done.ok) await bumpCatalogVersion(tx);
      return done;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return fail("conflict", SLUG_TAKEN, { fields: { slug: [SLUG_TAKEN] } });
  }
}

function audit(
  tx: Db,
  actor: Viewer,
  productId: string,
  action: string,
  data: Record<string, unknown>,
  now: Date,
) {
  return recordAudit(tx, {
    actor: { kind: "user", id: actor.id },
    action: `product.${action}`,
    entityType: "product",
    entityId: productId,
    data,
    at: now,
  });
}

const lockProduct = async (tx: Db, id: string): Promise<Product | null> => {
  const [row] = await tx
    .select()
    .from(products)
    .where(eq(products.id, id))
    .for("update");
  return row ?? null;
};

const lockPrice = async (tx: Db, id: string): Promise<Price | null> => {
  const [row] = await tx
    .select()
    .from(prices)
    .where(eq(prices.id, id))
    .for("update");
  return row ?? null;
};

export async function createProduct(
  db: Db,
  actor: Viewer,
  input: ProductInput,
  { now }: When,
): Promise<Result<Product>> {
  return adminWrite(db, actor, async (tx) => {
    const [row] = await tx
      .insert(products)
      .values({ ...input, createdAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error("product insert returned nothing");
    await audit(tx, actor, row.id, "created", { ...input }, now);
    return ok(row);
  });
}

/** Saves the product's own fields; saving what is already there is a no-op. */
export async function updateProduct(
  db: Db,
  actor: Viewer,
  input: ProductUpdateInput,
  { now }: When,
): Promise<Result<Product>> {
  const { id, ...fields } = input;
  return adminWrite(db, actor, async (tx) => {
    const before = await lockProduct(tx, id);
    if (!before) return fail("not_found", GONE);
    const changes = changedFields(before, fields);
    if (Object.keys(changes).length === 0) return ok(before);
    const [row] = await tx
      .update(products)
      .set({ ...fields, updatedAt: now })
      .where(eq(products.id, id))
      .returning();
    await audit(tx, actor, id, "updated", { changes }, now);
    return ok(row ?? before);
  });
}

/** Takes a product out of the catalogue; its orders keep pointing at it. Repeating it is a no-op. */
export async function archiveProduct(
  db: Db,
  actor: Viewer,
  input: ProductIdInput,
  { now }: When,
): Promise<Result<Product>> {
  return setProductActive(db, actor, input.id, false, now);
}

/** Puts an archived product back in the catalogue, with the prices it had. */
export async function restoreProduct(
  db: Db,
  actor: Viewer,
  input: ProductIdInput,
  { now }: When,
): Promise<Result<Product>> {
  return setProductActive(db, actor, input.id, true, now);
}

async function setProductActive(
  db: Db,
  actor: Viewer,
  id: string,
  isActive: boolean,
  now: Date,
): Promise<Result<Product>> {
  return adminWrite(db, actor, async (tx) => {
    const before = await lockProduct(tx, id);
    if (!before) return fail("not_found", GONE);
    if (before.isActive === isActive) return ok(before);
    const [row] = await tx
      .update(products)
      .set({ isActive, updatedAt: now })
      .where(eq(products.id, id))
      .returning();
    await audit(
      tx,
      actor,
      id,
      isActive ? "restored" : "archived",
      { name: before.name },
      now,
    );
    return ok(row ?? before);
  });
}

/** Adds a price (another billing period, or a one-off price) in `currency`, an upper-case ISO code. */
export async function addPrice(
  db: Db,
  actor: Viewer,
  input: PriceInput & { currency: string },
  { now }: When,
): Promise<Result<Price>> {
  return adminWrite(db, actor, async (tx) => {
    const product = await lockProduct(tx, input.productId);
    if (!product) return fail("not_found", GONE);
    const taken = await tx
      .select({ id: prices.id })
      .from(prices)
      .where(
        and(
          eq(prices.productId, product.id),
          eq(prices.isActive, true),
          eq(prices.type, input.type),
          input.interval
            ? eq(prices.interval, input.interval)
            : isNull(prices.interval),
          input.intervalCount
            ? eq(prices.intervalCount, input.intervalCount)
            : isNull(prices.intervalCount),
        ),
      );
    if (taken.length > 0) {
      const field = input.type === "recurring" ? "interval" : "type";
      return fail("conflict", SAME_PERIOD, {
        fields: { [field]: [SAME_PERIOD] },
      });
    }
    const [row] = await tx
      .insert(prices)
      .values({ ...input, createdAt: now })
      .returning();
    if (!row) throw new Error("price insert returned nothing");
    await audit(
      tx,
      actor,
      product.id,
      "price_added",
      { priceId: row.id, ...priceTerms(row) },
      now,
    );
    return ok(row);
  });
}

/**
 * A new amount for a price: a new row with the same billing period replaces it, and the old row is
 * deactivated (orders and carts that hold it keep it). The same amount is a no-op.
 */
export async function changePrice(
  db: Db,
  actor: Viewer,
  input: PriceChangeInput,
  { now }: When,
): Promise<Result<Price>> {
  return adminWrite(db, actor, async (tx) => {
    const old = await lockPrice(tx, input.priceId);
    if (!old || !old.isActive) return fail("not_found", PRICE_GONE);
    if (old.unitAmount === input.amount) return ok(old);
    await tx
      .update(prices)
      .set({ isActive: false })
      .where(eq(prices.id, old.id));
    const [row] = await tx
      .insert(prices)
      .values({
        productId: old.productId,
        currency: old.currency,
        unitAmount: input.amount,
        type: old.type,
        interval: old.interval,
        intervalCount: old.intervalCount,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error("price insert returned nothing");
    await audit(
      tx,
      actor,
      old.productId,
      "price_changed",
      {
        fromPriceId: old.id,
        toPriceId: row.id,
        ...priceTerms(row),
        unitAmount: { from: old.unitAmount, to: row.unitAmount },
      },
      now,
    );
    return ok(row);
  });
}

/** Stops offering a price; orders that hold it keep it. Removing a removed price is a no-op. */
export async function removePrice(
  db: Db,
  actor: Viewer,
  input: PriceIdInput,
  { now }: When,
): Promise<Result<Price>> {
  return adminWrite(db, actor, async (tx) => {
    const old = await lockPrice(tx, input.priceId);
    if (!old) return fail("not_found", PRICE_GONE);
    if (!old.isActive) return ok(old);
    const [row] = await tx
      .update(prices)
      .set({ isActive: false })
      .where(eq(prices.id, old.id))
      .returning();
    await audit(
      tx,
      actor,
      old.productId,
      "price_removed",
      { priceId: old.id, ...priceTerms(old) },
      now,
    );
    return ok(row ?? old);
  });
}

/**
 * Stores an uploaded image (PNG, JPEG, WebP or GIF, at most 2 MB, told by its bytes, not its name)
 * and shows it on the product. The image it replaces is deleted.
 */
export async function setProductImage(
  db: Db,
  actor: Viewer,
  input: { productId: string; file: ProductImageFile },
  { now }: When,
): Promise<Result<Product>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const checked = checkImage(input.file);
  if (!checked.ok) return checked;
  const { file } = input;
  return adminWrite(db, actor, async (tx) => {
    const before = await lockProduct(tx, input.productId);
    if (!before) return fail("not_found", GONE);
    const [image] = await tx
      .insert(productImages)
      .values({
        filename: cleanFilename(file.name),
        contentType: checked.value,
        sizeBytes: file.data.byteLength,
        sha256: createHash("sha256").update(file.data).digest("hex"),
        data: file.data,
        createdAt: now,
      })
      .returning({ id: productImages.id });
    if (!image) throw new Error("image insert returned nothing");
    const [row] = await tx
      .update(products)
      .set({ imageId: image.id, updatedAt: now })
      .where(eq(products.id, before.id))
      .returning();
    if (before.imageId)
      await tx
        .delete(productImages)
        .where(eq(productImages.id, before.imageId));
    await audit(
      tx,
      actor,
      before.id,
      "image_set",
      {
        imageId: image.id,
        filename: cleanFilename(file.name),
        contentType: checked.value,
        sizeBytes: file.data.byteLength,
      },
      now,
    );
    return ok(row ?? before);
  });
}

const IMAGE_FIELD = "image";
const imageError = (message: string) =>
  fail("invalid_input", message, { fields: { [IMAGE_FIELD]: [message] } });

/** The type the image is stored and served as: what its first bytes say, not what the browser said. */
function checkImage(file: ProductImageFile): Result<string> {
  if (file.data.byteLength === 0) return imageError("Choose an image file.");
  if (file.data.byteLength > IMAGE_MAX_BYTES)
    return imageError(
      `The image is larger than ${formatByteSize(IMAGE_MAX_BYTES)}; use a smaller one.`,
    );
  const declared = file.type.toLowerCase();
  const sniffed = sniffImageType(file.data);
  if (!sniffed || (declared && !isImageType(declared)))
    return imageError("Use a PNG, JPEG, WebP or GIF image.");
  return ok(sniffed);
}

const isImageType = (type: string): boolean =>
  IMAGE_TYPES.some((t) => t === type);

function sniffImageType(b: Uint8Array): (typeof IMAGE_TYPES)[number] | null {
  const ascii = (from: number, to: number) =>
    String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0x89 && ascii(1, 4) === "PNG") return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(0, 4) === "GIF8") return "image/gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

const priceTerms = (p: Price) => ({
  unitAmount: p.unitAmount,
  currency: p.currency,
  type: p.type,
  interval: p.interval,
  intervalCount: p.intervalCount,
});
