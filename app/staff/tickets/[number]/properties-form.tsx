"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import {
  TICKET_PRIORITIES,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
} from "@/lib/tickets/schemas";

type Option = { id: string | number; name: string };
type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  number: string;
  me: string;
  current: {
    assigneeId: string | null;
    status: string;
    priority: string;
    departmentId: number;
    helpTopicId: number | null;
  };
  agents: Option[];
  departments: Option[];
  topics: Option[];
};

/** Assignee, status, priority, department and help topic, saved together. */
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
  const row = (id: string, label: string, control: React.ReactNode) => (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-center gap-2">
      <label htmlFor={id} className="text-sm text-slate-600">
        {label}
      </label>
      {control}
    </div>
  );
  return (
    <div className="space-y-3">
      <form
        action={formAction}
        className="space-y-3"
        aria-label="Ticket properties"
      >
        <input type="hidden" name="number" value={number} />
        {state.message ? (
          <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
        ) : null}
        {row(
          "assigneeId",
          "Assignee",
          <Select
            id="assigneeId"
            name="assigneeId"
            defaultValue={current.assigneeId ?? ""}
            key={`a-${current.assigneeId}`}
          >
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
          <Select
            id="status"
            name="status"
            defaultValue={current.status}
            key={`s-${current.status}`}
          >
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
          <Select
            id="priority"
            name="priority"
            defaultValue={current.priority}
            key={`p-${current.priority}`}
          >
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
          <Select
            id="departmentId"
            name="departmentId"
            defaultValue={String(current.departmentId)}
            key={`d-${current.departmentId}`}
          >
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
          <Select
            id="helpTopicId"
            name="helpTopicId"
            defaultValue={
              current.helpTopicId ? String(current.helpTopicId) : ""
            }
            key={`t-${current.helpTopicId}`}
          >
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
      {current.assigneeId !== me ? (
        <form action={formAction}>
          <input type="hidden" name="number" value={number} />
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
