"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input, NewPasswordFields } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { PASSWORD_MIN } from "@/lib/auth/schemas";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
};

export function SetupForm({ action }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const v = state.values ?? {};
  const errors = state.fields ?? {};
  // A field error says it beside the field; anything else (already set up) goes on top.
  const general =
    state.message && !state.ok && !Object.keys(errors).length
      ? state.message
      : null;
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {general ? <Alert>{general}</Alert> : null}
      <Field
        id="token"
        label="Setup token"
        errors={errors.token}
        hint="32 letters and digits, printed by the server when it started."
      >
        {(aria) => (
          <Input
            {...aria}
            name="token"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            required
          />
        )}
      </Field>
      <Field id="name" label="Your name" errors={errors.name}>
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
      <Field id="email" label="Email address" errors={errors.email}>
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
      <NewPasswordFields
        label="Password"
        confirmLabel="Repeat the password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        errors={errors}
      />
      <Field
        id="companyName"
        label="Company name (optional)"
        errors={errors.companyName}
      >
        {(aria) => (
          <Input
            {...aria}
            name="companyName"
            autoComplete="organization"
            defaultValue={v.companyName}
          />
        )}
      </Field>
      <Field
        id="supportAddress"
        label="Support address (optional)"
        errors={errors.supportAddress}
        hint="Where customers write to you; it becomes the Support department's address."
      >
        {(aria) => (
          <Input
            {...aria}
            name="supportAddress"
            type="email"
            defaultValue={v.supportAddress}
          />
        )}
      </Field>
      <SubmitButton className="w-full" pendingLabel="Setting up…">
        Create administrator
      </SubmitButton>
    </form>
  );
}
