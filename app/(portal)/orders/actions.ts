"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { formFailure, type FormState } from "@/lib/forms";
import { checkoutDepsFromEnv, payOrder } from "@/lib/orders/checkout";
import { orderIdParam } from "@/lib/orders/schemas";

/** Pays an unpaid card order again (its payment page expired, or the payment failed). */
export async function payOrderAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const id = orderIdParam.safeParse(form.get("orderId"));
  const viewer = await requireCustomer(
    id.success ? `/orders/${id.data}` : "/orders",
  );
  if (!id.success)
    return formFailure({ code: "not_found", message: "Order not found." });
  const paid = await payOrder(
    await getDb(),
    viewer,
    id.data,
    checkoutDepsFromEnv(new Date()),
  );
  if (!paid.ok) return formFailure(paid.error);
  redirect(paid.value.url);
}
