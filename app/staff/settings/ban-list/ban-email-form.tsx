"use client";

import { useActionState } from "react";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
};

export function BanEmailForm({ action }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    email: echoedValue(state, "email", ""),
    notes: echoedValue(state, "notes", ""),
  };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <Field
        id="ban-email"
        label="Email address"
        errors={state.fields?.email}
        hint="One whole address; capitals don't matter."
      >
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="off"
            defaultValue={shown.email}
            placeholder="name@example.com"
            required
          />
        )}
      </Field>
      <Field id="ban-notes" label="Notes" errors={state.fields?.notes}>
        {(aria) => (
          <Input
            {...aria}
            name="notes"
            defaultValue={shown.notes}
            placeholder="Why it is banned"
            maxLength={500}
          />
        )}
      </Field>
      <SubmitButton pendingLabel="Banning…">Ban address</SubmitButton>
    </FormFrame>
  );
}
