"use client";

import { useActionState } from "react";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  echoedList,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { STAFF_ROLE_LABELS, STAFF_ROLES } from "@/lib/users/schemas";
import { DepartmentCheckboxes } from "./department-checkboxes";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  departments: Array<{ id: number; name: string }>;
};

export function InviteForm({ action, departments }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    name: echoedValue(state, "name", ""),
    email: echoedValue(state, "email", ""),
    role: echoedValue(state, "role", "agent"),
    departmentIds: echoedList(state, "departmentIds") ?? [],
  };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <Field id="invite-name" label="Name" errors={state.fields?.name}>
        {(aria) => (
          <Input
            {...aria}
            name="name"
            autoComplete="off"
            defaultValue={shown.name}
            required
          />
        )}
      </Field>
      <Field
        id="invite-email"
        label="Email address"
        errors={state.fields?.email}
        hint="The invitation goes here. It can't be a customer's address."
      >
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="off"
            defaultValue={shown.email}
            required
          />
        )}
      </Field>
      <Field
        id="invite-role"
        label="Role"
        errors={state.fields?.role}
        hint="Administrators also manage settings, agents and the outbox."
      >
        {(aria) => (
          <Select {...aria} name="role" defaultValue={shown.role}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {STAFF_ROLE_LABELS[r]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <DepartmentCheckboxes
        idPrefix="invite"
        departments={departments}
        checked={shown.departmentIds}
        errors={state.fields?.departmentIds}
      />
      <SubmitButton pendingLabel="Sending…">Send invitation</SubmitButton>
    </FormFrame>
  );
}
