"use client";

import { useActionState } from "react";
import { AttachmentsField } from "@/components/tickets/attachments-field";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  topics: Array<{ id: number; name: string }>;
  orders: Array<{ id: string; label: string }>;
  maxBytes: number;
  initialOrderId?: string;
};

export function NewTicketForm({
  action,
  topics,
  orders,
  maxBytes,
  initialOrderId,
}: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const v = state.values ?? {};
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <Field
        id="helpTopicId"
        label="What do you need help with?"
        errors={state.fields?.helpTopicId}
      >
        {(aria) => (
          <Select
            {...aria}
            name="helpTopicId"
            defaultValue={v.helpTopicId ?? ""}
            required
          >
            <option value="" disabled>
              Choose a topic…
            </option>
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id="subject" label="Subject" errors={state.fields?.subject}>
        {(aria) => (
          <Input
            {...aria}
            name="subject"
            defaultValue={v.subject}
            maxLength={200}
            required
          />
        )}
      </Field>
      {orders.length ? (
        <Field
          id="orderId"
          label="Related order (optional)"
          errors={state.fields?.orderId}
        >
          {(aria) => (
            <Select
              {...aria}
              name="orderId"
              defaultValue={v.orderId ?? initialOrderId ?? ""}
            >
              <option value="">No particular order</option>
              {orders.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      ) : null}
      <Field
        id="message"
        label="Message"
        errors={state.fields?.message}
        hint="Tell us what happened, what you expected, and any error message you saw."
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="message"
            rows={8}
            defaultValue={v.message}
            required
          />
        )}
      </Field>
      <AttachmentsField
        errors={state.fields?.attachments}
        maxBytes={maxBytes}
      />
      <SubmitButton pendingLabel="Sending…">Open ticket</SubmitButton>
    </FormFrame>
  );
}
