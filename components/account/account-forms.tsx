"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input, NewPasswordFields } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";

// The forms of a person's own account page, for customers (/account) and agents (/staff/account).

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

/** The account's current password, asked for again before a sensitive change. */
export function CurrentPasswordField({
  id,
  name = "password",
  label = "Current password",
  errors,
}: {
  id: string;
  name?: string;
  label?: string;
  errors: string[] | undefined;
}) {
  return (
    <Field id={id} label={label} errors={errors}>
      {(aria) => (
        <Input
          {...aria}
          name={name}
          type="password"
          autoComplete="current-password"
          required
        />
      )}
    </Field>
  );
}

export function ProfileForm({
  action,
  name,
}: {
  action: Action;
  name: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = { name: echoedValue(state, "name", name) };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <Field id="account-name" label="Your name" errors={state.fields?.name}>
        {(aria) => (
          <Input
            {...aria}
            name="name"
            dir="auto"
            autoComplete="name"
            defaultValue={shown.name}
            required
          />
        )}
      </Field>
      <SubmitButton pendingLabel="Saving…">Save name</SubmitButton>
    </FormFrame>
  );
}

export function EmailChangeForm({
  action,
  pending,
}: {
  action: Action;
  /** The address a change link was sent to and not yet opened. */
  pending: string | null;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = { newEmail: echoedValue(state, "newEmail", "") };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      {pending && !state.message ? (
        <p className="text-sm [overflow-wrap:anywhere] text-slate-600">
          Waiting for you to open the link we sent to{" "}
          <strong className="font-medium text-slate-900">{pending}</strong>.
        </p>
      ) : null}
      <Field
        id="new-email"
        label="New email address"
        errors={state.fields?.newEmail}
        hint="We send a link there; your address changes only when you open it."
      >
        {(aria) => (
          <Input
            {...aria}
            name="newEmail"
            type="email"
            autoComplete="email"
            defaultValue={shown.newEmail}
            required
          />
        )}
      </Field>
      <CurrentPasswordField
        id="email-password"
        errors={state.fields?.password}
      />
      <SubmitButton pendingLabel="Sending…">
        Send confirmation link
      </SubmitButton>
    </FormFrame>
  );
}

export function PasswordChangeForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <FormFrame state={state} action={formAction} shown={state.ok}>
      <CurrentPasswordField
        id="current-password"
        name="current"
        errors={state.fields?.current}
      />
      <NewPasswordFields
        label="New password"
        confirmLabel="New password again"
        hint="At least 10 characters. Every other device is signed out."
        errors={state.fields}
      />
      <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
    </FormFrame>
  );
}

export function NotificationForm({
  action,
  saved,
}: {
  action: Action;
  saved: { orderMail: boolean; marketingMail: boolean };
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    orderMail: echoedChecked(state, "orderMail", saved.orderMail),
    marketingMail: echoedChecked(state, "marketingMail", saved.marketingMail),
  };
  return (
    <FormFrame state={state} action={formAction} shown={shown}>
      <fieldset className="space-y-4">
        <legend className="mb-1 text-sm text-slate-600">
          Mail about your tickets is always sent.
        </legend>
        <Checkbox
          id="order-mail"
          name="orderMail"
          label="Orders and payments"
          hint="Confirmations, receipts, failed payments and refunds."
          defaultChecked={shown.orderMail}
        />
        <Checkbox
          id="marketing-mail"
          name="marketingMail"
          label="News and offers"
          hint="Now and then, about new products and services."
          defaultChecked={shown.marketingMail}
        />
      </fieldset>
      <SubmitButton pendingLabel="Saving…">Save mail choices</SubmitButton>
    </FormFrame>
  );
}

/** Shown until the account's address is confirmed, with a way to get the link again. */
export function VerifyEmailNotice({
  action,
  email,
}: {
  action: Action;
  email: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form
      action={formAction}
      className="rounded-md bg-amber-50 px-4 py-3 text-sm [overflow-wrap:anywhere] text-amber-900 ring-1 ring-amber-200"
    >
      <p>
        <strong className="font-semibold">Confirm your email address.</strong>{" "}
        We sent a link to {email}. Until you open it, tickets you send us by
        mail don&apos;t show here, and we send you ticket mail only.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <SubmitButton size="sm" variant="secondary" pendingLabel="Sending…">
          Send the link again
        </SubmitButton>
        {state.message ? (
          <span role={state.ok ? "status" : "alert"}>{state.message}</span>
        ) : null}
      </div>
    </form>
  );
}

/** Asks for the account to be closed, or takes the request back while it waits for an admin. */
export function ClosureForm({
  request,
  withdraw,
  requestedAt,
}: {
  request: Action;
  withdraw: Action;
  /** When the person asked, already formatted; null when they have not. */
  requestedAt: string | null;
}) {
  const [state, formAction] = useActionState(
    requestedAt ? withdraw : request,
    initialFormState,
  );
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        if (
          !requestedAt &&
          !window.confirm(
            "Close your account? You will be signed out once an administrator confirms it.",
          )
        )
          e.preventDefault();
      }}
      className="space-y-3"
    >
      <p className="text-sm text-slate-600">
        {requestedAt
          ? `You asked to close your account on ${requestedAt}. An administrator will confirm it.`
          : "Your tickets are kept for our records without your name; your sign-in, address and phone number are removed."}
      </p>
      {state.message ? (
        <p role="status" className="text-sm text-slate-700">
          {state.message}
        </p>
      ) : null}
      <SubmitButton
        variant={requestedAt ? "secondary" : "danger"}
        pendingLabel="Sending…"
      >
        {requestedAt ? "Keep my account open" : "Ask to close my account"}
      </SubmitButton>
    </form>
  );
}
