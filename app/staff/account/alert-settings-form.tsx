"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { echoedList, initialFormState, type FormState } from "@/lib/forms";
import {
  ALERT_KIND_TEXT,
  ALERT_KINDS,
  type AlertKind,
} from "@/lib/tickets/alert-kinds";

export function AlertSettingsForm({
  action,
  saved,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  saved: Record<AlertKind, boolean>;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const echoed = echoedList(state, "alerts");
  const on = (kind: AlertKind) =>
    echoed ? echoed.includes(kind) : saved[kind];
  return (
    <FormFrame
      state={state}
      action={formAction}
      shown={{ saved, echoed: echoed ?? null }}
    >
      <fieldset className="space-y-4">
        <legend className="mb-1 text-sm text-slate-600">Mail me when…</legend>
        {ALERT_KINDS.map((kind) => (
          <Checkbox
            key={kind}
            id={`alert-${kind}`}
            name="alerts"
            value={kind}
            label={ALERT_KIND_TEXT[kind].label}
            hint={ALERT_KIND_TEXT[kind].hint}
            defaultChecked={on(kind)}
          />
        ))}
      </fieldset>
      {state.fields?.alerts ? (
        <p className="text-sm text-red-700">{state.fields.alerts.join(" ")}</p>
      ) : null}
      <SubmitButton pendingLabel="Saving…">Save alert choices</SubmitButton>
    </FormFrame>
  );
}
