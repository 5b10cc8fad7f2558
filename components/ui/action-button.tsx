"use client";

import type { VariantProps } from "class-variance-authority";
import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { buttonVariants } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = VariantProps<typeof buttonVariants> & {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** Hidden fields that say what the button acts on. */
  fields: Record<string, string>;
  children: ReactNode;
  pendingLabel?: string;
  /** Asked in a browser dialog first, for changes that are hard to undo. */
  confirm?: string;
  /** Told the answer too: for a button whose row the answer removes, taking its message with it. */
  onAnswer?: (state: FormState) => void;
  /** The button's accessible name, for a button that shows only a symbol. */
  label?: string;
};

/** A one-button form (delete, deactivate, remove) that shows the action's answer beside it. */
export function ActionButton({
  action,
  fields,
  children,
  pendingLabel,
  confirm,
  onAnswer,
  label,
  variant = "secondary",
  size = "sm",
}: Props) {
  const [state, formAction] = useActionState(
    async (prev: FormState, form: FormData) => {
      const next = await action(prev, form);
      onAnswer?.(next);
      return next;
    },
    initialFormState,
  );
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
      className="flex flex-col items-start gap-2"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton
        variant={variant}
        size={size}
        pendingLabel={pendingLabel}
        aria-label={label}
      >
        {children}
      </SubmitButton>
      {state.message && !onAnswer ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
    </form>
  );
}
