import type { Metadata } from "next";
import type { Mailbox as MailboxRow } from "@/db/schema";
import { getDb } from "@/db/client";
import type { Db } from "@/db/types";
import { ClientSettingsPanel } from "@/components/mailbox/client-settings-panel";
import { MailboxStatusBadge } from "@/components/mailbox/mailbox-status-badge";
import { QuotaBar } from "@/components/mailbox/quota-bar";
import { RefreshWhilePending } from "@/components/ui/refresh-while-pending";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { env, type MailcowConfig } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { mailClientSettings } from "@/lib/mailcow/client-settings";
import { CAPACITY_KEYS, mayChooseMailboxName } from "@/lib/mailcow/provision";
import { mailboxNameAvailability } from "@/lib/mailcow/availability";
import {
  isGoneFromMailcow,
  liveMailbox,
  mailboxOfUser,
  type LiveMailbox,
} from "@/lib/mailcow/queries";
import {
  mailboxPasswordHint,
  suggestMailboxName,
  mailboxAddress,
} from "@/lib/mailcow/schemas";
import type { Mailbox } from "@/lib/mailcow/types";
import { changeMailboxPasswordAction, createMailboxAction } from "./actions";
import { CreateMailboxForm } from "./create-form";
import { MailboxPasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Your mailbox" };

export default async function MailboxPage() {
  const viewer = await requireCustomer("/mailbox");
  const config = env().mailcow;
  const header = (
    <PageHeader
      title="Your mailbox"
      description="The company mailbox that comes with your account."
    />
  );
  if (!config)
    return (
      <>
        {header}
        <EmptyState title="Mailboxes are switched off">
          This portal does not hand out mailboxes at the moment. Once they are
          switched on, your address, quota and mail client settings appear here.
        </EmptyState>
      </>
    );

  const db = await getDb();
  const row = await mailboxOfUser(db, viewer.id);
  if (!row || mayChooseMailboxName(row))
    return (
      <>
        {header}
        <ChooseAgain
          db={db}
          config={config}
          viewer={viewer}
          row={row}
          intro={
            !row
              ? `You have no mailbox yet. Choose its name and password, and it is ready in a moment.`
              : row.status === "deleted"
                ? `Your mailbox ${mailboxAddress(row)} was deleted. You can create a new one.`
                : `${mailboxAddress(row)} could not be created: ${row.lastErrorMessage ?? "the name was refused"} Choose another name.`
          }
        />
      </>
    );

  if (row.status === "pending" || row.status === "failed")
    return (
      <>
        {header}
        <NotReady row={row} />
      </>
    );

  const live = await liveMailbox(db, config, mailboxAddress(row));
  // Mailcow answers `{}` for a mailbox it does not have: removed there, so not "Active" here.
  if (row.status === "active" && isGoneFromMailcow(row, live.mailbox))
    return (
      <>
        {header}
        <ChooseAgain
          db={db}
          config={config}
          viewer={viewer}
          row={row}
          missing
          intro={`Your mailbox ${mailboxAddress(row)} no longer exists on the mail server, so it cannot receive or send mail. You can create it again, under the same name or another; mail it held before is not brought back.`}
        />
      </>
    );
  return (
    <>
      {header}
      <Ready row={row} config={config} name={viewer.name} live={live} />
    </>
  );
}

/** The form for a customer who has no usable mailbox: none yet, deleted, refused, or missing. */
async function ChooseAgain({
  db,
  config,
  viewer,
  row,
  intro,
  missing = false,
}: {
  db: Db;
  config: MailcowConfig;
  viewer: { id: string; name: string; email: string };
  row: MailboxRow | null;
  intro: string;
  missing?: boolean;
}) {
  // The suggestion is checked like a typed name, so a name Mailcow refused is never offered again.
  const base =
    missing && row
      ? row.localPart
      : suggestMailboxName(viewer.name, viewer.email);
  const [live, availability] = await Promise.all([
    liveMailbox(db, config, null),
    mailboxNameAvailability(db, config, base, {
      forUserId: viewer.id,
      refused: row?.refusedLocalParts,
    }),
  ]);
  return (
    <Card className="max-w-xl space-y-4 p-6">
      {row ? (
        <p className="flex flex-wrap items-center gap-3 font-mono text-sm break-all text-slate-900">
          {mailboxAddress(row)}{" "}
          <MailboxStatusBadge status={missing ? "missing" : row.status} />
        </p>
      ) : null}
      <h2 className="text-base font-semibold text-slate-900">
        {missing ? "Create your mailbox again" : "Create your mailbox"}
      </h2>
      <p className="text-sm text-slate-600">{intro}</p>
      <CreateMailboxForm
        action={createMailboxAction}
        domain={config.domain}
        suggestion={availability.free ? base : (availability.suggestion ?? "")}
        hint={mailboxPasswordHint(live.policy.ok ? live.policy.value : null)}
      />
    </Card>
  );
}

function NotReady({ row }: { row: MailboxRow }) {
  const key = row.lastErrorKey;
  const next = row.nextAttemptAt ? formatDateTime(row.nextAttemptAt) : null;
  return (
    <Card className="max-w-2xl space-y-4 p-6">
      {row.status === "pending" ? <RefreshWhilePending /> : null}
      <AddressLine row={row} />
      {row.status === "failed" ? (
        <Alert>
          Your mailbox could not be created: {row.lastErrorMessage} Our support
          team can see this and will sort it out; you can also open a ticket.
        </Alert>
      ) : key === null ? (
        <Alert tone="info">
          Your mailbox is being created. This takes a moment; reload the page to
          see it ready.
        </Alert>
      ) : key === "auth" ? (
        <Alert tone="info">
          The mail server is not accepting requests from this portal just now.
          Our team has been told, and your mailbox is created as soon as they
          have sorted it out. Nothing is lost.
        </Alert>
      ) : CAPACITY_KEYS.has(key) ? (
        <Alert tone="info">
          The mail server has no room for new mailboxes right now. Our team has
          been told, and yours is created automatically as soon as there is room
          {next ? ` (next try: ${next})` : ""}.
        </Alert>
      ) : (
        <Alert tone="info">
          We could not reach the mail server to create your mailbox. Nothing is
          lost: Portico keeps trying on its own
          {next ? ` (next try: ${next})` : ""}. When it is ready, you set its
          password here.
        </Alert>
      )}
    </Card>
  );
}

function Ready({
  row,
  config,
  name,
  live,
}: {
  row: MailboxRow;
  config: MailcowConfig;
  name: string;
  live: LiveMailbox;
}) {
  const address = mailboxAddress(row);
  const mailbox = live.mailbox.ok ? live.mailbox.value : null;
  const suspended = row.status === "suspended";
  return (
    <div className="space-y-6">
      {row.mustSetPassword && !suspended ? (
        <Alert tone="info">
          Your mailbox was created with a temporary password. Set your own
          password below to use it in webmail and mail apps.
        </Alert>
      ) : null}
      {suspended ? (
        <Alert>
          Your mailbox is suspended: you cannot sign in to it and no mail is
          delivered. Please contact support.
        </Alert>
      ) : null}
      <Card className="space-y-5 p-6">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <AddressLine row={row} />
          {!suspended ? (
            <ButtonLink
              href={config.webmailUrl}
              target="_blank"
              rel="noopener noreferrer"
            >
              Open webmail
            </ButtonLink>
          ) : null}
        </div>
        {live.mailbox.ok && mailbox ? (
          <Usage mailbox={mailbox} />
        ) : live.mailbox.ok ? (
          <p className="text-sm text-slate-500">
            The mail server has no such mailbox any more. Please contact
            support.
          </p>
        ) : (
          <p className="text-sm text-slate-500">
            Usage could not be read from the mail server just now; reload the
            page to try again.
          </p>
        )}
      </Card>
      {!suspended ? (
        <>
          <ClientSettingsPanel
            settings={mailClientSettings(config, address)}
            autoconfigHref="/mailbox/config/thunderbird"
            mobileconfigHref="/mailbox/config/apple"
          />
          <Card className="max-w-xl space-y-4 p-6">
            <h2
              id="mailbox-password"
              className="text-base font-semibold text-slate-900"
            >
              {row.mustSetPassword
                ? "Set your mailbox password"
                : "Change mailbox password"}
            </h2>
            <p className="text-sm [overflow-wrap:anywhere] text-slate-600">
              {name}, this changes the password of {address} only; your portal
              password stays as it is.
            </p>
            <MailboxPasswordForm
              action={changeMailboxPasswordAction}
              hint={mailboxPasswordHint(
                live.policy.ok ? live.policy.value : null,
              )}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}

function AddressLine({ row }: { row: MailboxRow }) {
  return (
    <div className="space-y-1">
      <p className="text-sm text-slate-500">Your address</p>
      <p className="flex flex-wrap items-center gap-3 text-lg font-semibold [overflow-wrap:anywhere] text-slate-900">
        {mailboxAddress(row)} <MailboxStatusBadge status={row.status} />
      </p>
    </div>
  );
}

const ACTIVITY = {
  active: "Active",
  disabled: "Suspended",
  login_disabled: "Login disabled",
} as const;

function Usage({ mailbox }: { mailbox: Mailbox }) {
  return (
    <div className="space-y-4">
      <QuotaBar
        usedBytes={mailbox.quotaUsedBytes}
        totalBytes={mailbox.quotaBytes}
      />
      <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
        <dt className="text-slate-500">On the mail server</dt>
        <dd className="text-slate-900">{ACTIVITY[mailbox.activity]}</dd>
        <dt className="text-slate-500">Messages</dt>
        <dd className="text-slate-900">
          {mailbox.messages.toLocaleString("en-GB")}
        </dd>
        <dt className="text-slate-500">Last IMAP login</dt>
        <dd className="text-slate-900">
          {mailbox.lastImapLoginAt
            ? formatDateTime(new Date(mailbox.lastImapLoginAt * 1000))
            : "Never"}
        </dd>
      </dl>
    </div>
  );
}
