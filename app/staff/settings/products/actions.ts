"use server";

import { revalidatePath, updateTag } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { CATALOG_TAG } from "@/lib/catalog/cached";
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
  priceChangeInput,
  priceIdInput,
  priceInput,
  productIdInput,
  productImageInput,
  productInput,
  productUpdateInput,
} from "@/lib/catalog/schemas";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";

const PAGE = "/staff/settings/products";

// updateTag, not revalidateTag: the next catalogue read waits for fresh data, so the shop shows a
// new price on the very next request instead of once more from the stale copy.
function catalogueChanged(): void {
  updateTag(CATALOG_TAG);
  revalidatePath(PAGE, "layout");
}

export async function createProductAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(`${PAGE}/new`);
  const input = parseForm(productInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const created = await createProduct(await getDb(), admin, input.value, {
    now: new Date(),
  });
  if (!created.ok) return formFailure(created.error, form);
  catalogueChanged();
  redirect(`${PAGE}/${created.value.id}?created=1`);
}

export async function updateProductAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(productUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await updateProduct(await getDb(), admin, input.value, {
    now: new Date(),
  });
  if (!saved.ok) return formFailure(saved.error, form);
  catalogueChanged();
  return { ok: true, message: "Changes saved." };
}

export async function archiveProductAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(productIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const saved = await archiveProduct(await getDb(), admin, input.value, {
    now: new Date(),
  });
  if (!saved.ok) return formFailure(saved.error);
  catalogueChanged();
  return { ok: true, message: "Product archived." };
}

export async function restoreProductAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(productIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const saved = await restoreProduct(await getDb(), admin, input.value, {
    now: new Date(),
  });
  if (!saved.ok) return formFailure(saved.error);
  catalogueChanged();
  return { ok: true, message: "Product restored." };
}

export async function addPriceAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(priceInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await addPrice(
    await getDb(),
    admin,
    { ...input.value, currency: env().shop.currency },
    { now: new Date() },
  );
  if (!added.ok) return formFailure(added.error, form);
  catalogueChanged();
  return { ok: true, message: "Price added." };
}

export async function changePriceAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(priceChangeInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const changed = await changePrice(await getDb(), admin, input.value, {
    now: new Date(),
  });
  if (!changed.ok) return formFailure(changed.error, form);
  catalogueChanged();
  return { ok: true, message: "Price changed." };
}

export async function removePriceAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(priceIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const removed = await removePrice(await getDb(), admin, input.value, {
    now: new Date(),
  });
  if (!removed.ok) return formFailure(removed.error);
  catalogueChanged();
  return { ok: true, message: "Price removed." };
}

export async function setProductImageAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(productImageInput, form);
  if (!input.ok) return formFailure(input.error);
  const { productId, image } = input.value;
  const saved = await setProductImage(
    await getDb(),
    admin,
    {
      productId,
      file: {
        name: image.name,
        type: image.type,
        data: new Uint8Array(await image.arrayBuffer()),
      },
    },
    { now: new Date() },
  );
  if (!saved.ok) return formFailure(saved.error);
  catalogueChanged();
  return { ok: true, message: "Image saved." };
}
