"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  prices: Array<{ id: string; label: string; recurring: boolean }>;
  kind: "product" | "service";
  available: boolean;
};

/** The product page's buy box: a billing period (when there are several), a quantity for products. */
export function AddToCartForm({ action, prices, kind, available }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  if (!available)
    return (
      <p className="text-sm font-medium text-slate-600">
        Currently unavailable. Please check back soon.
      </p>
    );
  if (prices.length === 0) return null;
  const chosen = state.values?.priceId ?? prices[0]!.id;
  return (
    <form action={formAction} className="space-y-4">
      {prices.length > 1 ? (
        <fieldset>
          <legend className="text-sm font-medium text-slate-900">
            {kind === "service" ? "Billing period" : "Option"}
          </legend>
          <div className="mt-2 space-y-2">
            {prices.map((price) => (
              <label
                key={price.id}
                className="flex items-center gap-2 text-sm text-slate-800"
              >
                <input
                  type="radio"
                  name="priceId"
                  value={price.id}
                  defaultChecked={price.id === chosen}
                  className="size-4 text-indigo-600"
                />
                {price.label}
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <input type="hidden" name="priceId" value={prices[0]!.id} />
      )}
      {kind === "product" ? (
        <Field id="quantity" label="Quantity" errors={state.fields?.quantity}>
          {(aria) => (
            <Input
              {...aria}
              name="quantity"
              type="number"
              min={1}
              max={99}
              defaultValue={state.values?.quantity ?? "1"}
              className="w-24"
            />
          )}
        </Field>
      ) : null}
      <SubmitButton pendingLabel="Adding…">Add to cart</SubmitButton>
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>
          {state.message}{" "}
          {state.ok ? (
            <Link href="/cart" className="font-medium underline">
              View cart
            </Link>
          ) : null}
        </Alert>
      ) : null}
    </form>
  );
}
