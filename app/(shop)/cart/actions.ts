"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { getViewer, requireCustomer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { addToCart, removeFromCart, setCartQuantity } from "@/lib/cart/cart";
import {
  addToCartInput,
  removeFromCartInput,
  setCartQuantityInput,
} from "@/lib/cart/schemas";
import { cartOwnerOf, rememberVisitorCart } from "@/lib/cart/visitor";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { checkout, checkoutDepsFromEnv } from "@/lib/orders/checkout";
import { fail } from "@/lib/result";

// The cart is open to signed-out visitors (their cart lives behind a cookie and joins their
// account when they sign in); staff have no cart. Checkout needs a customer.

const STAFF_HAVE_NO_CART = fail(
  "forbidden",
  "Staff accounts cannot order; sign in as a customer.",
).error;

export async function addToCartAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await getViewer();
  if (viewer && isStaff(viewer)) return formFailure(STAFF_HAVE_NO_CART);
  const input = parseForm(addToCartInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await addToCart(
    await getDb(),
    await cartOwnerOf(viewer),
    input.value,
  );
  if (!added.ok) return formFailure(added.error, form);
  if (!viewer) await rememberVisitorCart(added.value.cartId);
  revalidatePath("/", "layout");
  return { ok: true, message: "Added to your cart." };
}

export async function setCartQuantityAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await getViewer();
  if (viewer && isStaff(viewer)) return formFailure(STAFF_HAVE_NO_CART);
  const input = parseForm(setCartQuantityInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const set = await setCartQuantity(
    await getDb(),
    await cartOwnerOf(viewer),
    input.value,
  );
  if (!set.ok) return formFailure(set.error, form);
  revalidatePath("/", "layout");
  return { ok: true, message: "Cart updated." };
}

export async function removeFromCartAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await getViewer();
  if (viewer && isStaff(viewer)) return formFailure(STAFF_HAVE_NO_CART);
  const input = parseForm(removeFromCartInput, form);
  if (!input.ok) return formFailure(input.error, form);
  await removeFromCart(
    await getDb(),
    await cartOwnerOf(viewer),
    input.value.priceId,
  );
  revalidatePath("/", "layout");
  return { ok: true, message: "Removed." };
}

export async function checkoutAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  void form;
  const viewer = await requireCustomer("/cart");
  const db = await getDb();
  const done = await checkout(db, viewer, checkoutDepsFromEnv(new Date()));
  if (!done.ok) return formFailure(done.error);
  deliverSoon(db);
  revalidatePath("/", "layout");
  if (done.value.kind === "redirect") redirect(done.value.url);
  redirect(`/orders/${done.value.orderId}?placed=1`);
}
