"use client";

import { useActionState } from "react";
import { Field, Textarea } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";

export function SignatureForm({
  action,
  saved,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  saved: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = { signature: echoedValue(state, "signature", saved) };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <Field
        id="agent-signature"
        label="Your signature"
        errors={state.fields?.signature}
        hint="Offered under your replies, where you can still change it. {{agent.name}} and {{department.name}} are filled in. Leave it empty to use your department's."
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="signature"
            rows={4}
            dir="auto"
            defaultValue={shown.signature}
          />
        )}
      </Field>
      <SubmitButton pendingLabel="Saving…">Save signature</SubmitButton>
    </FormFrame>
  );
}
