"use client";

import { useActionState, type ComponentProps, type ReactNode } from "react";
import { Input } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

/**
 * The workspace's one-field "add" forms (a CC address, a tag): the value stays after a refusal,
 * with the field's error under it, and empties once added.
 */
export function AddOneForm({
  number,
  action,
  name,
  label,
  button,
  input,
  children,
}: {
  number: string;
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** The field's name, also its id's stem. */
  name: string;
  label: string;
  button: string;
  input?: ComponentProps<typeof Input>;
  /** Extra markup inside the form, e.g. a datalist. */
  children?: ReactNode;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const id = `add-${name}`;
  const errors = state.fields?.[name];
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <input type="hidden" name="number" value={number} />
      <div className="space-y-1">
        <label htmlFor={id} className="text-sm text-slate-700">
          {label}
        </label>
        <div className="flex gap-2">
          <Input
            {...input}
            id={id}
            name={name}
            autoComplete="off"
            defaultValue={state.ok ? "" : (state.values?.[name] ?? "")}
            aria-invalid={Boolean(errors?.length)}
            aria-describedby={errors ? `${id}-error` : undefined}
          />
          <SubmitButton
            size="md"
            variant="secondary"
            pendingLabel="Adding…"
            className="shrink-0 whitespace-nowrap"
          >
            {button}
          </SubmitButton>
        </div>
        {children}
        {errors ? (
          <p id={`${id}-error`} className="text-xs text-red-700">
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
    </FormFrame>
  );
}
