"use client";

import { useActionState, useState } from "react";
import { MailboxNameField } from "@/components/mailbox/mailbox-name-field";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { PASSWORD_MIN } from "@/lib/auth/schemas";
import { initialFormState, type FormState } from "@/lib/forms";
import { suggestMailboxName } from "@/lib/mailcow/schemas";
import { MAILBOX_PASSWORD_MIN } from "@/lib/mailcow/schemas";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** The mailbox domain when mailboxes are on; null hides the mailbox name. */
  mailboxDomain: string | null;
  callbackUrl?: string;
};

export function SignUpForm({ action, mailboxDomain, callbackUrl }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const v = state.values ?? {};
  const [person, setPerson] = useState({ name: "", email: "" });
  // Follows the name as it is typed, until the customer writes their own.
  const [mailboxName, setMailboxName] = useState<string | null>(null);
  const shownName =
    mailboxName ??
    v.mailboxName ??
    (person.name || person.email
      ? suggestMailboxName(person.name, person.email)
      : "");
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {state.message && !state.ok ? <Alert>{state.message}</Alert> : null}
      {callbackUrl ? (
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
      ) : null}
      <Field id="name" label="Full name" errors={state.fields?.name}>
        {(aria) => (
          <Input
            {...aria}
            name="name"
            autoComplete="name"
            defaultValue={v.name}
            onChange={(e) => setPerson((p) => ({ ...p, name: e.target.value }))}
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
            onChange={(e) =>
              setPerson((p) => ({ ...p, email: e.target.value }))
            }
            required
          />
        )}
      </Field>
      {mailboxDomain ? (
        <MailboxNameField
          domain={mailboxDomain}
          value={shownName}
          onChange={setMailboxName}
          errors={state.fields?.mailboxName}
        />
      ) : null}
      <Field
        id="password"
        label="Password"
        errors={state.fields?.password}
        hint={
          mailboxDomain
            ? `At least ${PASSWORD_MIN} characters. With ${MAILBOX_PASSWORD_MIN} or more it is your mailbox's first password too; otherwise you set one on the mailbox page.`
            : `At least ${PASSWORD_MIN} characters. A short phrase is easier to remember than symbols.`
        }
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
