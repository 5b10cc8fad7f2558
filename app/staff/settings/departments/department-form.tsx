"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { FormFrame } from "@/components/ui/form-frame";

export type SlaPlanOption = { id: number; name: string; isActive: boolean };

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  slaPlans: SlaPlanOption[];
  /** The department being edited; absent on the create form. */
  department?: {
    id: number;
    name: string;
    email: string | null;
    slaPlanId: number | null;
    isPublic: boolean;
    signature: string | null;
  };
};

export function DepartmentForm({ action, slaPlans, department }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    name: echoedValue(state, "name", department?.name ?? ""),
    email: echoedValue(state, "email", department?.email ?? ""),
    slaPlanId: echoedValue(
      state,
      "slaPlanId",
      department?.slaPlanId ? String(department.slaPlanId) : "",
    ),
    isPublic: echoedChecked(state, "isPublic", department?.isPublic ?? true),
    signature: echoedValue(state, "signature", department?.signature ?? ""),
  };
  const prefix = department ? "department" : "new-department";
  return (
    // Keyed by what it shows, so a save or a failed submit re-renders every default (selects too).
    <FormFrame state={state} action={formAction} shown={shown}>
      {department ? (
        <input type="hidden" name="id" value={department.id} />
      ) : null}
      <Field id={`${prefix}-name`} label="Name" errors={state.fields?.name}>
        {(aria) => (
          <Input {...aria} name="name" defaultValue={shown.name} required />
        )}
      </Field>
      <Field
        id={`${prefix}-email`}
        label="Email address"
        errors={state.fields?.email}
        hint="Replies to this department's tickets are sent from this address. Optional."
      >
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            defaultValue={shown.email}
          />
        )}
      </Field>
      <Field
        id={`${prefix}-sla`}
        label="Default SLA plan"
        errors={state.fields?.slaPlanId}
        hint="Used for new tickets whose help topic has no plan of its own."
      >
        {(aria) => (
          <Select {...aria} name="slaPlanId" defaultValue={shown.slaPlanId}>
            <option value="">No SLA plan</option>
            {slaPlans
              .filter((p) => p.isActive || String(p.id) === shown.slaPlanId)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.isActive ? "" : " (inactive)"}
                </option>
              ))}
          </Select>
        )}
      </Field>
      <Checkbox
        id={`${prefix}-public`}
        name="isPublic"
        label="Public"
        hint="Customers can choose it when they open a ticket."
        defaultChecked={shown.isPublic}
      />
      <Field
        id={`${prefix}-signature`}
        label="Signature"
        errors={state.fields?.signature}
        hint="Offered under replies from agents who have no signature of their own. {{agent.name}} and {{department.name}} are filled in. Optional."
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="signature"
            rows={3}
            dir="auto"
            defaultValue={shown.signature}
          />
        )}
      </Field>
      <SubmitButton pendingLabel="Saving…">
        {department ? "Save changes" : "Create department"}
      </SubmitButton>
    </FormFrame>
  );
}
