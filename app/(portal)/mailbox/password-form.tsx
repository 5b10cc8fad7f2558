"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input, NewPasswordFields } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** The live rules in words (mailboxPasswordHint). */
  hint: string;
};

export function MailboxPasswordForm({ action, hint }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    // A successful change resets the form: the fields must not keep the password.
    <form action={formAction} className="space-y-4" noValidate>
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      <NewPasswordFields
        label="New mailbox password"
        confirmLabel="New mailbox password, again"
        hint={hint}
        errors={state.fields}
      />
      <Field
        id="currentPassword"
        label="Your portal password"
        errors={state.fields?.currentPassword}
        hint="The one you sign in to this portal with: it confirms the change is yours."
      >
        {(aria) => (
          <Input
            {...aria}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
        )}
      </Field>
      <SubmitButton pendingLabel="Changing the password…">
        Change mailbox password
      </SubmitButton>
    </form>
  );
}
