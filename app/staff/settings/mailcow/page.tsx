import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { mailboxStatus } from "@/db/schema";
import { MailboxStatusBadge } from "@/components/mailbox/mailbox-status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { cn } from "@/lib/cn";
import { env } from "@/lib/env";
import { formatByteSize, formatDateTime } from "@/lib/format";
import {
  mailcowHealth,
  type MailcowHealth,
  type MailcowWarning,
} from "@/lib/mailcow/health";
import { explainHalt, getMailcowHalt, haltAware } from "@/lib/mailcow/halt";
import { mailcowClient } from "@/lib/mailcow/provision";
import {
  countMailboxesByStatus,
  listMailboxesNeedingAttention,
} from "@/lib/mailcow/queries";
import { retryMailcowKeyAction } from "./actions";
import { RetryKeyForm } from "./retry-key-form";

export const metadata: Metadata = { title: "Mailboxes (Mailcow)" };

const TITLE = "Mailboxes (Mailcow)";

export default async function MailcowSettingsPage() {
  await requireAdmin("/staff/settings/mailcow");
  const config = env().mailcow;
  if (!config)
    return (
      <>
        <PageHeader title={TITLE} />
        <EmptyState title="Mailboxes are switched off">
          <p>
            Customers get no mailbox until Portico can reach Mailcow. Set{" "}
            <code>MAILCOW_API_URL</code>, <code>MAILCOW_API_KEY</code> and{" "}
            <code>MAILCOW_DOMAIN</code> to switch them on;{" "}
            <code>MAILCOW_QUOTA_MB</code> sets each new mailbox&apos;s storage
            (1024 MiB unless set). <code>.env.example</code> lists the rest.
          </p>
        </EmptyState>
      </>
    );

  const db = await getDb();
  // A page should not hang for the client's usual 12 s when Mailcow does not answer.
  const client = mailcowClient(config, { timeoutMs: 5_000 });
  const halted = await getMailcowHalt(db, client);
  const [health, counts, attention] = await Promise.all([
    // While the key is refused, viewing the page must not add to Mailcow's fail2ban count.
    halted
      ? null
      : mailcowHealth(haltAware(db, client, { known: null }), config.domain, {
          quotaMb: config.quotaMb,
        }),
    countMailboxesByStatus(db),
    listMailboxesNeedingAttention(db),
  ]);
  const halt = halted ?? (await getMailcowHalt(db, client));

  return (
    <>
      <PageHeader
        title={TITLE}
        description={`Customers get a mailbox at @${config.domain} with ${formatByteSize(config.quotaMb * 1024 * 1024)} of storage.`}
      />
      <div className="space-y-6">
        <RetryKeyForm action={retryMailcowKeyAction} isHalted={halt !== null}>
          {halt ? (
            <>
              <p className="font-medium">
                Portico stopped calling Mailcow on {formatDateTime(halt.since)}.
              </p>
              <p>{explainHalt(halt)}</p>
              <p>
                New mailboxes wait as pending meanwhile. Once the key is fixed
                in Mailcow, try again; a new key in <code>MAILCOW_API_KEY</code>{" "}
                is used at once.
              </p>
            </>
          ) : null}
        </RetryKeyForm>
        <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-2">
          <Card className="p-5">
            <h2 className="mb-3 font-medium text-slate-900">Connection</h2>
            {!health ? (
              <p className="text-sm text-slate-700">
                Not checked while Mailcow refuses the key.
              </p>
            ) : health.connection.ok ? (
              <p className="text-sm text-slate-700">
                Connected to Mailcow {health.connection.version} at{" "}
                <span className="font-mono">{config.apiUrl}</span>.
              </p>
            ) : (
              <Alert>
                Portico cannot use Mailcow at{" "}
                <span className="font-mono">{config.apiUrl}</span>:{" "}
                {health.connection.message} New mailboxes wait as pending until
                it can.
              </Alert>
            )}
          </Card>
          <Card className="p-5">
            <h2 className="mb-3 font-medium text-slate-900">Domain capacity</h2>
            {health ? (
              <Capacity health={health} />
            ) : (
              <p className="text-sm text-slate-500">
                Unknown while Mailcow refuses the key.
              </p>
            )}
          </Card>
        </div>

        {health?.warnings.length ? (
          <ul className="space-y-2" aria-label="Warnings">
            {health.warnings.map((w) => (
              <Warning key={w.message} warning={w} />
            ))}
          </ul>
        ) : null}

        <Card className="p-5">
          <h2 className="mb-3 font-medium text-slate-900">
            Portico&apos;s mailboxes
          </h2>
          <ul className="flex flex-wrap gap-4 text-sm">
            {mailboxStatus.enumValues.map((status) => (
              <li key={status} className="flex items-center gap-2">
                <MailboxStatusBadge status={status} />
                <span className="font-medium text-slate-900">
                  {counts[status]}
                </span>
              </li>
            ))}
          </ul>
        </Card>

        <section aria-labelledby="attention">
          <h2 id="attention" className="mb-3 font-medium text-slate-900">
            Failed and waiting
          </h2>
          {attention.length === 0 ? (
            <EmptyState title="Every mailbox request is done">
              Failed mailboxes, and those waiting for a retry, appear here.
            </EmptyState>
          ) : (
            <Table
              columns={[
                "Address",
                "Customer",
                "Status",
                "Last error",
                "Next attempt",
              ]}
            >
              {attention.map((m) => (
                <tr key={m.id}>
                  <Td className="font-mono text-xs break-all text-slate-900">
                    {m.localPart}@{m.domain}
                  </Td>
                  <Td>
                    <Link
                      href={`/staff/customers/${m.customer.id}`}
                      className="text-indigo-600 hover:text-indigo-500"
                    >
                      {m.customer.name}
                    </Link>
                    <p className="text-xs text-slate-500">{m.customer.email}</p>
                  </Td>
                  <Td>
                    <MailboxStatusBadge status={m.status} />
                    <p className="mt-1 text-xs text-slate-500">
                      {m.attempts} attempt{m.attempts === 1 ? "" : "s"}
                    </p>
                  </Td>
                  <Td className="max-w-md text-xs">
                    {m.lastErrorMessage ? (
                      <>
                        <p className="text-slate-800">{m.lastErrorMessage}</p>
                        <p className="font-mono text-slate-500">
                          {m.lastErrorKey}
                        </p>
                      </>
                    ) : (
                      <span className="text-slate-500">Not tried yet</span>
                    )}
                  </Td>
                  <Td className="text-xs whitespace-nowrap text-slate-700">
                    {m.status !== "pending"
                      ? "None (needs an admin)"
                      : halt && m.lastErrorKey === "auth"
                        ? "After “Try again” above"
                        : m.nextAttemptAt
                          ? formatDateTime(m.nextAttemptAt)
                          : "Due now"}
                  </Td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      </div>
    </>
  );
}

function Capacity({ health }: { health: MailcowHealth }) {
  const d = health.capacity;
  if (!d)
    return (
      <p className="text-sm text-slate-500">
        {health.connection.ok
          ? "Unknown: see the warning below."
          : "Unknown while Mailcow cannot be reached."}
      </p>
    );
  return (
    <dl className="grid grid-cols-1 gap-x-3 gap-y-2 text-sm [overflow-wrap:anywhere] sm:grid-cols-[12rem_minmax(0,1fr)]">
      <Fact label="Domain">
        <span className="font-mono">{d.domain}</span>{" "}
        {d.isActive ? null : <span className="text-red-700">(inactive)</span>}
      </Fact>
      <Fact label="Mailboxes">
        {count(d.mailboxes)} of {count(d.maxMailboxes)} used,{" "}
        {count(d.mailboxesLeft)} left
      </Fact>
      <Fact label="Storage given out">
        {formatByteSize(d.quotaAllocatedBytes)} of{" "}
        {formatByteSize(d.maxQuotaForDomainBytes)},{" "}
        {formatByteSize(d.quotaLeftBytes)} left
      </Fact>
      <Fact label="Largest mailbox allowed">
        {formatByteSize(d.maxQuotaPerMailboxBytes)}
      </Fact>
      <Fact label="Largest new mailbox now">
        {formatByteSize(d.maxNewMailboxQuotaBytes)}
      </Fact>
    </dl>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </>
  );
}

// Alert has no amber tone: a warning is amber, and a critical one red, like the ui Alert's error.
function Warning({ warning }: { warning: MailcowWarning }) {
  return (
    <li
      role={warning.level === "critical" ? "alert" : "status"}
      className={cn(
        "rounded-md px-4 py-3 text-sm ring-1",
        warning.level === "critical"
          ? "bg-red-50 text-red-800 ring-red-200"
          : "bg-amber-50 text-amber-900 ring-amber-200",
      )}
    >
      {warning.message}
    </li>
  );
}

const count = (n: number) => n.toLocaleString("en-GB");
