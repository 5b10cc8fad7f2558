"use client";

import { useActionState } from "react";
import { CurrentPasswordField } from "@/components/account/account-forms";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormFrame } from "@/components/ui/form-frame";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState, type FormState } from "@/lib/forms";

// Two-step sign-in on the security page: setting up an authenticator app, the recovery codes
// (shown once), making new ones, and turning it off.

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

const PasswordField = ({
  id,
  errors,
}: {
  id: string;
  errors: string[] | undefined;
}) => <CurrentPasswordField id={id} label="Your password" errors={errors} />;

/** The codes just made, once: to copy, print or download. */
function RecoveryCodes({ codes, done }: { codes: string[]; done: string }) {
  const file = `Portico recovery codes\nEach code works once, in place of a code from your app.\n\n${codes.join("\n")}\n`;
  return (
    <div className="space-y-4">
      <Alert tone="success">
        Save these recovery codes somewhere safe now. Each works once, in place
        of a code from your app; you will not see them again.
      </Alert>
      <ul
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-4 font-mono text-sm text-slate-900 ring-1 ring-slate-200"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-3">
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`}
          download="portico-recovery-codes.txt"
          className="inline-flex h-10 items-center rounded-md bg-white px-4 text-sm font-medium text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        >
          Download codes
        </a>
        <ButtonLink href={done}>I saved them</ButtonLink>
      </div>
    </div>
  );
}

export function TotpSetup({
  action,
  secret,
  qrSvg,
  done,
}: {
  action: Action;
  /** A fresh secret drawn for this page; it counts only once a code from it is confirmed. */
  secret: string;
  /** The QR code of the secret, drawn on the server. */
  qrSvg: string;
  /** Where "I saved them" leads: this page, now showing two-step sign-in as on. */
  done: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  if (state.ok && state.secret)
    return <RecoveryCodes codes={state.secret.split("\n")} done={done} />;
  const grouped = secret.match(/.{4}/g)?.join(" ") ?? secret;
  return (
    <FormFrame state={state} action={formAction} shown={secret}>
      <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
        <li>
          Open an authenticator app (Google Authenticator, Microsoft
          Authenticator, 1Password, Aegis…) and scan this code.
        </li>
        <li>Enter the six-digit code the app then shows, and your password.</li>
      </ol>
      <div className="flex flex-wrap items-center gap-6">
        <div
          role="img"
          aria-label="QR code to scan with your authenticator app"
          className="size-44 shrink-0 rounded-md bg-white p-1 ring-1 ring-slate-200"
          // Our own SVG, drawn on the server from the otpauth link; it carries no outside content.
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <p className="min-w-0 text-sm text-slate-600">
          Cannot scan? Type this key into the app instead:
          <br />
          <code
            data-testid="totp-secret"
            className="mt-1 inline-block font-mono text-base break-all text-slate-900"
          >
            {grouped}
          </code>
        </p>
      </div>
      <input type="hidden" name="secret" value={secret} />
      <Field
        id="totp-code"
        label="Code from the app"
        errors={state.fields?.code}
      >
        {(aria) => (
          <Input
            {...aria}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
        )}
      </Field>
      <PasswordField id="totp-password" errors={state.fields?.password} />
      <SubmitButton pendingLabel="Checking…">
        Turn on two-step sign-in
      </SubmitButton>
    </FormFrame>
  );
}

/** A password-confirmed action that answers with new recovery codes, shown once. */
function PasswordForCodes({
  action,
  done,
  intro,
  id,
  label,
  pendingLabel,
}: {
  action: Action;
  done: string;
  intro: string;
  id: string;
  label: string;
  pendingLabel: string;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  if (state.ok && state.secret)
    return <RecoveryCodes codes={state.secret.split("\n")} done={done} />;
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <p className="text-sm text-slate-600">{intro}</p>
      <PasswordField id={id} errors={state.fields?.password} />
      <SubmitButton variant="secondary" pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </FormFrame>
  );
}

export function RenewRecoveryCodes({
  action,
  done,
}: {
  action: Action;
  done: string;
}) {
  return (
    <PasswordForCodes
      action={action}
      done={done}
      intro="Used some, or lost the list? New codes replace all the old ones."
      id="renew-password"
      label="Make new recovery codes"
      pendingLabel="Making codes…"
    />
  );
}

export function TwoFactorOff({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <FormFrame state={state} action={formAction} shown={state}>
      <PasswordField id="off-password" errors={state.fields?.password} />
      <Field
        id="off-code"
        label="A code from your app, or a recovery code"
        errors={state.fields?.code}
      >
        {(aria) => (
          <Input {...aria} name="code" autoComplete="one-time-code" required />
        )}
      </Field>
      <SubmitButton variant="danger" pendingLabel="Turning off…">
        Turn off two-step sign-in
      </SubmitButton>
    </FormFrame>
  );
}

/** Signs out one session (`sessionId`) or, without one, every other. */
export function SessionButton({
  action,
  sessionId,
  children,
}: {
  action: Action;
  sessionId?: string;
  children: React.ReactNode;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      {sessionId ? (
        <input type="hidden" name="sessionId" value={sessionId} />
      ) : null}
      <SubmitButton size="sm" variant="secondary" pendingLabel="Signing out…">
        {children}
      </SubmitButton>
      {state.message && !state.ok ? (
        <span role="alert" className="text-sm text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

/** Adds or changes the phone number: the number, then the code texted to it. */
export function PhoneForms({
  start,
  confirm,
  phone,
  verified,
}: {
  start: Action;
  confirm: Action;
  /** The number on the account, masked for display, if any. */
  phone: string | null;
  verified: boolean;
}) {
  const [sent, sendAction] = useActionState(start, initialFormState);
  const [checked, checkAction] = useActionState(confirm, initialFormState);
  const awaitingCode = phone !== null && !verified;
  return (
    <div className="space-y-6">
      <FormFrame state={sent} action={sendAction} shown={sent.ok}>
        <Field
          id="phone"
          label={verified ? "Use another number" : "Mobile number"}
          errors={sent.fields?.phone}
          hint="With the country code, e.g. +44 7400 123456. We text a six-digit code to it."
        >
          {(aria) => (
            <Input
              {...aria}
              name="phone"
              type="tel"
              autoComplete="tel"
              defaultValue={sent.ok ? "" : sent.values?.phone}
              required
            />
          )}
        </Field>
        <SubmitButton variant="secondary" pendingLabel="Sending…">
          {awaitingCode ? "Send a new code" : "Text me a code"}
        </SubmitButton>
      </FormFrame>
      {awaitingCode ? (
        <FormFrame state={checked} action={checkAction} shown={checked.ok}>
          <p className="text-sm [overflow-wrap:anywhere] text-slate-700">
            Enter the code we texted to {phone}.
          </p>
          <Field id="phone-code" label="Code" errors={checked.fields?.code}>
            {(aria) => (
              <Input
                {...aria}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
              />
            )}
          </Field>
          <SubmitButton pendingLabel="Checking…">Confirm number</SubmitButton>
        </FormFrame>
      ) : null}
    </div>
  );
}

/** Texted sign-in codes instead of an app; recovery codes are shown once, as for the app. */
export function SmsFactorSetup({
  action,
  done,
}: {
  action: Action;
  done: string;
}) {
  return (
    <PasswordForCodes
      action={action}
      done={done}
      intro="No authenticator app? Get a code by text at each sign-in instead."
      id="sms-password"
      label="Use codes by text"
      pendingLabel="Turning on…"
    />
  );
}
