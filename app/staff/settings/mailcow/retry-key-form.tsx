"use client";

import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** Whether Portico has stopped calling Mailcow; `children` explain why. */
  isHalted: boolean;
  children: ReactNode;
};

/**
 * The stop on a refused key, with the one button that lifts it. Rendered whether or not the key is
 * stopped, so the answer to "Try again" stays on the page once the stop is gone.
 */
export function RetryKeyForm({ action, isHalted, children }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  if (!isHalted)
    return state.ok && state.message ? (
      <Alert tone="success">{state.message}</Alert>
    ) : null;
  return (
    <div
      role="alert"
      className="space-y-3 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200"
    >
      {children}
      <form action={formAction} className="space-y-3">
        <SubmitButton variant="secondary" size="sm" pendingLabel="Checking…">
          Try again
        </SubmitButton>
        {state.message ? (
          <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
        ) : null}
      </form>
    </div>
  );
}
