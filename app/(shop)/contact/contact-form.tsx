"use client";

import { useActionState } from "react";
import { AttachmentsField } from "@/components/tickets/attachments-field";
import { Field, Input, Textarea } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

export function ContactForm({
  action,
  maxBytes,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  maxBytes: number;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  // After a message is sent the form starts empty; after an error it keeps what was typed.
  const v = state.ok ? {} : (state.values ?? {});
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="contact-name" label="Your name" errors={state.fields?.name}>
          {(aria) => (
            <Input
              {...aria}
              name="name"
              dir="auto"
              autoComplete="name"
              defaultValue={v.name}
              required
            />
          )}
        </Field>
        <Field
          id="contact-email"
          label="Your email address"
          errors={state.fields?.email}
          hint="We answer there."
        >
          {(aria) => (
            <Input
              {...aria}
              name="email"
              type="email"
              autoComplete="email"
              defaultValue={v.email}
              required
            />
          )}
        </Field>
      </div>
      {/* For robots only: people never see it, so anything typed here marks a robot. */}
      <div
        aria-hidden
        className="absolute -left-[10000px] h-px w-px overflow-hidden"
      >
        <label htmlFor="contact-website">Website</label>
        <input
          id="contact-website"
          name="website"
          tabIndex={-1}
          autoComplete="off"
        />
      </div>
      <Field
        id="contact-subject"
        label="Subject"
        errors={state.fields?.subject}
      >
        {(aria) => (
          <Input
            {...aria}
            name="subject"
            dir="auto"
            maxLength={200}
            defaultValue={v.subject}
            required
          />
        )}
      </Field>
      <Field
        id="contact-message"
        label="Message"
        errors={state.fields?.message}
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="message"
            dir="auto"
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
      <SubmitButton pendingLabel="Sending…">Send message</SubmitButton>
    </FormFrame>
  );
}
