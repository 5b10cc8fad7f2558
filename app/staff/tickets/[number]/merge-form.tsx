"use client";

import { useActionState } from "react";
import { Select } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  number: string;
  targets: Array<{ number: string; label: string }>;
};

/** Merge this ticket into another of the customer's: asked once more, since it cannot be undone. */
export function MergeForm({ action, number, targets }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <input type="hidden" name="number" value={number} />
      <div className="space-y-1">
        <label htmlFor="target" className="text-sm text-slate-700">
          Merge this ticket into
        </label>
        <Select
          id="target"
          name="target"
          defaultValue={state.values?.target ?? ""}
          aria-invalid={Boolean(state.fields?.target?.length)}
          aria-describedby={state.fields?.target ? "target-error" : undefined}
        >
          <option value="" disabled>
            Choose a ticket…
          </option>
          {targets.map((t) => (
            <option key={t.number} value={t.number}>
              {t.label}
            </option>
          ))}
        </Select>
        {state.fields?.target ? (
          <p id="target-error" className="text-xs text-red-700">
            {state.fields.target.join(" ")}
          </p>
        ) : null}
      </div>
      <p className="text-xs text-slate-600">
        Its messages, files and CC addresses move there, and this ticket is
        closed with a link to it. This cannot be undone.
      </p>
      <SubmitButton
        size="sm"
        variant="secondary"
        className="w-full"
        pendingLabel="Merging…"
        onClick={(event) => {
          if (
            !window.confirm(
              `Merge #${number} into the chosen ticket? This cannot be undone.`,
            )
          )
            event.preventDefault();
        }}
      >
        Merge
      </SubmitButton>
    </FormFrame>
  );
}
