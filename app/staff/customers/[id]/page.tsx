import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import type { Mailbox } from "@/db/schema";
import type { Db } from "@/db/types";
import { MailboxStatusBadge } from "@/components/mailbox/mailbox-status-badge";
import { OrderTable } from "@/components/orders/order-table";
import { ServiceTable } from "@/components/orders/service-table";
import { NO_NAME, NO_SUBJECT } from "@/components/tickets/placeholders";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { ButtonLink } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { BackLink } from "@/components/ui/back-link";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { orPlaceholder, Truncate } from "@/components/ui/truncate";
import { requireAgent } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/viewer";
import { getCustomerForStaff } from "@/lib/customers/queries";
import { customerId } from "@/lib/customers/schemas";
import { env } from "@/lib/env";
import { formatByteSize, formatDate, formatDateTime } from "@/lib/format";
import { isMissingInMailcow } from "@/lib/mailcow/admin";
import { mailcowClient } from "@/lib/mailcow/provision";
import { mailboxAddress } from "@/lib/mailcow/schemas";
import { listServices } from "@/lib/orders/queries";
import { mailboxOperationAction } from "./actions";
import {
  CloseAccountButton,
  ResetTwoFactorButton,
} from "@/components/account/security-admin";
import { resetTwoFactorAction } from "../../settings/security/actions";
import { closeAccountAction } from "./actions";
import { MailboxAdminButtons } from "./mailbox-admin-buttons";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Customer" };

export default async function CustomerPage({ params }: Props) {
  const { id: rawId } = await params;
  const viewer = await requireAgent(
    `/staff/customers/${encodeURIComponent(rawId)}`,
  );
  const parsed = customerId.safeParse(rawId);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const db = await getDb();
  const data = await getCustomerForStaff(db, id);
  if (!data) notFound();
  const { customer, mailbox } = data;
  const services = await listServices(db, customer.id);

  return (
    <>
      <BackLink href="/staff/customers">Customers</BackLink>
      <PageHeader
        title={orPlaceholder(customer.name, NO_NAME)}
        description={`Customer since ${formatDate(customer.createdAt)}`}
        actions={
          <>
            {customer.role !== "customer" ? (
              <Badge tone="blue">
                {customer.role === "admin" ? "Administrator" : "Agent"}
              </Badge>
            ) : null}
            {customer.deactivatedAt ? <Badge>Deactivated</Badge> : null}
            {customer.role === "customer" && !customer.deactivatedAt ? (
              <ButtonLink
                size="sm"
                variant="secondary"
                href={`/staff/tickets/new?email=${encodeURIComponent(customer.email)}`}
              >
                New ticket
              </ButtonLink>
            ) : null}
          </>
        }
      />
      <p className="-mt-4 mb-6 text-sm [overflow-wrap:anywhere]">
        <a
          href={`mailto:${customer.email}`}
          className="text-indigo-600 hover:text-indigo-500"
        >
          {customer.email}
        </a>
        {customer.phone ? (
          <span className="text-slate-600"> · {customer.phone}</span>
        ) : null}
      </p>

      {viewer.role === "admin" &&
      customer.closureRequestedAt &&
      !customer.deactivatedAt ? (
        <div className="mb-6 space-y-3 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <p>
            They asked on {formatDateTime(customer.closureRequestedAt)} to close
            their account. Their mailbox is not touched: suspend or delete it
            below if it should go too.
          </p>
          <CloseAccountButton
            action={closeAccountAction}
            userId={customer.id}
          />
        </div>
      ) : null}
      {viewer.role === "admin" && customer.twoFactor ? (
        <div className="mb-6 flex flex-wrap items-center gap-3 text-sm text-slate-700">
          <span>
            Two-step sign-in is on (
            {customer.twoFactor === "sms"
              ? "codes by text"
              : "authenticator app"}
            ).
          </span>
          <ResetTwoFactorButton
            action={resetTwoFactorAction}
            userId={customer.id}
            name={customer.name}
          />
        </div>
      ) : null}
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <Section
            title={`Tickets (${data.tickets.total})`}
            note={
              data.tickets.total > data.tickets.rows.length
                ? `The ${data.tickets.rows.length} with the latest activity.`
                : undefined
            }
          >
            {data.tickets.rows.length ? (
              <Table
                fixed
                className="min-w-[32rem]"
                columns={[
                  "Ticket",
                  { label: "Status", className: "w-28" },
                  { label: "Last activity", className: "w-48" },
                ]}
              >
                {data.tickets.rows.map((t) => (
                  <tr key={t.id}>
                    <Td>
                      <Link
                        href={`/staff/tickets/${t.number}`}
                        className="flex gap-1 font-medium text-indigo-600 hover:text-indigo-500"
                      >
                        <span className="shrink-0">#{t.number}</span>
                        <Truncate text={t.subject} placeholder={NO_SUBJECT} />
                      </Link>
                    </Td>
                    <Td>
                      <TicketStatusBadge status={t.status} audience="staff" />
                    </Td>
                    <Td className="text-xs whitespace-nowrap text-slate-600">
                      {formatDateTime(t.lastMessageAt)}
                    </Td>
                  </tr>
                ))}
              </Table>
            ) : (
              <p className="text-sm text-slate-500">No tickets yet.</p>
            )}
          </Section>
          <Section title="Orders">
            {data.orders.length ? (
              <OrderTable
                orders={data.orders}
                href={(o) => `/staff/orders/${o.id}`}
              />
            ) : (
              <p className="text-sm text-slate-500">No orders.</p>
            )}
          </Section>
          <Section title="Services">
            {services.length ? (
              <ServiceTable
                services={services}
                orderHref={(orderId) => `/staff/orders/${orderId}`}
              />
            ) : (
              <p className="text-sm text-slate-500">No services.</p>
            )}
          </Section>
        </div>

        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-slate-900">Mailbox</h2>
          {mailbox ? (
            <MailboxCard
              mailbox={mailbox}
              isAdmin={isAdmin(viewer)}
              isSwitchedOn={env().mailcow !== null}
              isMissing={
                isAdmin(viewer) && (await isMissingInMailcowNow(db, mailbox))
              }
            />
          ) : (
            <p className="text-sm text-slate-500">No mailbox.</p>
          )}
        </Card>
      </div>
    </>
  );
}

