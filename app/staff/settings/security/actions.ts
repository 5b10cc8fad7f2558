"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { setStaffTwoFactorRequired } from "@/lib/auth/policy";
import { requireAdmin } from "@/lib/auth/session";
import { resetTwoFactor } from "@/lib/auth/two-factor";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";

const PAGE = "/staff/settings/security";

const policyInput = z.object({
  required: z.preprocess((v) => v === "on", z.boolean()),
});

export async function saveStaffPolicyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(policyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await setStaffTwoFactorRequired(
    await getDb(),
    admin,
    input.value.required,
  );
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath(PAGE);
  return {
    ok: true,
    message: input.value.required
      ? "Two-step sign-in is now required at the desk. Anyone without it is asked to set it up."
      : "Two-step sign-in is now optional at the desk.",
  };
}

const resetInput = z.object({ userId: z.uuid("Choose a person.") });

/** Clears someone's second factor: for agents here, and for customers from their record. */
export async function resetTwoFactorAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(resetInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const reset = await resetTwoFactor(db, admin, input.value.userId);
  if (!reset.ok) return formFailure(reset.error, form);
  deliverSoon(db);
  revalidatePath(PAGE);
  revalidatePath(`/staff/customers/${input.value.userId}`);
  return {
    ok: true,
    message: "Two-step sign-in was reset; they were told by mail.",
  };
}
