"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { PASSWORD_MIN } from "@/lib/auth/schemas";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
};

export function SignUpForm({ action }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const v = state.values ?? {};
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {state.message && !state.ok ? <Alert>{state.message}</Alert> : null}
      <Field id="name" label="Full name" errors={state.fields?.name}>
        {(aria) => (
          <Input
            {...aria}
            name="name"
            autoComplete="name"
            defaultValue={v.name}
            required
          />
        )}
      </Field>
      <Field id="email" label="Email address" errors={state.fields?.email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={v.email}
            required
          />
        )}
      </Field>
      <Field
        id="password"
        label="Password"
        errors={state.fields?.password}
        hint={`At least ${PASSWORD_MIN} characters. A short phrase is easier to remember than symbols.`}
      >
        {(aria) => (
          <Input
            {...aria}
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN}
            required
          />
        )}
      </Field>
      <SubmitButton className="w-full" pendingLabel="Creating your account…">
        Create account
      </SubmitButton>
    </form>
  );
}
