"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formatMoney } from "@/lib/format";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";
import { toMinorUnits } from "@/lib/orders/schemas";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  orderId: string;
  number: string;
  currency: string;
  /** Minor units still refundable. */
  refundable: number;
  /** How the money goes back, said under the button. */
  how: string;
};

/** An admin's refund: the amount starts at what is left, and the dialog names the amount again. */
export function RefundForm({
  action,
  orderId,
  number,
  currency,
  refundable,
  how,
}: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    amount: echoedValue(state, "amount", (refundable / 100).toFixed(2)),
    reason: echoedValue(state, "reason", ""),
  };
  const money = (minor: number) => formatMoney(minor, currency);

  return (
    <div className="space-y-4">
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      {refundable > 0 ? (
        <form
          key={JSON.stringify(shown)}
          action={formAction}
          noValidate
          onSubmit={(event) => {
            const typed = new FormData(event.currentTarget).get("amount");
            const amount =
              typeof typed === "string" ? toMinorUnits(typed) : null;
            // An amount that doesn't parse goes to the server, which says what is wrong with it.
            if (
              amount !== null &&
              amount > 0 &&
              !window.confirm(
                `Refund ${money(amount)} of order ${number}? This cannot be undone.`,
              )
            )
              event.preventDefault();
          }}
          className="space-y-4"
        >
          <input type="hidden" name="orderId" value={orderId} />
          <p className="text-sm text-slate-700">
            Refundable:{" "}
            <strong className="font-semibold">{money(refundable)}</strong>
          </p>
          <Field
            id="refund-amount"
            label={`Amount (${currency})`}
            errors={state.fields?.amount}
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
          <Field
            id="refund-reason"
            label="Reason (optional)"
            errors={state.fields?.reason}
          >
            {(aria) => (
              <Input
                {...aria}
                name="reason"
                maxLength={500}
                autoComplete="off"
                defaultValue={shown.reason}
              />
            )}
          </Field>
          <div>
            <SubmitButton size="sm" variant="danger" pendingLabel="Refunding…">
              Refund
            </SubmitButton>
            <p className="mt-1 text-xs text-slate-500">{how}</p>
          </div>
        </form>
      ) : (
        <p className="text-sm text-slate-500">Nothing is left to refund.</p>
      )}
    </div>
  );
}
