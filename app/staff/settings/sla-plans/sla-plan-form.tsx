"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { GRACE_PERIOD_MAX_HOURS } from "@/lib/helpdesk/schemas";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** The plan being edited; absent on the create form. */
  plan?: {
    id: number;
    name: string;
    gracePeriodHours: number;
    isActive: boolean;
  };
};

export function SlaPlanForm({ action, plan }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    name: echoedValue(state, "name", plan?.name ?? ""),
    gracePeriodHours: echoedValue(
      state,
      "gracePeriodHours",
      plan ? String(plan.gracePeriodHours) : "",
    ),
    isActive: echoedChecked(state, "isActive", plan?.isActive ?? true),
  };
  const prefix = plan ? "plan" : "new-plan";
  return (
    <FormFrame state={state} action={formAction} shown={shown} id={plan?.id}>
      <Field id={`${prefix}-name`} label="Name" errors={state.fields?.name}>
        {(aria) => (
          <Input {...aria} name="name" defaultValue={shown.name} required />
        )}
      </Field>
      <Field
        id={`${prefix}-grace`}
        label="Grace period (hours)"
        errors={state.fields?.gracePeriodHours}
        hint="How long after a ticket opens it becomes overdue. A whole number of hours."
      >
        {(aria) => (
          <Input
            {...aria}
            name="gracePeriodHours"
            type="number"
            inputMode="numeric"
            min={1}
            max={GRACE_PERIOD_MAX_HOURS}
            step={1}
            defaultValue={shown.gracePeriodHours}
            className="max-w-40"
            required
          />
        )}
      </Field>
      <Checkbox
        id={`${prefix}-active`}
        name="isActive"
        label="Active"
        hint="Inactive plans can't be chosen for departments or help topics any more."
        defaultChecked={shown.isActive}
      />
      <SubmitButton pendingLabel="Saving…">
        {plan ? "Save changes" : "Create SLA plan"}
      </SubmitButton>
    </FormFrame>
  );
}
