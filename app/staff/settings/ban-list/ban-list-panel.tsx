"use client";

import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import type { FormState } from "@/lib/forms";
import { BanEmailForm } from "./ban-email-form";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;
type Row = { id: number; email: string; notes: string; added: string };

/**
 * The list and the form as one, so a removal's answer outlives its row (which the answer removes)
 * and the form's last "…is now banned" does not linger above a list that no longer holds it.
 */
export function BanListPanel({
  rows,
  banAction,
  unbanAction,
}: {
  rows: Row[];
  banAction: Action;
  unbanAction: Action;
}) {
  const [removal, setRemoval] = useState<FormState | null>(null);
  const [removals, setRemovals] = useState(0);
  return (
    <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_26rem]">
      <div className="min-w-0 space-y-4">
        {removal?.message ? (
          <div role="status">
            <Alert tone={removal.ok ? "success" : "error"}>
              {removal.message}
            </Alert>
          </div>
        ) : null}
        {rows.length === 0 ? (
          <EmptyState title="No banned addresses">
            Add an address with the form to refuse its tickets.
          </EmptyState>
        ) : (
          <Table columns={["Email", "Notes", "Added", ""]}>
            {rows.map((b) => (
              <tr key={b.id}>
                <Td className="font-medium break-all text-slate-900">
                  {b.email}
                </Td>
                <Td
                  className="max-w-64 truncate text-slate-600"
                  title={b.notes}
                >
                  {b.notes}
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-600">
                  {b.added}
                </Td>
                <Td>
                  <ActionButton
                    action={unbanAction}
                    fields={{ id: String(b.id) }}
                    pendingLabel="Removing…"
                    confirm={`Remove ${b.email} from the ban list? Mail and API tickets from it will be accepted again.`}
                    onAnswer={(answer) => {
                      setRemoval(answer);
                      if (answer.ok) setRemovals((n) => n + 1);
                    }}
                  >
                    Remove
                  </ActionButton>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <Card className="p-5">
        <h2 className="mb-4 font-medium text-slate-900">Ban an address</h2>
        <BanEmailForm key={removals} action={banAction} />
      </Card>
    </div>
  );
}
