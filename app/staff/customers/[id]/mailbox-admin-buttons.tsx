"use client";

import { useActionState, useState } from "react";
import type { Mailbox } from "@/db/schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import type { MailboxOperation } from "@/lib/customers/schemas";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  mailboxId: string;
  address: string;
  status: Mailbox["status"];
  /** Mailcow has no such mailbox any more, though Portico has it as created. */
  isMissing?: boolean;
};

const BUTTONS: Record<Mailbox["status"], MailboxOperation[]> = {
  pending: ["retry"],
  failed: ["retry", "delete"],
  active: ["suspend", "delete"],
  suspended: ["reactivate", "delete"],
  deleted: [],
};

// An active mailbox Mailcow no longer has: "retry" creates it again.
const MISSING_BUTTONS: MailboxOperation[] = ["retry", "delete"];
const RECREATE = { label: "Recreate", pending: "Recreating…" };

const LABELS: Record<MailboxOperation, { label: string; pending: string }> = {
  retry: { label: "Retry now", pending: "Retrying…" },
  suspend: { label: "Suspend", pending: "Suspending…" },
  reactivate: { label: "Re-activate", pending: "Re-activating…" },
  delete: { label: "Delete", pending: "Deleting…" },
};

// Hard to undo, so they ask first: a suspended mailbox refuses mail, a deleted one loses it.
const CONFIRM: Partial<
  Record<
    MailboxOperation,
    (address: string, status: Mailbox["status"]) => string
  >
> = {
  suspend: (a) =>
    `Suspend ${a}? The customer can no longer sign in, and mail sent to it is refused until it is re-activated.`,
  delete: (a, status) =>
    status === "failed"
      ? `Close the failed mailbox ${a}? It was never created in Mailcow, so nothing is removed there.`
      : `Delete ${a}? The mailbox and all its mail are removed from Mailcow. This cannot be undone from Portico.`,
};

/** An admin's buttons on the customer's mailbox card, with one answer area that survives a refresh. */
export function MailboxAdminButtons({
  action,
  mailboxId,
  address,
  status,
  isMissing = false,
}: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  // The question belongs to the answer it was asked after, so a new answer closes it.
  const [asking, setAsking] = useState<{
    operation: MailboxOperation;
    after: FormState;
  } | null>(null);
  const confirming = asking?.after === state ? asking.operation : null;
  const labelOf = (operation: MailboxOperation) =>
    isMissing && operation === "retry" ? RECREATE : LABELS[operation];
  const question = confirming ? CONFIRM[confirming] : undefined;

  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="mailboxId" value={mailboxId} />
      {confirming && question ? (
        <div className="space-y-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <p>{question(address, status)}</p>
          <div className="flex flex-wrap gap-2">
            <SubmitButton
              name="operation"
              value={confirming}
              variant="danger"
              size="sm"
              pendingLabel={labelOf(confirming).pending}
            >
              Yes, {labelOf(confirming).label.toLowerCase()}
            </SubmitButton>
            <Button
              type="button"
              variant="secondary"
              size="sm"
              onClick={() => setAsking(null)}
            >
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          {(isMissing && status === "active"
            ? MISSING_BUTTONS
            : BUTTONS[status]
          ).map((operation) =>
            CONFIRM[operation] ? (
              <Button
                key={operation}
                type="button"
                variant="secondary"
                size="sm"
                onClick={() => setAsking({ operation, after: state })}
              >
                {labelOf(operation).label}…
              </Button>
            ) : (
              <SubmitButton
                key={operation}
                name="operation"
                value={operation}
                variant="secondary"
                size="sm"
                pendingLabel={labelOf(operation).pending}
              >
                {labelOf(operation).label}
              </SubmitButton>
            ),
          )}
        </div>
      )}
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
    </form>
  );
}
