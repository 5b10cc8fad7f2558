"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { TicketPriority } from "@/db/schema";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { PRIORITIES, PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  departments: Array<{ id: number; name: string }>;
  slaPlans: Array<{ id: number; name: string; isActive: boolean }>;
  /** The topic being edited; absent on the create form. */
  topic?: {
    id: number;
    name: string;
    departmentId: number;
    priority: TicketPriority;
    slaPlanId: number | null;
    isPublic: boolean;
    isActive: boolean;
  };
};

export function HelpTopicForm({ action, departments, slaPlans, topic }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    name: echoedValue(state, "name", topic?.name ?? ""),
    departmentId: echoedValue(
      state,
      "departmentId",
      topic ? String(topic.departmentId) : "",
    ),
    priority: echoedValue(state, "priority", topic?.priority ?? "normal"),
    slaPlanId: echoedValue(
      state,
      "slaPlanId",
      topic?.slaPlanId ? String(topic.slaPlanId) : "",
    ),
    isPublic: echoedChecked(state, "isPublic", topic?.isPublic ?? true),
    isActive: echoedChecked(state, "isActive", topic?.isActive ?? true),
  };
  const prefix = topic ? "topic" : "new-topic";
  return (
    // Keyed by what it shows, so a save or a failed submit re-renders every default (selects too).
    <FormFrame state={state} action={formAction} shown={shown} id={topic?.id}>
      <Field id={`${prefix}-name`} label="Name" errors={state.fields?.name}>
        {(aria) => (
          <Input {...aria} name="name" defaultValue={shown.name} required />
        )}
      </Field>
      <Field
        id={`${prefix}-department`}
        label="Department"
        errors={state.fields?.departmentId}
        hint="New tickets on this topic go to this department."
      >
        {(aria) => (
          <Select
            {...aria}
            name="departmentId"
            defaultValue={shown.departmentId}
            required
          >
            <option value="" disabled>
              Choose a department…
            </option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="grid gap-5 2xl:grid-cols-2">
        <Field
          id={`${prefix}-priority`}
          label="Priority"
          errors={state.fields?.priority}
        >
          {(aria) => (
            <Select {...aria} name="priority" defaultValue={shown.priority}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          id={`${prefix}-sla`}
          label="SLA plan"
          errors={state.fields?.slaPlanId}
        >
          {(aria) => (
            <Select {...aria} name="slaPlanId" defaultValue={shown.slaPlanId}>
              <option value="">Department default</option>
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
      </div>
      <Checkbox
        id={`${prefix}-public`}
        name="isPublic"
        label="Public"
        hint="Customers see it on the new-ticket form; otherwise only agents and the API use it."
        defaultChecked={shown.isPublic}
      />
      <Checkbox
        id={`${prefix}-active`}
        name="isActive"
        label="Active"
        hint="An inactive topic can't be chosen for new tickets; existing tickets keep it."
        defaultChecked={shown.isActive}
      />
      <SubmitButton pendingLabel="Saving…">
        {topic ? "Save changes" : "Create help topic"}
      </SubmitButton>
    </FormFrame>
  );
}
