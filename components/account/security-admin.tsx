"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { echoedChecked, initialFormState, type FormState } from "@/lib/forms";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

export function StaffPolicyForm({
  action,
  required,
}: {
  action: Action;
  required: boolean;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = { required: echoedChecked(state, "required", required) };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <Checkbox
        id="staff-two-factor"
        name="required"
        label="Require two-step sign-in for every agent and administrator"
        hint="Anyone at the desk without it is taken to set it up before they can work. Customers choose for themselves."
        defaultChecked={shown.required}
      />
      <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
    </FormFrame>
  );
}

/** One button that acts on one person after a confirmation, with the answer beside it. */
function ConfirmedPersonAction({
  action,
  userId,
  question,
  label,
  pendingLabel,
  variant,
}: {
  action: Action;
  userId: string;
  question: string;
  label: string;
  pendingLabel: string;
  variant: "secondary" | "danger";
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        if (!window.confirm(question)) e.preventDefault();
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton size="sm" variant={variant} pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
      {state.message ? (
        <span
          role={state.ok ? "status" : "alert"}
          className={
            state.ok ? "text-sm text-green-700" : "text-sm text-red-700"
          }
        >
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

/** An administrator clears one person's second factor. */
export function ResetTwoFactorButton({
  action,
  userId,
  name,
}: {
  action: Action;
  userId: string;
  name: string;
}) {
  return (
    <ConfirmedPersonAction
      action={action}
      userId={userId}
      question={`Turn off two-step sign-in for ${name}? They will be told by mail.`}
      label="Reset two-step sign-in"
      pendingLabel="Resetting…"
      variant="secondary"
    />
  );
}

/** An administrator confirms a customer's request to close their account. */
export function CloseAccountButton({
  action,
  userId,
}: {
  action: Action;
  userId: string;
}) {
  return (
    <ConfirmedPersonAction
      action={action}
      userId={userId}
      question="Close this account? Their name, address and sign-in are removed; tickets and orders stay."
      label="Close the account"
      pendingLabel="Closing…"
      variant="danger"
    />
  );
}
