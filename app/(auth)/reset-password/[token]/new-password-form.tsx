"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { NewPasswordFields } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { PASSWORD_MIN } from "@/lib/auth/schemas";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  token: string;
};

export function NewPasswordForm({ action, token }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const tokenError = state.fields?.token;
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {tokenError ? <Alert>{tokenError.join(" ")}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <NewPasswordFields
        label="New password"
        confirmLabel="Repeat the new password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        errors={state.fields}
      />
      <SubmitButton className="w-full" pendingLabel="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}
