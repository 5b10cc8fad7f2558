"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

export function PayButton({
  action,
  orderId,
  label,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  orderId: string;
  label: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="orderId" value={orderId} />
      {state.message && !state.ok ? <Alert>{state.message}</Alert> : null}
      <SubmitButton pendingLabel="Opening payment…">{label}</SubmitButton>
    </form>
  );
}
