"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { formFailure, type FormState } from "@/lib/forms";
import { openBillingPortal } from "@/lib/orders/billing-portal";
import { stripeFromEnv } from "@/lib/stripe/from-env";
import { env } from "@/lib/env";

export async function openBillingPortalAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  void form;
  const viewer = await requireCustomer("/services");
  const portal = await openBillingPortal(
    await getDb(),
    stripeFromEnv(),
    viewer,
    `${env().appUrl}/services`,
  );
  if (!portal.ok) return formFailure(portal.error);
  redirect(portal.value.url);
}
