"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { echoedValue, initialFormState, type FormState } from "@/lib/forms";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

type Props = {
  orderId: string;
  number: string;
  /** The order's total, formatted: the money a "mark paid" says has arrived. */
  total: string;
  statusLabel: string;
  canMarkPaid: boolean;
  canMarkFulfilled: boolean;
  canCancel: boolean;
  markPaidAction: Action;
  markFulfilledAction: Action;
  cancelAction: Action;
};

const OPERATIONS = ["paid", "fulfilled", "cancel"] as const;
type Operation = (typeof OPERATIONS)[number];

const isOperation = (v: unknown): v is Operation =>
  (OPERATIONS as readonly unknown[]).includes(v);

/**
 * An agent's changes to the order. One answer area for all of them, so the answer stays on screen
 * when the button that gave it goes away (a paid order has no "Mark paid").
 */
export function OrderActions({
  orderId,
  number,
  total,
  statusLabel,
  canMarkPaid,
  canMarkFulfilled,
  canCancel,
  markPaidAction,
  markFulfilledAction,
  cancelAction,
}: Props) {
  const [state, formAction] = useActionState(
    (prev: FormState, form: FormData) => {
      const operation = form.get("operation");
      const action: Record<Operation, Action> = {
        paid: markPaidAction,
        fulfilled: markFulfilledAction,
        cancel: cancelAction,
      };
      return isOperation(operation)
        ? action[operation](prev, form)
        : Promise.resolve(prev);
    },
    initialFormState,
  );
  const reason = echoedValue(state, "reason", "");
  const confirmed =
    (question: string) => (event: { preventDefault(): void }) => {
      if (!window.confirm(question)) event.preventDefault();
    };

  return (
    <div className="space-y-4">
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      {canMarkPaid ? (
        <form
          action={formAction}
          onSubmit={confirmed(
            `Mark order ${number} paid? Do this only once ${total} has arrived: the customer gets a receipt and an invoice.`,
          )}
        >
          <input type="hidden" name="orderId" value={orderId} />
          <input type="hidden" name="operation" value="paid" />
          <SubmitButton size="sm" pendingLabel="Marking paid…">
            Mark paid
          </SubmitButton>
          <p className="mt-1 text-xs text-slate-500">
            Once {total} has arrived outside the card checkout, say by bank
            transfer.
          </p>
        </form>
      ) : null}
      {canMarkFulfilled ? (
        <form action={formAction}>
          <input type="hidden" name="orderId" value={orderId} />
          <input type="hidden" name="operation" value="fulfilled" />
          <SubmitButton size="sm" pendingLabel="Marking fulfilled…">
            Mark fulfilled
          </SubmitButton>
        </form>
      ) : null}
      {canCancel ? (
        <form
          key={reason}
          action={formAction}
          onSubmit={confirmed(
            `Cancel order ${number}? The customer can no longer pay for it.`,
          )}
          className="space-y-3 border-t border-slate-100 pt-4"
        >
          <input type="hidden" name="orderId" value={orderId} />
          <input type="hidden" name="operation" value="cancel" />
          <Field
            id="cancel-reason"
            label="Reason for cancelling (optional)"
            errors={state.fields?.reason}
          >
            {(aria) => (
              <Input
                {...aria}
                name="reason"
                defaultValue={reason}
                maxLength={500}
                autoComplete="off"
              />
            )}
          </Field>
          <SubmitButton
            size="sm"
            variant="secondary"
            pendingLabel="Cancelling…"
          >
            Cancel order
          </SubmitButton>
        </form>
      ) : null}
      {!canMarkPaid && !canMarkFulfilled && !canCancel ? (
        <p className="text-sm text-slate-500">
          Nothing to change on an order that is{" "}
          {statusLabel.toLocaleLowerCase("en")}.
        </p>
      ) : null}
    </div>
  );
}
