"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  departmentId: number;
  /** Active agents and admins not in the department yet. */
  candidates: Array<{ id: string; name: string; email: string }>;
};

export function AddMemberForm({ action, departmentId, candidates }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  if (candidates.length === 0)
    return (
      <p className="text-sm text-slate-500">
        Every active agent is already in this department.
      </p>
    );
  return (
    <form
      key={`${candidates.map((c) => c.id).join()}|${state.values?.userId ?? ""}`}
      action={formAction}
      className="space-y-3"
      noValidate
    >
      <input type="hidden" name="departmentId" value={departmentId} />
      <div className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <Field
            id="member-user"
            label="Add an agent"
            errors={state.fields?.userId}
          >
            {(aria) => (
              <Select
                {...aria}
                name="userId"
                defaultValue={state.values?.userId ?? ""}
              >
                <option value="">Choose an agent…</option>
                {candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.email})
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <SubmitButton variant="secondary" pendingLabel="Adding…">
          Add
        </SubmitButton>
      </div>
      {state.message && !state.ok && !state.fields ? (
        <Alert>{state.message}</Alert>
      ) : null}
    </form>
  );
}
