"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

/** The cart's one checkout button; a refusal (Stripe down, a price changed) shows above it. */
export function CheckoutForm({
  action,
  label,
  pendingLabel,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  label: string;
  pendingLabel: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="space-y-3">
      {state.message && !state.ok ? <Alert>{state.message}</Alert> : null}
      <SubmitButton size="lg" className="w-full" pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}
