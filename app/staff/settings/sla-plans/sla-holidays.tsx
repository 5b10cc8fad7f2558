"use client";

import { useActionState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { FormFrame } from "@/components/ui/form-frame";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

type Props = {
  planId: number;
  timeZone: string;
  holidays: Array<{ id: number; day: string; name: string }>;
  add: Action;
  remove: Action;
};

/** The plan's holidays: whole days in its time zone on which the clock stands still. */
export function SlaHolidays({
  planId,
  timeZone,
  holidays,
  add,
  remove,
}: Props) {
  const [state, formAction] = useActionState(add, initialFormState);
  const shown = {
    day: echoedValue(state, "day", ""),
    name: echoedValue(state, "name", ""),
  };
  return (
    <div className="space-y-4">
      {holidays.length === 0 ? (
        <p className="text-sm text-slate-500">No holidays yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {holidays.map((h) => (
            <li
              key={h.id}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
            >
              <span className="min-w-0 text-sm break-words">
                <span className="font-mono text-slate-900">{h.day}</span>
                {h.name ? (
                  <span className="text-slate-600"> · {h.name}</span>
                ) : null}
              </span>
              <ActionButton
                action={remove}
                fields={{ planId: String(planId), holidayId: String(h.id) }}
                pendingLabel="Removing…"
              >
                Remove
              </ActionButton>
            </li>
          ))}
        </ul>
      )}
      <FormFrame state={state} action={formAction} shown={shown}>
        <input type="hidden" name="planId" value={planId} />
        <Field
          id="holiday-day"
          label="Day"
          errors={state.fields?.day}
          hint={`A whole day in ${timeZone}.`}
        >
          {(aria) => (
            <Input
              {...aria}
              name="day"
              type="date"
              defaultValue={shown.day}
              className="max-w-48"
            />
          )}
        </Field>
        <Field
          id="holiday-name"
          label="Name (optional)"
          errors={state.fields?.name}
        >
          {(aria) => (
            <Input
              {...aria}
              name="name"
              defaultValue={shown.name}
              maxLength={100}
              placeholder="New Year's Day"
            />
          )}
        </Field>
        <SubmitButton pendingLabel="Adding…">Add holiday</SubmitButton>
      </FormFrame>
    </div>
  );
}
