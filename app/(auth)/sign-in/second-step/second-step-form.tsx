"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

export function SecondStepForm({
  action,
  callbackUrl,
  method,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  callbackUrl: string;
  method: "totp" | "sms";
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const [recovery, setRecovery] = useState(false);
  const label = recovery
    ? "Recovery code"
    : method === "sms"
      ? "Code from the text message"
      : "Code from your authenticator app";
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {state.message && !state.fields ? <Alert>{state.message}</Alert> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        id="code"
        label={label}
        errors={state.fields?.code}
        hint={
          recovery
            ? "One of the ten codes you saved when you set this up. Each works once."
            : "Six digits. A new one appears every 30 seconds."
        }
      >
        {(aria) => (
          <Input
            {...aria}
            key={String(recovery)}
            name="code"
            autoComplete="one-time-code"
            inputMode={recovery ? "text" : "numeric"}
            autoFocus
            required
          />
        )}
      </Field>
      <SubmitButton className="w-full" pendingLabel="Checking…">
        Sign in
      </SubmitButton>
      <button
        type="button"
        onClick={() => setRecovery(!recovery)}
        className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
      >
        {recovery ? "Use a code from your app instead" : "Use a recovery code"}
      </button>
    </form>
  );
}

/** For codes by text: a new code, when the first did not arrive. */
export function ResendCodeForm({
  action,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="mt-4 space-y-2 text-sm">
      <SubmitButton size="sm" variant="secondary" pendingLabel="Sending…">
        Text me a new code
      </SubmitButton>
      {state.message ? (
        <p role={state.ok ? "status" : "alert"} className="text-slate-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
