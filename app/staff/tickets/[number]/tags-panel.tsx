"use client";

import Link from "next/link";
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import type { FormState } from "@/lib/forms";
import { AddOneForm } from "./add-one-form";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

/** The ticket's tags: each links to the queue filtered by it; add one, or remove one. */
export function TagsPanel({
  number,
  tags,
  suggestions,
  addAction,
  removeAction,
}: {
  number: string;
  tags: string[];
  /** Tags in use on other tickets, offered as the agent types. */
  suggestions: string[];
  addAction: Action;
  removeAction: Action;
}) {
  const [removal, setRemoval] = useState<FormState | null>(null);
  return (
    <div className="space-y-3">
      {removal?.message && !removal.ok ? (
        <Alert tone="error">{removal.message}</Alert>
      ) : null}
      {tags.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Tags">
          {tags.map((tag) => (
            <li
              key={tag}
              className="flex max-w-full min-w-0 items-center gap-1 rounded bg-slate-100 py-0.5 pr-0.5 pl-2 text-sm text-slate-800"
            >
              <Link
                href={`/staff?view=all&tag=${encodeURIComponent(tag)}`}
                className="min-w-0 [overflow-wrap:anywhere] hover:underline"
                title={`Tickets tagged “${tag}”`}
              >
                {tag}
              </Link>
              <ActionButton
                action={removeAction}
                fields={{ number, tag }}
                variant="ghost"
                size="sm"
                pendingLabel="…"
                label={`Remove the tag ${tag}`}
                onAnswer={setRemoval}
              >
                ×
              </ActionButton>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No tags.</p>
      )}
      <AddOneForm
        number={number}
        action={addAction}
        name="tag"
        label="Add a tag"
        button="Add tag"
        input={{
          list: "tag-suggestions",
          maxLength: 64,
          placeholder: "refund, vip…",
        }}
      >
        <datalist id="tag-suggestions">
          {suggestions
            .filter((s) => !tags.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      </AddOneForm>
    </div>
  );
}
