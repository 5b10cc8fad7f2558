"use client";

import { useActionState, useState } from "react";
import { FormFrame } from "@/components/ui/form-frame";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  WEEKDAY_LABELS,
  WEEKDAYS,
  type BusinessHours,
} from "@/lib/helpdesk/business-hours";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";
import { HOURS_SLOTS, slotField } from "@/lib/helpdesk/sla-plan-schemas";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  plan: { id: number; timeZone: string; businessHours: BusinessHours | null };
  /** The IANA zones the server knows, for the time zone's suggestions. */
  timeZones: string[];
};

const DEFAULT_SLOT = { start: "09:00", end: "17:00" };

/** Round the clock, or working hours per weekday in a time zone; the clock counts only those. */
export function SlaHoursForm({ action, plan, timeZones }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const savedMode = plan.businessHours ? "hours" : "always";
  const saved = (
    day: (typeof WEEKDAYS)[number],
    slot: number,
    end: "start" | "end",
  ) => {
    if (plan.businessHours) return plan.businessHours[day][slot]?.[end] ?? "";
    // Round the clock today: offer office hours on weekdays as the starting point.
    return slot === 0 && !["sat", "sun"].includes(day) ? DEFAULT_SLOT[end] : "";
  };
  const shown = {
    mode: echoedValue(state, "mode", savedMode),
    timeZone: echoedValue(state, "timeZone", plan.timeZone),
    slots: Object.fromEntries(
      WEEKDAYS.flatMap((day) =>
        Array.from({ length: HOURS_SLOTS }, (_, slot) =>
          (["start", "end"] as const).map((end) => {
            const name = slotField(day, slot, end);
            return [name, echoedValue(state, name, saved(day, slot, end))];
          }),
        ).flat(),
      ),
    ),
  };
  const [mode, setMode] = useState(shown.mode);
  const errors = state.fields ?? {};
  return (
    <FormFrame state={state} action={formAction} shown={shown} id={plan.id}>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-900">
          When the clock runs
        </legend>
        {(
          [
            ["always", "Round the clock (24/7)"],
            ["hours", "Business hours only"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="mode"
              value={value}
              defaultChecked={shown.mode === value}
              onChange={() => setMode(value)}
              className="size-4 text-indigo-600"
            />
            {label}
          </label>
        ))}
        {errors.mode ? (
          <p className="text-sm text-red-600">{errors.mode.join(" ")}</p>
        ) : null}
      </fieldset>
      <Field
        id="sla-time-zone"
        label="Time zone"
        errors={errors.timeZone}
        hint="An IANA zone such as Europe/Berlin. Hours and holidays are read in it."
      >
        {(aria) => (
          <>
            <Input
              {...aria}
              name="timeZone"
              defaultValue={shown.timeZone}
              list="sla-time-zones"
              autoComplete="off"
              className="max-w-72"
            />
            <datalist id="sla-time-zones">
              {timeZones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <fieldset
        className={mode === "hours" ? "space-y-3" : "space-y-3 opacity-60"}
        aria-describedby="sla-hours-hint"
      >
        <legend className="text-sm font-medium text-slate-900">
          Working hours
        </legend>
        <p id="sla-hours-hint" className="text-xs text-slate-500">
          24-hour times (HH:MM); leave a pair empty when unused. An interval
          ends on its own day: split a night shift at midnight (22:00–24:00,
          then 00:00–06:00 the next day).
        </p>
        {errors.hours ? (
          <p className="text-sm text-red-600">{errors.hours.join(" ")}</p>
        ) : null}
        {WEEKDAYS.map((day) => {
          const dayErrors = [
            ...(errors[day] ?? []),
            ...Array.from({ length: HOURS_SLOTS }, (_, slot) =>
              (["start", "end"] as const).flatMap(
                (end) => errors[slotField(day, slot, end)] ?? [],
              ),
            ).flat(),
          ];
          return (
            <div key={day} className="space-y-1">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                <span className="w-10 text-sm font-medium text-slate-700">
                  {WEEKDAY_LABELS[day]}
                </span>
                {Array.from({ length: HOURS_SLOTS }, (_, slot) => (
                  <span key={slot} className="flex items-center gap-1">
                    {(["start", "end"] as const).map((end, n) => {
                      const name = slotField(day, slot, end);
                      return (
                        <span key={end} className="flex items-center gap-1">
                          {n === 1 ? (
                            <span aria-hidden className="text-slate-400">
                              –
                            </span>
                          ) : null}
                          <Input
                            name={name}
                            aria-label={`${WEEKDAY_LABELS[day]} interval ${slot + 1} ${end}`}
                            aria-invalid={Boolean(errors[name]?.length)}
                            defaultValue={shown.slots[name]}
                            placeholder={end === "start" ? "09:00" : "17:00"}
                            inputMode="numeric"
                            maxLength={5}
                            className="w-20 text-center"
                          />
                        </span>
                      );
                    })}
                  </span>
                ))}
              </div>
              {dayErrors.length ? (
                <p className="text-sm text-red-600">
                  {[...new Set(dayErrors)].join(" ")}
                </p>
              ) : null}
            </div>
          );
        })}
      </fieldset>
      <SubmitButton pendingLabel="Saving…">Save working hours</SubmitButton>
    </FormFrame>
  );
}
