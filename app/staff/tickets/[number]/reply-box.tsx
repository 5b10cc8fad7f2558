"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { useDraft } from "./use-draft";
import { AttachmentsField } from "@/components/tickets/attachments-field";
import { Alert } from "@/components/ui/alert";
import { Field, Select, Textarea } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { cn } from "@/lib/cn";
import { initialFormState, type FormState } from "@/lib/forms";
import type { TicketStatus } from "@/db/schema";
import type {
  SignatureChoice,
  SignatureOptions,
} from "@/lib/tickets/signatures";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;
type Props = {
  number: string;
  replyAction: Action;
  noteAction: Action;
  /** Canned replies with this ticket's variables already filled in. */
  canned: Array<{ id: number; title: string; text: string }>;
  maxBytes: number;
  /** This agent's saved drafts on the ticket, by box. */
  drafts: { reply?: string; note?: string };
  /** The signatures this agent may sign a reply with, filled in. */
  signatures: SignatureOptions;
};

export function ReplyBox({
  number,
  replyAction,
  noteAction,
  canned,
  maxBytes,
  drafts,
  signatures,
}: Props) {
  // A note being drafted is where the agent left off; otherwise the reply.
  const [mode, setMode] = useState<"reply" | "note">(
    drafts.note && !drafts.reply ? "note" : "reply",
  );
  return (
    <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div
        role="tablist"
        aria-label="Compose"
        className="flex border-b border-slate-200"
      >
        {(["reply", "note"] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            onClick={() => setMode(m)}
            className={cn(
              "-mb-px border-b-2 px-4 py-3 text-sm font-medium",
              mode === m
                ? m === "note"
                  ? "border-amber-500 text-amber-800"
                  : "border-indigo-600 text-indigo-700"
                : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {m === "reply" ? "Reply to customer" : "Internal note"}
          </button>
        ))}
      </div>
      {/* Both boxes stay mounted, so a look at the other tab loses nothing. */}
      <div className="p-5" role="tabpanel" hidden={mode !== "reply"}>
        <Composer
          kind="reply"
          number={number}
          action={replyAction}
          canned={canned}
          maxBytes={maxBytes}
          draft={drafts.reply ?? ""}
          signatures={signatures}
        />
      </div>
      <div className="p-5" role="tabpanel" hidden={mode !== "note"}>
        <Composer
          kind="note"
          number={number}
          action={noteAction}
          canned={[]}
          maxBytes={maxBytes}
          draft={drafts.note ?? ""}
        />
      </div>
    </div>
  );
}

const AFTER_REPLY: Array<[TicketStatus, string]> = [
  ["pending", "Pending (waiting on customer)"],
  ["open", "Open"],
  ["resolved", "Resolved"],
  ["closed", "Closed"],
];

function Composer({
  kind,
  number,
  action,
  canned,
  maxBytes,
  draft,
  signatures,
}: {
  kind: "reply" | "note";
  number: string;
  action: Action;
  canned: Props["canned"];
  maxBytes: number;
  draft: string;
  signatures?: SignatureOptions;
}) {
  const [text, setText] = useState(draft);
  const saving = useDraft({ number, kind, text, saved: draft });
  const [state, formAction] = useActionState(
    async (prev: FormState, data: FormData) => {
      // A save still on its way must not land after the send and bring the draft back.
      await saving.settle();
      const next = await action(prev, data);
      // Sent: start afresh (the server discarded the draft). Refused: keep every word.
      const kept = next.ok
        ? ""
        : (next.values?.message ?? String(data.get("message") ?? ""));
      saving.sent(next.ok);
      setText(kept);
      return next;
    },
    initialFormState,
  );
  const id = `${kind}-message`;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="number" value={number} />
      {state.message ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      {canned.length ? (
        <div className="flex items-center gap-2">
          <label htmlFor="canned" className="shrink-0 text-sm text-slate-600">
            Canned reply
          </label>
          <Select
            id="canned"
            className="w-auto min-w-0"
            value=""
            onChange={(e) => {
              const chosen = canned.find(
                (c) => String(c.id) === e.target.value,
              );
              if (chosen)
                setText((prev) =>
                  prev.trim()
                    ? `${prev.trimEnd()}\n\n${chosen.text}`
                    : chosen.text,
                );
            }}
          >
            <option value="">Insert…</option>
            {canned.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      <Field
        id={id}
        label={
          kind === "reply"
            ? "Message to the customer"
            : "Note for agents (the customer never sees it)"
        }
        errors={state.fields?.message}
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="message"
            rows={7}
            dir="auto"
            value={text}
            onChange={(e) => setText(e.target.value)}
            className={kind === "note" ? "bg-amber-50/40" : undefined}
          />
        )}
      </Field>
      {signatures ? (
        <SignaturePicker
          options={signatures}
          errors={state.fields?.signature}
        />
      ) : null}
      <AttachmentsField
        id={`${kind}-attachments`}
        errors={state.fields?.attachments}
        maxBytes={maxBytes}
      />
      <div className="flex flex-wrap items-center gap-3">
        <p
          className="text-xs text-slate-600"
          aria-live="polite"
          data-testid={`${kind}-draft-status`}
        >
          {saving.status === "saving"
            ? "Saving draft…"
            : saving.status === "saved"
              ? "Draft saved"
              : saving.status === "failed"
                ? "Draft not saved: check your connection. It is tried again as you type."
                : null}
        </p>
        {text.trim() ? (
          <button
            type="button"
            className="text-xs text-slate-600 underline hover:text-slate-900"
            onClick={() => setText("")}
          >
            Discard draft
          </button>
        ) : null}
        {kind === "reply" ? (
          <>
            <label htmlFor="reply-status" className="text-sm text-slate-600">
              Then set status
            </label>
            <Select
              id="reply-status"
              name="status"
              defaultValue="pending"
              className="w-auto"
            >
              {AFTER_REPLY.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </>
        ) : null}
        <SubmitButton
          className="ml-auto"
          variant={kind === "note" ? "secondary" : "primary"}
          pendingLabel="Saving…"
        >
          {kind === "reply" ? "Send reply" : "Add note"}
        </SubmitButton>
      </div>
    </form>
  );
}

const SIGNATURE_LABELS: Record<SignatureChoice, string> = {
  mine: "My signature",
  department: "Department signature",
  none: "No signature",
};

/** Which signature goes under the reply, editable for this one reply. */
function SignaturePicker({
  options,
  errors,
}: {
  options: SignatureOptions;
  errors?: string[];
}) {
  const [choice, setChoice] = useState<SignatureChoice>(options.chosen);
  const [text, setText] = useState(
    options.chosen === "none" ? "" : (options[options.chosen] ?? ""),
  );
  const offered = (["mine", "department", "none"] as const).filter(
    (c) => c === "none" || options[c],
  );
  if (offered.length === 1)
    return (
      <p className="text-xs text-slate-600">
        No signature.{" "}
        <Link href="/staff/account" className="underline hover:text-slate-900">
          Set yours in My account
        </Link>
      </p>
    );
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <label
          htmlFor="reply-signature-choice"
          className="text-sm text-slate-600"
        >
          Signature
        </label>
        <Select
          id="reply-signature-choice"
          className="w-auto"
          value={choice}
          onChange={(e) => {
            const next = e.target.value as SignatureChoice;
            setChoice(next);
            setText(next === "none" ? "" : (options[next] ?? ""));
          }}
        >
          {offered.map((c) => (
            <option key={c} value={c}>
              {SIGNATURE_LABELS[c]}
            </option>
          ))}
        </Select>
      </div>
      {choice === "none" ? null : (
        <Field
          id="reply-signature"
          label="Signature for this reply"
          errors={errors}
          hint="Added under your message. Changes here apply to this reply only."
        >
          {(aria) => (
            <Textarea
              {...aria}
              name="signature"
              rows={3}
              dir="auto"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
      )}
    </div>
  );
}
