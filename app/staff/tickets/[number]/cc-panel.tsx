"use client";

import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import type { FormState } from "@/lib/forms";
import { AddOneForm } from "./add-one-form";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

/**
 * Who is copied on the ticket, with add and remove. A removal's answer is shown above the list,
 * since the row it answers disappears with it.
 */
export function CcPanel({
  number,
  participants,
  addAction,
  removeAction,
}: {
  number: string;
  participants: Array<{ email: string; name: string | null }>;
  addAction: Action;
  removeAction: Action;
}) {
  const [removal, setRemoval] = useState<FormState | null>(null);
  return (
    <div className="space-y-3">
      {removal?.message ? (
        <Alert tone={removal.ok ? "success" : "error"}>{removal.message}</Alert>
      ) : null}
      {participants.length ? (
        <ul className="divide-y divide-slate-100 text-sm" aria-label="Copied">
          {participants.map((p) => (
            <li
              key={p.email}
              className="flex items-center justify-between gap-2 py-2"
            >
              <span className="min-w-0 [overflow-wrap:anywhere]">
                {p.name?.trim() ? (
                  <span dir="auto" className="block text-slate-900">
                    {p.name}
                  </span>
                ) : null}
                <span className="text-slate-600">{p.email}</span>
              </span>
              <ActionButton
                action={removeAction}
                fields={{ number, email: p.email }}
                variant="ghost"
                pendingLabel="Removing…"
                confirm={`Stop copying ${p.email} on this ticket?`}
                onAnswer={setRemoval}
              >
                Remove
              </ActionButton>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">Nobody is copied.</p>
      )}
      <AddOneForm
        number={number}
        action={addAction}
        name="email"
        label="Copy an address on replies"
        button="Add"
        input={{ type: "email", placeholder: "name@example.com" }}
      />
    </div>
  );
}
