import type { ReactNode } from "react";
import {
  RenewRecoveryCodes,
  PhoneForms,
  SessionButton,
  SmsFactorSetup,
  TotpSetup,
  TwoFactorOff,
} from "@/components/account/two-factor";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { SecurityOverview } from "@/lib/auth/security";
import type { SessionRow } from "@/lib/auth/sessions";
import { formatDateTime } from "@/lib/format";
import type { FormState } from "@/lib/forms";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

export function Section({
  title,
  description,
  aside,
  children,
}: {
  title: string;
  description?: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const id = title.toLowerCase().replace(/\W+/g, "-");
  return (
    <Card className="p-6">
      <section aria-labelledby={id} className="space-y-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 id={id} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description ? (
              <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">
                {description}
              </p>
            ) : null}
          </div>
          {aside}
        </div>
        {children}
      </section>
    </Card>
  );
}

/** Two-step sign-in: set-up while it is off; codes and the off switch while it is on. */
export function TwoFactorSection({
  overview,
  setup,
  actions,
  page,
  smsAllowed,
}: {
  overview: SecurityOverview;
  /** A fresh secret and its QR code, drawn by the page while two-step sign-in is off. */
  setup: { secret: string; qrSvg: string } | null;
  actions: {
    enable: Action;
    enableSms: Action;
    renew: Action;
    disable: Action;
  };
  /** This page's path, where "I saved them" returns. */
  page: string;
  /** Texted codes are offered (customers with a confirmed number). */
  smsAllowed: boolean;
}) {
  const on = overview.twoFactor !== null;
  return (
    <Section
      title="Two-step sign-in"
      description={
        overview.twoFactor === "sms"
          ? "Signing in asks for your password and then a code we text to your phone."
          : on
            ? "Signing in asks for your password and then a code from your authenticator app."
            : "Protect your account with a code from an authenticator app on your phone, asked for after your password."
      }
      aside={on ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
    >
      {on ? (
        <div className="space-y-8">
          <p className="text-sm text-slate-700">
            {overview.recoveryCodesLeft} of 10 recovery codes left.
          </p>
          <RenewRecoveryCodes action={actions.renew} done={page} />
          <div className="border-t border-slate-200 pt-6">
            <TwoFactorOff action={actions.disable} />
          </div>
        </div>
      ) : setup ? (
        <div className="space-y-8">
          <TotpSetup
            action={actions.enable}
            secret={setup.secret}
            qrSvg={setup.qrSvg}
            done={page}
          />
          {smsAllowed ? (
            <div className="border-t border-slate-200 pt-6">
              <SmsFactorSetup action={actions.enableSms} done={page} />
            </div>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}

/** The account's signed-in devices, each of which can be signed out from here. */
export function SessionsSection({
  sessions,
  actions,
}: {
  sessions: SessionRow[];
  actions: { end: Action; endOthers: Action };
}) {
  return (
    <Section
      title="Where you are signed in"
      description="Sign out a device you no longer use or do not recognise."
    >
      <ul className="divide-y divide-slate-200">
        {sessions.map((s) => (
          <li
            key={s.id}
            className="flex flex-wrap items-center justify-between gap-3 py-3"
          >
            <div className="min-w-0 text-sm">
              <p className="font-medium text-slate-900">
                {s.device}
                {s.current ? (
                  <Badge tone="blue" className="ml-2">
                    This device
                  </Badge>
                ) : null}
              </p>
              <p className="[overflow-wrap:anywhere] text-slate-600">
                {s.ip ?? "Address unknown"} · last seen{" "}
                {formatDateTime(s.lastSeenAt)} · signed in{" "}
                {formatDateTime(s.createdAt)}
              </p>
            </div>
            {s.current ? null : (
              <SessionButton action={actions.end} sessionId={s.id}>
                Sign out
              </SessionButton>
            )}
          </li>
        ))}
      </ul>
      {sessions.some((s) => !s.current) ? (
        <SessionButton action={actions.endOthers}>
          Sign out everywhere else
        </SessionButton>
      ) : null}
    </Section>
  );
}

/** The account's mobile number, confirmed by a texted code. */
export function PhoneSection({
  overview,
  actions,
  masked,
}: {
  overview: SecurityOverview;
  actions: { start: Action; confirm: Action };
  /** The number as shown, masked. */
  masked: string | null;
}) {
  return (
    <Section
      title="Phone number"
      description={
        overview.phoneVerified && masked
          ? `Confirmed: ${masked}.`
          : "Add a mobile number we can text a code to."
      }
      aside={
        overview.phoneVerified ? <Badge tone="green">Confirmed</Badge> : null
      }
    >
      <PhoneForms
        start={actions.start}
        confirm={actions.confirm}
        phone={masked}
        verified={overview.phoneVerified}
      />
    </Section>
  );
}