function Section({
  title,
  note,
  children,
}: {
  title: string;
  note?: string;
  children: ReactNode;
}) {
  return (
    <section>
      <h2 className="mb-3 text-sm font-semibold text-slate-900">
        {title}{" "}
        {note ? (
          <span className="font-normal text-slate-500">{note}</span>
        ) : null}
      </h2>
      {children}
    </section>
  );
}

/**
 * Whether Mailcow answers `{}` for a mailbox Portico has as created, so an admin can create it again.
 * Unknown (Mailcow slow, or its key refused) counts as not missing: nothing is offered then.
 */
async function isMissingInMailcowNow(db: Db, m: Mailbox): Promise<boolean> {
  const config = env().mailcow;
  if (!config || (m.status !== "active" && m.status !== "suspended"))
    return false;
  const found = await isMissingInMailcow(
    db,
    mailcowClient(config, { timeoutMs: 3_000 }),
    m,
    { now: new Date() },
  );
  return found.ok && found.value;
}

function MailboxCard({
  mailbox: m,
  isAdmin,
  isSwitchedOn,
  isMissing,
}: {
  mailbox: Mailbox;
  isAdmin: boolean;
  isSwitchedOn: boolean;
  isMissing: boolean;
}) {
  const address = mailboxAddress(m);
  const heading = (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <p className="font-mono text-sm break-all text-slate-900">{address}</p>
      <MailboxStatusBadge status={isMissing ? "missing" : m.status} />
    </div>
  );
  // Agents see whether the mailbox works; what went wrong and what to do about it is for admins.
  if (!isAdmin) return heading;
  const isWaiting = m.status === "pending" || m.status === "failed";
  return (
    <div className="space-y-4">
      {heading}
      {isMissing ? (
        <div className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200">
          Mailcow has no mailbox {address} any more: it was removed there.{" "}
          {m.status === "active"
            ? "Recreate it (with a password the customer must replace), or the customer can create it again from their mailbox page."
            : "Delete it here, or re-create it in Mailcow before re-activating it."}
        </div>
      ) : null}
      {(isWaiting || m.status === "active") && m.lastErrorMessage ? (
        <div className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200">
          <p className="font-mono text-xs">{m.lastErrorKey}</p>
          <p>{m.lastErrorMessage}</p>
        </div>
      ) : null}
      <dl className="grid grid-cols-[10rem_1fr] gap-x-2 gap-y-2 text-sm">
        <dt className="text-slate-500">Created in Mailcow</dt>
        <dd>{m.provisionedAt ? formatDateTime(m.provisionedAt) : "Not yet"}</dd>
        <dt className="text-slate-500">Attempts</dt>
        <dd>{m.attempts}</dd>
        {m.status === "pending" ? (
          <>
            <dt className="text-slate-500">Next attempt</dt>
            <dd>
              {m.nextAttemptAt ? formatDateTime(m.nextAttemptAt) : "Due now"}
            </dd>
          </>
        ) : null}
        {m.provisionedAt ? (
          <>
            <dt className="text-slate-500">Password</dt>
            <dd>
              {m.mustSetPassword
                ? "Generated; the customer must set their own"
                : "Chosen by the customer"}
            </dd>
          </>
        ) : null}
        <dt className="text-slate-500">Quota</dt>
        <dd>{formatByteSize(m.quotaMb * 1024 * 1024)}</dd>
      </dl>
      {isSwitchedOn ? (
        <MailboxAdminButtons
          action={mailboxOperationAction}
          mailboxId={m.id}
          address={address}
          status={m.status}
          isMissing={isMissing}
        />
      ) : (
        <p className="text-xs text-slate-500">
          Mailboxes are switched off, so it cannot be changed from here.
        </p>
      )}
    </div>
  );
}
