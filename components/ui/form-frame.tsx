import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { FormState } from "@/lib/forms";

type Props = {
  state: FormState;
  action: (form: FormData) => void;
  /** What the fields show; a new value remounts them so their defaults follow the last answer. */
  shown: unknown;
  /** The record being edited, posted as `id`; absent on create forms. */
  id?: number | string;
  children: ReactNode;
};

/**
 * The frame forms share: the form, the action's answer, the edited record's id. Remounted when what
 * it shows changes, because React resets a form after its action and a select keeps only the value
 * it mounted with.
 */
export function FormFrame({ state, action, shown, id, children }: Props) {
  return (
    <form
      key={JSON.stringify(shown)}
      action={action}
      className="space-y-5"
      noValidate
    >
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      {id !== undefined ? <input type="hidden" name="id" value={id} /> : null}
      {children}
    </form>
  );
}
