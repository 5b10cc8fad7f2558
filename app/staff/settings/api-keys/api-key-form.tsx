"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
};

export function ApiKeyForm({ action }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const v = state.values ?? {};
  return (
    <div className="space-y-4">
      {state.secret ? (
        <div
          role="status"
          className="space-y-2 rounded-md bg-green-50 p-4 ring-1 ring-green-200"
        >
          <p className="text-sm text-green-900">{state.message}</p>
          <label htmlFor="new-api-key" className="sr-only">
            New API key
          </label>
          <input
            id="new-api-key"
            readOnly
            value={state.secret}
            onFocus={(e) => e.currentTarget.select()}
            className="w-full rounded-md bg-white px-3 py-2 font-mono text-sm ring-1 ring-green-300"
          />
        </div>
      ) : state.message && !state.ok ? (
        <Alert>{state.message}</Alert>
      ) : null}
      <form
        action={formAction}
        className="space-y-4"
        noValidate
        key={state.secret ?? "form"}
      >
        <Field
          id="ipAddress"
          label="Caller's IP address"
          errors={state.fields?.ipAddress}
          hint="The key works only from this one address, as in osTicket."
        >
          {(aria) => (
            <Input
              {...aria}
              name="ipAddress"
              defaultValue={v.ipAddress}
              placeholder="203.0.113.7"
              required
            />
          )}
        </Field>
        <Field id="notes" label="Notes" errors={state.fields?.notes}>
          {(aria) => (
            <Input
              {...aria}
              name="notes"
              defaultValue={v.notes}
              placeholder="Who uses it, and for what"
            />
          )}
        </Field>
        <Checkbox
          id="isActive"
          name="isActive"
          label="Active"
          defaultChecked={v.isActive === undefined ? true : v.isActive === "on"}
        />
        <Checkbox
          id="canCreateTickets"
          name="canCreateTickets"
          label="Can create tickets"
          defaultChecked={
            v.canCreateTickets === undefined
              ? true
              : v.canCreateTickets === "on"
          }
        />
        <SubmitButton pendingLabel="Creating…">Create API key</SubmitButton>
      </form>
    </div>
  );
}
