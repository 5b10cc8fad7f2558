import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { getCart } from "@/lib/cart/cart";
import { cartOwnerOf } from "@/lib/cart/visitor";
import { env } from "@/lib/env";
import { formatMoney, formatPrice } from "@/lib/format";
import {
  checkoutAction,
  removeFromCartAction,
  setCartQuantityAction,
} from "./actions";
import { CartLineControls } from "./cart-line-controls";
import { CheckoutForm } from "./checkout-form";

export const metadata: Metadata = { title: "Your cart" };

export default async function CartPage({
  searchParams,
}: {
  searchParams: Promise<{ cancelled?: string }>;
}) {
  const viewer = await getViewer();
  const cart = await getCart(await getDb(), await cartOwnerOf(viewer));
  const cancelled = (await searchParams).cancelled === "1";
  const cardPayments = env().stripe !== null;
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <PageHeader title="Your cart" />
      {cancelled ? (
        <div className="mb-6">
          <Alert tone="info">
            Payment cancelled. Everything is still in your cart.
          </Alert>
        </div>
      ) : null}
      {cart.lines.length === 0 ? (
        <EmptyState title="Your cart is empty">
          <Link href="/products" className="font-medium text-indigo-600">
            Browse products and services
          </Link>
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
          <Card>
            <ul className="divide-y divide-slate-100">
              {cart.lines.map((line) => (
                <li
                  key={line.priceId}
                  className="grid gap-3 p-4 sm:grid-cols-[1fr_auto]"
                >
                  <div className="min-w-0">
                    <Link
                      href={`/products/${line.slug}`}
                      dir="auto"
                      className="font-medium [overflow-wrap:anywhere] text-slate-900 hover:text-indigo-600"
                    >
                      {line.name || "Unnamed product"}
                    </Link>
                    <p className="text-sm text-slate-600">
                      {formatPrice(line)}
                      {line.kind === "product" && line.quantity > 1
                        ? ` × ${line.quantity}`
                        : ""}
                      {" · "}
                      <span className="font-medium text-slate-900">
                        {formatMoney(line.lineAmount, line.currency)}
                      </span>
                    </p>
                    {line.problem ? (
                      <p className="mt-1 text-sm text-red-600">
                        {line.problem}
                      </p>
                    ) : null}
                  </div>
                  <CartLineControls
                    priceId={line.priceId}
                    name={line.name}
                    quantity={line.quantity}
                    canChangeQuantity={line.kind === "product"}
                    setQuantityAction={setCartQuantityAction}
                    removeAction={removeFromCartAction}
                  />
                </li>
              ))}
            </ul>
          </Card>
          <Card className="h-fit space-y-4 p-5">
            <h2 className="font-medium text-slate-900">Summary</h2>
            {cart.total ? (
              <p className="flex justify-between text-lg font-semibold text-slate-900">
                <span>Total</span>
                <span>
                  {formatMoney(cart.total.amount, cart.total.currency)}
                </span>
              </p>
            ) : null}
            <p className="text-xs text-slate-500">
              {env().stripe?.automaticTax
                ? "Tax is added at checkout where it applies."
                : "Prices include VAT."}{" "}
              Services renew automatically until you cancel them.
            </p>
            {cart.problems.length > 0 ? (
              <Alert>{cart.problems.join(" ")}</Alert>
            ) : null}
            {viewer && !isStaff(viewer) ? (
              <CheckoutForm
                action={checkoutAction}
                label={
                  cardPayments
                    ? "Check out and pay"
                    : "Place order (bank transfer)"
                }
                pendingLabel={
                  cardPayments ? "Opening payment…" : "Placing order…"
                }
              />
            ) : viewer ? (
              <p className="text-sm text-slate-600">
                Staff accounts cannot order. Sign in as a customer to check out.
              </p>
            ) : (
              <div className="space-y-2">
                <p className="text-sm text-slate-600">
                  Sign in or create an account to check out. Your cart comes
                  with you.
                </p>
                <ButtonLink
                  href="/sign-up?callbackUrl=%2Fcart"
                  className="w-full"
                >
                  Create an account
                </ButtonLink>
                <ButtonLink
                  href="/sign-in?callbackUrl=%2Fcart"
                  variant="secondary"
                  className="w-full"
                >
                  Sign in
                </ButtonLink>
              </div>
            )}
            {!cardPayments ? (
              <p className="text-xs text-slate-500">
                You pay by bank transfer: the order page shows our account
                details.
              </p>
            ) : null}
          </Card>
        </div>
      )}
    </div>
  );
}
