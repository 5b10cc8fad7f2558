"use client";

import { useEffect, useId, useState, type ReactNode } from "react";
import type {
  MailClientSettings,
  MailServerSettings,
} from "@/lib/mailcow/types";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

const AUTHENTICATION: Record<MailClientSettings["authentication"], string> = {
  "normal-password": "Normal password",
};

export type ClientSettingsPanelProps = {
  settings: MailClientSettings;
  /** Where the Thunderbird autoconfig file is served. */
  autoconfigHref: string;
  /** Where the Apple configuration profile is served. */
  mobileconfigHref: string;
};

export function ClientSettingsPanel({
  settings,
  autoconfigHref,
  mobileconfigHref,
}: ClientSettingsPanelProps) {
  const headingId = useId();
  return (
    <Card className="p-5">
      <section aria-labelledby={headingId}>
        <h2 id={headingId} className="font-medium text-slate-900">
          Mail client settings
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          For Outlook, Thunderbird, Apple Mail or the mail app on your phone.
          The password is your mailbox password, the same for every server.
        </p>

        <div className="mt-5 grid gap-4 lg:grid-cols-3">
          <ServerSection
            title="Incoming mail (IMAP)"
            protocol="IMAP"
            server={settings.imap}
            username={settings.username}
          />
          <ServerSection
            title="Outgoing mail (SMTP)"
            protocol="SMTP"
            server={settings.smtp}
            username={settings.username}
          />
          <ServerSection
            title="POP3"
            protocol="POP3"
            server={settings.pop3}
            username={settings.username}
          />
        </div>

        <p className="mt-4 text-sm text-slate-600">
          Authentication:{" "}
          <span className="font-medium text-slate-900">
            {AUTHENTICATION[settings.authentication]}
          </span>
          . Choose SSL/TLS where your app offers it; STARTTLS works too. Use
          POP3 only if your app cannot use IMAP: it keeps mail on one device.
        </p>

        <div className="mt-5 border-t border-slate-200 pt-5">
          <h3 className="text-sm font-medium text-slate-900">
            Set up automatically
          </h3>
          <div className="mt-3 flex flex-wrap gap-3">
            <a
              href={autoconfigHref}
              className={buttonVariants({ variant: "secondary", size: "sm" })}
            >
              Thunderbird settings file
            </a>
            <a
              href={mobileconfigHref}
              className={buttonVariants({ variant: "secondary", size: "sm" })}
            >
              Apple Mail profile (iPhone, iPad, Mac)
            </a>
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Neither file contains your password: your app asks for it once.
          </p>
        </div>
      </section>
    </Card>
  );
}

function ServerSection({
  title,
  protocol,
  server,
  username,
}: {
  title: string;
  protocol: "IMAP" | "SMTP" | "POP3";
  server: MailServerSettings;
  username: string;
}) {
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200 ring-inset"
    >
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      <dl className="mt-3 space-y-3 text-sm">
        <Row label="Server">
          <span className="font-mono break-all text-slate-900">
            {server.host}
          </span>
          <CopyButton value={server.host} label={`Copy ${protocol} server`} />
        </Row>
        <Row label="Port">
          <ul className="space-y-1">
            <li className="flex flex-wrap items-center gap-2">
              <span className="text-slate-900 tabular-nums">
                {server.sslPort} · SSL/TLS
              </span>
              <Badge tone="green">Recommended</Badge>
            </li>
            <li className="text-slate-700 tabular-nums">
              {server.starttlsPort} · STARTTLS
            </li>
          </ul>
        </Row>
        <Row label="Username">
          <span className="font-mono break-all text-slate-900">{username}</span>
          <CopyButton value={username} label={`Copy ${protocol} username`} />
        </Row>
      </dl>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 flex items-start justify-between gap-2">
        {children}
      </dd>
    </div>
  );
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // No clipboard outside a secure context, or permission refused: the text stays selectable.
      setState("failed");
    }
  }

  const message =
    state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "";
  return (
    <>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        aria-label={label}
        onClick={copy}
        className="-my-1 h-7 min-w-16 shrink-0 px-2 text-xs text-indigo-700 hover:bg-indigo-50"
      >
        {message || "Copy"}
      </Button>
      {/* The button's name stays "Copy …", so the result is announced separately. */}
      <span role="status" className="sr-only">
        {message}
      </span>
    </>
  );
}
