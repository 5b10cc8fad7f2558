"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

/** "Manage billing": opens Stripe's Billing Portal; a refusal shows under the button. */
export function BillingPortalButton({
  action,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col items-end gap-2">
      <SubmitButton variant="secondary" pendingLabel="Opening…">
        Manage billing
      </SubmitButton>
      {state.message && !state.ok ? (
        <p role="alert" className="text-sm text-red-600">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
