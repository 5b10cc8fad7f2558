import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { EmptyState } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { getOrderIdForCheckoutSession } from "@/lib/orders/queries";

export const metadata: Metadata = { title: "Thank you" };

// Where Stripe sends the customer after paying. It proves nothing about payment (only the webhook
// does); it finds the order and shows it as it really is, waiting for the webhook if need be.
export default async function CheckoutSuccessPage({
  searchParams,
}: {
  searchParams: Promise<{ session_id?: string | string[] }>;
}) {
  const raw = (await searchParams).session_id;
  // Stripe's ids are plain ASCII; anything else cannot be one (and must not reach the database).
  const sessionId =
    typeof raw === "string" && /^cs_[A-Za-z0-9_]{1,250}$/.test(raw) ? raw : "";
  const viewer = await requireCustomer(
    `/checkout/success?session_id=${encodeURIComponent(sessionId)}`,
  );
  const orderId = sessionId
    ? await getOrderIdForCheckoutSession(await getDb(), viewer, sessionId)
    : null;
  if (orderId) redirect(`/orders/${orderId}?paid=1`);
  return (
    <div className="mx-auto max-w-xl px-4 py-16">
      <EmptyState title="We could not find that payment">
        If you just paid, your order is listed under{" "}
        <Link href="/orders" className="font-medium text-indigo-600">
          Orders
        </Link>{" "}
        and updates as soon as the payment is confirmed.
      </EmptyState>
    </div>
  );
}
