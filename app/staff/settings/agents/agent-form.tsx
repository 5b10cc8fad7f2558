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
import {
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  type StaffRole,
} from "@/lib/users/schemas";
import { DepartmentCheckboxes } from "./department-checkboxes";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  departments: Array<{ id: number; name: string }>;
  agent: {
    id: string;
    name: string;
    email: string;
    role: StaffRole;
    departmentIds: number[];
  };
};

export function AgentForm({ action, departments, agent }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    name: echoedValue(state, "name", agent.name),
    role: echoedValue(state, "role", agent.role),
    departmentIds:
      echoedList(state, "departmentIds") ?? agent.departmentIds.map(String),
  };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <input type="hidden" name="id" value={agent.id} />
      <Field id="agent-name" label="Name" errors={state.fields?.name}>
        {(aria) => (
          <Input {...aria} name="name" defaultValue={shown.name} required />
        )}
      </Field>
      <Field
        id="agent-email"
        label="Email address"
        hint="The address they sign in with; it can't be changed here."
      >
        {(aria) => <Input {...aria} value={agent.email} readOnly disabled />}
      </Field>
      <Field id="agent-role" label="Role" errors={state.fields?.role}>
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
        idPrefix="agent"
        departments={departments}
        checked={shown.departmentIds}
        errors={state.fields?.departmentIds}
      />
      <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
    </FormFrame>
  );
}
