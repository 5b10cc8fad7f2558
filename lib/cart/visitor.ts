import "server-only";
import { cookies } from "next/headers";
import type { CartOwner } from "@/lib/cart/cart";
import type { Viewer } from "@/lib/auth/viewer";
import { env } from "@/lib/env";

// The one place that knows how a signed-out visitor's cart is kept: its id in an HTTP-only cookie.
// Like lib/auth/session.ts, it reads request cookies, so only entry points call it.

const COOKIE = "portico_cart";
const MAX_AGE = 60 * 60 * 24 * 60;

export async function visitorCartId(): Promise<string | undefined> {
  return (await cookies()).get(COOKIE)?.value;
}

/** The cart a request works on: the account's when signed in, else the cookie's. */
export async function cartOwnerOf(viewer: Viewer | null): Promise<CartOwner> {
  return viewer ? { userId: viewer.id } : { cartId: await visitorCartId() };
}

/** Remembers a visitor's new cart (server actions and route handlers only). */
export async function rememberVisitorCart(cartId: string): Promise<void> {
  (await cookies()).set(COOKIE, cartId, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().appUrl.startsWith("https:"),
    path: "/",
    maxAge: MAX_AGE,
  });
}

export async function forgetVisitorCart(): Promise<void> {
  (await cookies()).delete(COOKIE);
}
