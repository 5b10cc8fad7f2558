import type { Metadata } from "next";
import type { Mailbox } from "@/db/schema";
import Link from "next/link";
import { getDb } from "@/db/client";
import { NO_SUBJECT } from "@/components/tickets/placeholders";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { SearchField, Select } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { Truncate } from "@/components/ui/truncate";
import { requireCustomer } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { mailboxOfUser } from "@/lib/mailcow/queries";
import { mailboxAddress } from "@/lib/mailcow/schemas";
import { listTicketsForCustomer } from "@/lib/tickets/customer-queries";
import { PAGE_SIZE } from "@/lib/tickets/query-parts";
import { customerTicketFiltersInput } from "@/lib/tickets/schemas";

export const metadata: Metadata = { title: "Your tickets" };

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const STATUS_OPTIONS = [
  ["all", "All tickets"],
  ["open", "Open"],
  ["pending", "Awaiting your reply"],
  ["resolved", "Resolved"],
  ["closed", "Closed"],
] as const;

export default async function TicketsPage({ searchParams }: Props) {
  const viewer = await requireCustomer("/tickets");
  const query = await searchParams;
  const parsed = customerTicketFiltersInput.safeParse(query);
  const filters = parsed.success
    ? parsed.data
    : customerTicketFiltersInput.parse({});
  const { rows, total } = await listTicketsForCustomer(
    await getDb(),
    viewer,
    filters,
  );
  const mailbox = query.welcome
    ? await mailboxOfUser(await getDb(), viewer.id)
    : null;
  const filtered = filters.status !== "all" || Boolean(filters.q);
  const pageHref = (page: number) =>
    `/tickets?${new URLSearchParams({ status: filters.status, ...(filters.q ? { q: filters.q } : {}), page: String(page) })}`;

  return (
    <>
      {query.welcome ? (
        <div className="mb-6">
          <Alert tone="success">
            Welcome to Portico, <bdi>{viewer.name}</bdi>! Your account is ready.
            {mailbox ? <WelcomeMailbox mailbox={mailbox} /> : null}
          </Alert>
        </div>
      ) : null}
      {query["password-reset"] ? (
        <div className="mb-6">
          <Alert tone="success">
            Your password was changed and you are signed in.
          </Alert>
        </div>
      ) : null}
      <PageHeader
        title="Your tickets"
        description="Questions and problems you've raised with our team."
        actions={<ButtonLink href="/tickets/new">Open a ticket</ButtonLink>}
      />
      <form
        role="search"
        className="mb-4 flex flex-wrap items-end gap-3"
        action="/tickets"
      >
        <div className="w-48">
          <label
            htmlFor="status"
            className="mb-1 block text-xs font-medium text-slate-600"
          >
            Status
          </label>
          <Select id="status" name="status" defaultValue={filters.status}>
            {STATUS_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <SearchField
          defaultValue={filters.q}
          placeholder="Words from the subject or messages, or a ticket number"
        />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No tickets match">
            <Link
              href="/tickets"
              className="text-indigo-600 hover:text-indigo-500"
            >
              Show all tickets
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title="No tickets yet">
            <p>When you ask us for help, the conversation shows up here.</p>
            <ButtonLink
              href="/tickets/new"
              className="mt-4"
              variant="secondary"
            >
              Open a ticket
            </ButtonLink>
          </EmptyState>
        )
      ) : (
        <>
          <Card>
            <ul className="divide-y divide-slate-100">
              {rows.map((t) => (
                <li
                  key={t.id}
                  className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-4"
                >
                  <div className="min-w-0 flex-1">
                    <Link
                      href={`/tickets/${t.number}`}
                      className="block font-medium text-slate-900 hover:text-indigo-600"
                    >
                      <Truncate
                        text={t.subject}
                        placeholder={NO_SUBJECT}
                        lines={2}
                      />
                    </Link>
                    <p className="text-xs [overflow-wrap:anywhere] text-slate-500">
                      #{t.number}
                      {t.helpTopic ? ` · ${t.helpTopic}` : ""} · last activity{" "}
                      {formatDateTime(t.lastMessageAt)}
                    </p>
                  </div>
                  <TicketStatusBadge status={t.status} />
                </li>
              ))}
            </ul>
          </Card>
          <Pagination
            page={filters.page}
            pageSize={PAGE_SIZE}
            total={total}
            href={pageHref}
          />
        </>
      )}
    </>
  );
}

/** What became of the mailbox asked for at signup, so a slow or absent Mailcow is never a mystery. */
function WelcomeMailbox({ mailbox }: { mailbox: Mailbox }) {
  const address = mailboxAddress(mailbox);
  const link = (
    <Link href="/mailbox" className="font-medium underline">
      Your mailbox
    </Link>
  );
  if (mailbox.status === "active")
    return mailbox.mustSetPassword ? (
      <>
        {" "}
        Your mailbox {address} is ready: set its password on {link}.
      </>
    ) : (
      <>
        {" "}
        Your mailbox {address} is ready, with the password you just chose.
        Client settings and webmail are on {link}.
      </>
    );
  if (mailbox.status === "pending" && mailbox.lastErrorKey === null)
    return (
      <>
        {" "}
        Your mailbox {address} is being created; {link} shows when it is ready.
      </>
    );
  if (mailbox.status === "pending")
    return (
      <>
        {" "}
        The mail server could not create your mailbox {address} just now. It is
        created as soon as the mail server takes it (our team is told when that
        needs them); {link} shows when it is ready, and you then set its
        password there.
      </>
    );
  return (
    <>
      {" "}
      Your mailbox {address} could not be created; {link} says why.
    </>
  );
}
