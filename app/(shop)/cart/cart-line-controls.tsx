"use client";

import { useActionState } from "react";
import { Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

/** Quantity (products only) and remove, for one cart line. */
export function CartLineControls({
  priceId,
  name,
  quantity,
  canChangeQuantity,
  setQuantityAction,
  removeAction,
}: {
  priceId: string;
  name: string;
  quantity: number;
  canChangeQuantity: boolean;
  setQuantityAction: Action;
  removeAction: Action;
}) {
  const [setState, setFormAction] = useActionState(
    setQuantityAction,
    initialFormState,
  );
  const [removeState, removeFormAction] = useActionState(
    removeAction,
    initialFormState,
  );
  const error =
    (!setState.ok &&
      (setState.fields?.quantity?.join(" ") ?? setState.message)) ||
    (!removeState.ok && removeState.message) ||
    null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {canChangeQuantity ? (
        <form action={setFormAction} className="flex items-center gap-2">
          <input type="hidden" name="priceId" value={priceId} />
          <label className="sr-only" htmlFor={`qty-${priceId}`}>
            Quantity of {name}
          </label>
          <Input
            id={`qty-${priceId}`}
            name="quantity"
            type="number"
            min={0}
            max={99}
            defaultValue={setState.values?.quantity ?? String(quantity)}
            aria-invalid={Boolean(setState.fields?.quantity)}
            className="w-20"
          />
          <SubmitButton variant="secondary" size="sm" pendingLabel="Saving…">
            Update
          </SubmitButton>
        </form>
      ) : null}
      <form action={removeFormAction}>
        <input type="hidden" name="priceId" value={priceId} />
        <SubmitButton variant="ghost" size="sm" pendingLabel="Removing…">
          Remove<span className="sr-only"> {name}</span>
        </SubmitButton>
      </form>
      {error ? (
        <p role="alert" className="w-full text-right text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
