"use client";

import { useActionState, useEffect, useRef } from "react";
import { AttachmentsField } from "@/components/tickets/attachments-field";
import { Alert } from "@/components/ui/alert";
import { Field, Textarea } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  number: string;
  reopens: boolean;
  maxBytes: number;
};

export function ReplyForm({ action, number, reopens, maxBytes }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const form = useRef<HTMLFormElement>(null);
  // After a successful send the box is emptied; after an error it keeps what was typed.
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="number" value={number} />
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      <Field
        id="message"
        label={reopens ? "Reply (this opens the ticket again)" : "Your reply"}
        errors={state.fields?.message}
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="message"
            rows={5}
            defaultValue={state.ok ? "" : state.values?.message}
            required
          />
        )}
      </Field>
      <AttachmentsField
        errors={state.fields?.attachments}
        maxBytes={maxBytes}
      />
      <SubmitButton pendingLabel="Sending…">Send reply</SubmitButton>
    </form>
  );
}
