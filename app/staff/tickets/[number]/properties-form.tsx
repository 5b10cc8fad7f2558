"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import {
  seenFieldName,
  TICKET_PROPERTIES,
  type TicketProperty,
} from "@/lib/tickets/property-conflicts";
import {
  TICKET_PRIORITIES,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
} from "@/lib/tickets/schemas";

type Option = { id: string | number; name: string };
type Current = {
  version: number;
  assigneeId: string | null;
  status: string;
  priority: string;
  departmentId: number;
  helpTopicId: number | null;
};
type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  number: string;
  me: string;
  current: Current;
  agents: Option[];
  departments: Option[];
  topics: Option[];
};

/** Each select's choice and the saved value it was made against (what the server compares). */
type Fields = Record<TicketProperty, { base: string; value: string }>;

const asText = (v: string | number | null) => (v === null ? "" : String(v));

function fieldsOf(current: Current): Fields {
  const fields = {} as Fields;
  for (const p of TICKET_PROPERTIES) {
    const v = asText(current[p]);
    fields[p] = { base: v, value: v };
  }
  return fields;
}

/**
 * Assignee, status, priority, department and help topic, saved together. The form posts what it was
 * based on, so the server writes only what this agent changed and refuses, field by field, what a
 * colleague changed meanwhile. When the page refreshes with a colleague's change, untouched selects
 * follow it; a select the agent has changed keeps the agent's choice.
 */
export function PropertiesForm({
  action,
  number,
  me,
  current,
  agents,
  departments,
  topics,
}: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const [fields, setFields] = useState(() => fieldsOf(current));
  const [version, setVersion] = useState(current.version);

  // Adjusting state to new props and action results during render (React's documented pattern),
  // so the selects never show a stale value for a frame.
  const [shownCurrent, setShownCurrent] = useState(current);
  if (shownCurrent !== current) {
    setShownCurrent(current);
    setVersion(current.version);
    setFields((prev) => {
      const next = { ...prev };
      for (const p of TICKET_PROPERTIES) {
        const now = asText(current[p]);
        const { base, value } = prev[p];
        next[p] =
          value === base || value === now
            ? { base: now, value: now }
            : { base, value };
      }
      return next;
    });
  }
  const [shownState, setShownState] = useState(state);
  // React resets a form after its action, controlled selects included; a fresh mount per answer
  // shows the choices held in state again.
  const [answers, setAnswers] = useState(0);
  if (shownState !== state) {
    setShownState(state);
    setAnswers((n) => n + 1);
    const sent = state.values;
    if (sent) {
      // After a refusal: the agent's choices as sent, based on what the server says the ticket is now.
      setVersion(Number(sent.seenVersion) || current.version);
      setFields((prev) => {
        const next = { ...prev };
        for (const p of TICKET_PROPERTIES) {
          next[p] = {
            value: sent[p] ?? prev[p].value,
            base: sent[seenFieldName(p)] ?? prev[p].base,
          };
        }
        return next;
      });
    }
  }

  const set =
    (p: TicketProperty) => (e: React.ChangeEvent<HTMLSelectElement>) => {
      const value = e.target.value;
      setFields((prev) => ({ ...prev, [p]: { ...prev[p], value } }));
    };
  const seenInputs = (
    <>
      <input type="hidden" name="number" value={number} />
      <input type="hidden" name="seenVersion" value={version} />
      {TICKET_PROPERTIES.map((p) => (
        <input
          key={p}
          type="hidden"
          name={seenFieldName(p)}
          value={fields[p].base}
        />
      ))}
    </>
  );
  const row = (p: TicketProperty, label: string, control: React.ReactNode) => {
    const errors = state.fields?.[p];
    return (
      <div className="space-y-1">
        <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-center gap-2">
          <label htmlFor={p} className="text-sm text-slate-600">
            {label}
            {fields[p].value !== fields[p].base ? (
              <span className="sr-only"> (changed, not saved)</span>
            ) : null}
          </label>
          {control}
        </div>
        {errors?.length ? (
          <p
            id={`${p}-error`}
            className="text-xs [overflow-wrap:anywhere] text-red-700"
          >
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
    );
  };
  const selectProps = (p: TicketProperty) => ({
    id: p,
    name: p,
    value: fields[p].value,
    onChange: set(p),
    "aria-invalid": Boolean(state.fields?.[p]?.length),
    "aria-describedby": state.fields?.[p]?.length ? `${p}-error` : undefined,
    className:
      fields[p].value !== fields[p].base ? "ring-2 ring-indigo-300" : undefined,
  });

  return (
    <div className="space-y-3">
      <form
        key={answers}
        action={formAction}
        className="space-y-3"
        aria-label="Ticket properties"
      >
        {seenInputs}
        {state.message ? (
          <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
        ) : null}
        {row(
          "assigneeId",
          "Assignee",
          <Select {...selectProps("assigneeId")}>
            <option value="">Unassigned</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>,
        )}
        {row(
          "status",
          "Status",
          <Select {...selectProps("status")}>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {TICKET_STATUS_LABELS[s]}
              </option>
            ))}
          </Select>,
        )}
        {row(
          "priority",
          "Priority",
          <Select {...selectProps("priority")}>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </Select>,
        )}
        {row(
          "departmentId",
          "Department",
          <Select {...selectProps("departmentId")}>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </Select>,
        )}
        {row(
          "helpTopicId",
          "Help topic",
          <Select {...selectProps("helpTopicId")}>
            <option value="">None</option>
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>,
        )}
        <SubmitButton size="sm" className="w-full" pendingLabel="Saving…">
          Save changes
        </SubmitButton>
      </form>
      {fields.assigneeId.base !== me ? (
        <form action={formAction}>
          {seenInputs}
          <input type="hidden" name="assigneeId" value={me} />
          <SubmitButton
            size="sm"
            variant="secondary"
            className="w-full"
            pendingLabel="Assigning…"
          >
            Assign to me
          </SubmitButton>
        </form>
      ) : null}
    </div>
  );
}
