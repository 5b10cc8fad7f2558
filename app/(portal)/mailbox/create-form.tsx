"use client";

import { useActionState, useState } from "react";
import { MailboxNameField } from "@/components/mailbox/mailbox-name-field";
import { Alert } from "@/components/ui/alert";
import { NewPasswordFields } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  domain: string;
  suggestion: string;
  hint: string;
};

export function CreateMailboxForm({ action, domain, suggestion, hint }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const [name, setName] = useState<string | null>(null);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.message && !state.ok ? <Alert>{state.message}</Alert> : null}
      <MailboxNameField
        domain={domain}
        value={name ?? state.values?.mailboxName ?? suggestion}
        onChange={setName}
        errors={state.fields?.mailboxName}
      />
      <NewPasswordFields
        label="Mailbox password"
        confirmLabel="Mailbox password, again"
        hint={hint}
        errors={state.fields}
      />
      <SubmitButton pendingLabel="Creating your mailbox…">
        Create mailbox
      </SubmitButton>
    </form>
  );
}
