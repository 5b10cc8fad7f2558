import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { log } from "@/lib/log";
import { fail, ok, type Result } from "@/lib/result";
import { describeStripeError, type StripeClient } from "@/lib/stripe/client";

/** A Stripe Billing Portal session for the viewer: cards, invoices, cancelling subscriptions. */
export async function openBillingPortal(
  db: Db,
  stripe: StripeClient | null,
  viewer: Viewer,
  returnUrl: string,
): Promise<Result<{ url: string }>> {
  if (!stripe)
    return fail("unavailable", "Online billing is not available right now.");
  const [row] = await db
    .select({ customerId: users.stripeCustomerId })
    .from(users)
    .where(eq(users.id, viewer.id));
  if (!row?.customerId)
    return fail(
      "not_found",
      "There is nothing to manage yet: billing opens once you have paid by card.",
    );
  try {
    return ok(
      await stripe.createBillingPortalSession({
        customerId: row.customerId,
        returnUrl,
      }),
    );
  } catch (error) {
    log.warn("stripe.billing_portal_failed", { userId: viewer.id, error });
    return fail("upstream_failed", describeStripeError(error).message);
  }
}
