"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { MAX_INTERVAL_COUNT } from "@/lib/catalog/schemas";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";
import { FormFrame } from "@/components/ui/form-frame";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

/** Another price for the product: one-off, or recurring every n months or years. */
export function AddPriceForm({
  action,
  productId,
  currency,
}: {
  action: Action;
  productId: string;
  currency: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    amount: echoedValue(state, "amount", ""),
    type: echoedValue(state, "type", "recurring"),
    interval: echoedValue(state, "interval", "month"),
    intervalCount: echoedValue(state, "intervalCount", "1"),
  };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <input type="hidden" name="productId" value={productId} />
      <PriceFields state={state} shown={shown} currency={currency} />
      <SubmitButton pendingLabel="Adding…" variant="secondary">
        Add price
      </SubmitButton>
    </FormFrame>
  );
}

// Its own component so the billing choice resets with the frame's remount after each answer.
function PriceFields({
  state,
  shown,
  currency,
}: {
  state: FormState;
  shown: {
    amount: string;
    type: string;
    interval: string;
    intervalCount: string;
  };
  currency: string;
}) {
  const [type, setType] = useState(shown.type);
  return (
    <>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field
          id="new-price-amount"
          label={`Amount (${currency})`}
          errors={state.fields?.amount}
          hint="Such as 12.50, tax included."
        >
          {(aria) => (
            <Input
              {...aria}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              defaultValue={shown.amount}
              required
            />
          )}
        </Field>
        <Field id="new-price-type" label="Billing" errors={state.fields?.type}>
          {(aria) => (
            <Select
              {...aria}
              name="type"
              value={type}
              onChange={(e) => setType(e.target.value)}
            >
              <option value="recurring">Recurring</option>
              <option value="one_time">One-off</option>
            </Select>
          )}
        </Field>
      </div>
      {type === "recurring" ? (
        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            id="new-price-count"
            label="Every"
            errors={state.fields?.intervalCount}
          >
            {(aria) => (
              <Input
                {...aria}
                name="intervalCount"
                type="number"
                min={1}
                max={MAX_INTERVAL_COUNT}
                defaultValue={shown.intervalCount}
              />
            )}
          </Field>
          <Field
            id="new-price-interval"
            label="Period"
            errors={state.fields?.interval}
          >
            {(aria) => (
              <Select {...aria} name="interval" defaultValue={shown.interval}>
                <option value="month">Month(s)</option>
                <option value="year">Year(s)</option>
              </Select>
            )}
          </Field>
        </div>
      ) : null}
    </>
  );
}

/**
 * A new amount for one price. The price is replaced by a new one with the same billing period;
 * orders already placed keep the old one.
 */
export function ChangePriceForm({
  action,
  priceId,
  label,
  amount,
}: {
  action: Action;
  priceId: string;
  /** The price as customers see it, such as "€5.90 / month". */
  label: string;
  /** The current amount as the field shows it, such as "5.90". */
  amount: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const id = `price-${priceId}-amount`;
  const errors = state.fields?.amount ?? state.fields?.priceId;
  return (
    <form action={formAction} className="space-y-2" noValidate>
      <input type="hidden" name="priceId" value={priceId} />
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label
            htmlFor={id}
            className="mb-1 block text-xs font-medium text-slate-600"
          >
            New amount<span className="sr-only"> for {label}</span>
          </label>
          <Input
            id={id}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            defaultValue={echoedValue(state, "amount", amount)}
            aria-invalid={Boolean(errors?.length)}
            aria-describedby={errors?.length ? `${id}-error` : undefined}
            className="w-28"
          />
        </div>
        <SubmitButton size="sm" variant="secondary" pendingLabel="Saving…">
          Change price<span className="sr-only"> {label}</span>
        </SubmitButton>
      </div>
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : state.message && !state.ok ? (
        <Alert tone="error">{state.message}</Alert>
      ) : null}
    </form>
  );
}
