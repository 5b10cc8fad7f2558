"use client";

import { createContext, use, useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

// One answer for the whole table: a released message leaves its row (it is replaced by the row of
// what it became), so a per-row button would unmount before its answer could be read.

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

const ReleaseAction = createContext<((form: FormData) => void) | null>(null);

export function ReleaseArea({
  action,
  children,
}: {
  action: Action;
  children: ReactNode;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <div>
      {state.message ? (
        <div className="sticky top-2 z-10 mb-4">
          <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
        </div>
      ) : null}
      <ReleaseAction value={formAction}>{children}</ReleaseAction>
    </div>
  );
}

export function ReleaseButton({
  id,
  replay,
}: {
  id: string;
  /** A failed message is replayed; a held one is released. */
  replay: boolean;
}) {
  const formAction = use(ReleaseAction);
  if (!formAction) return null;
  return (
    <form action={formAction}>
      <input type="hidden" name="id" value={id} />
      <SubmitButton
        variant="secondary"
        size="sm"
        pendingLabel={replay ? "Replaying…" : "Releasing…"}
      >
        {replay ? "Replay" : "Release"}
      </SubmitButton>
    </form>
  );
}
