"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { CANNED_REPLY_VARIABLES } from "@/lib/helpdesk/schemas";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  departments: Array<{ id: number; name: string }>;
  /** The reply being edited; absent on the create form. */
  reply?: {
    id: number;
    title: string;
    body: string;
    departmentId: number | null;
    isActive: boolean;
  };
};

export function CannedReplyForm({ action, departments, reply }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    title: echoedValue(state, "title", reply?.title ?? ""),
    body: echoedValue(state, "body", reply?.body ?? ""),
    departmentId: echoedValue(
      state,
      "departmentId",
      reply?.departmentId ? String(reply.departmentId) : "",
    ),
    isActive: echoedChecked(state, "isActive", reply?.isActive ?? true),
  };
  const prefix = reply ? "reply" : "new-reply";
  return (
    <FormFrame state={state} action={formAction} shown={shown} id={reply?.id}>
      <Field id={`${prefix}-title`} label="Title" errors={state.fields?.title}>
        {(aria) => (
          <Input {...aria} name="title" defaultValue={shown.title} required />
        )}
      </Field>
      <Field
        id={`${prefix}-body`}
        label="Reply"
        errors={state.fields?.body}
        hint={
          <>
            Variables are filled in when an agent uses the reply:{" "}
            {CANNED_REPLY_VARIABLES.map((v, i) => (
              <span key={v}>
                {i > 0 ? ", " : null}
                <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] text-slate-700">
                  {v}
                </code>
              </span>
            ))}
            .
          </>
        }
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="body"
            rows={reply ? 12 : 8}
            defaultValue={shown.body}
            className="font-mono text-sm"
            required
          />
        )}
      </Field>
      <Field
        id={`${prefix}-department`}
        label="Department"
        errors={state.fields?.departmentId}
        hint="Offer the reply to one department's agents, or to everyone."
      >
        {(aria) => (
          <Select
            {...aria}
            name="departmentId"
            defaultValue={shown.departmentId}
          >
            <option value="">All departments</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Checkbox
        id={`${prefix}-active`}
        name="isActive"
        label="Active"
        hint="Agents only see active replies."
        defaultChecked={shown.isActive}
      />
      <SubmitButton pendingLabel="Saving…">
        {reply ? "Save changes" : "Create canned reply"}
      </SubmitButton>
    </FormFrame>
  );
}
