"use client";

import { useActionState } from "react";
import { AttachmentsField } from "@/components/tickets/attachments-field";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { TICKET_PRIORITIES } from "@/lib/tickets/schemas";

type Option = { id: number; name: string };
type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  departments: Option[];
  topics: Option[];
  maxBytes: number;
  initialEmail?: string;
};

export function StaffTicketForm({
  action,
  departments,
  topics,
  maxBytes,
  initialEmail = "",
}: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const value = (name: string, saved = "") => echoedValue(state, name, saved);
  const errors = (name: string) => state.fields?.[name];
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">
          Customer
        </legend>
        <Field
          id="email"
          label="Email address"
          errors={errors("email")}
          hint="An existing customer is found by this address."
        >
          {(aria) => (
            <Input
              {...aria}
              name="email"
              type="email"
              autoComplete="off"
              defaultValue={value("email", initialEmail)}
              required
            />
          )}
        </Field>
        <Field
          id="name"
          label="Name (for a new contact)"
          errors={errors("name")}
        >
          {(aria) => (
            <Input
              {...aria}
              name="name"
              autoComplete="off"
              defaultValue={value("name")}
            />
          )}
        </Field>
        <Field
          id="source"
          label="How they reached you"
          errors={errors("source")}
        >
          {(aria) => (
            <Select
              {...aria}
              name="source"
              defaultValue={value("source", "phone")}
            >
              <option value="phone">Phone</option>
              <option value="staff">In person or other</option>
            </Select>
          )}
        </Field>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id="departmentId"
          label="Department"
          errors={errors("departmentId")}
        >
          {(aria) => (
            <Select
              {...aria}
              name="departmentId"
              defaultValue={value(
                "departmentId",
                String(departments[0]?.id ?? ""),
              )}
            >
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          id="helpTopicId"
          label="Help topic"
          errors={errors("helpTopicId")}
        >
          {(aria) => (
            <Select
              {...aria}
              name="helpTopicId"
              defaultValue={value("helpTopicId")}
            >
              <option value="">None</option>
              {topics.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="priority" label="Priority" errors={errors("priority")}>
          {(aria) => (
            <Select {...aria} name="priority" defaultValue={value("priority")}>
              <option value="">As the topic sets</option>
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Field id="subject" label="Subject" errors={errors("subject")}>
        {(aria) => (
          <Input
            {...aria}
            name="subject"
            maxLength={200}
            defaultValue={value("subject")}
            required
          />
        )}
      </Field>
      <Field
        id="message"
        label="The customer's request"
        errors={errors("message")}
        hint="Shown in the thread as the customer's first message."
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="message"
            rows={7}
            defaultValue={value("message")}
            required
          />
        )}
      </Field>
      <AttachmentsField errors={errors("attachments")} maxBytes={maxBytes} />
      <div className="space-y-3">
        <Checkbox
          id="notify"
          name="notify"
          label="Tell the customer by mail"
          hint="Sends the usual acknowledgement with the ticket number."
          defaultChecked={echoedChecked(state, "notify", true)}
        />
        <Checkbox
          id="assignToMe"
          name="assignToMe"
          label="Assign to me"
          hint="Otherwise the department's agents are alerted, as for any new ticket."
          defaultChecked={echoedChecked(state, "assignToMe", true)}
        />
      </div>
      <SubmitButton pendingLabel="Opening…">Open ticket</SubmitButton>
    </FormFrame>
  );
}
