import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { cn } from "@/lib/cn";
import { formatByteSize, formatDateTime } from "@/lib/format";
import {
  describeInboundReason,
  INBOUND_PAGE_SIZE,
  inboundMailFiltersInput,
  listInboundMail,
  type InboundMailFilters,
  type InboundOutcome,
} from "@/lib/mail-ingest/ledger";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { SearchField } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td } from "@/components/ui/table";
import { releaseInboundMailAction } from "./actions";
import { ReleaseArea, ReleaseButton } from "./release-button";

export const metadata: Metadata = { title: "Mail" };

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const OUTCOMES: Record<
  InboundOutcome,
  { label: string; tone: "gray" | "green" | "yellow" | "red" | "blue" }
> = {
  pending: { label: "Pending", tone: "gray" },
  created: { label: "New ticket", tone: "green" },
  replied: { label: "Reply", tone: "blue" },
  ignored: { label: "Ignored", tone: "gray" },
  bounce: { label: "Bounce", tone: "yellow" },
  held: { label: "Held", tone: "yellow" },
  failed: { label: "Failed", tone: "red" },
};

const TABS: Array<InboundOutcome | undefined> = [
  undefined,
  "created",
  "replied",
  "ignored",
  "bounce",
  "held",
  "failed",
];

function mailHref(filters: Partial<InboundMailFilters>): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.outcome) params.set("outcome", filters.outcome);
  if (filters.page && filters.page > 1)
    params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/staff/mail?${query}` : "/staff/mail";
}

export default async function MailPage({ searchParams }: Props) {
  await requireAgent("/staff/mail");
  const filters = inboundMailFiltersInput.parse(await searchParams);
  const { rows, counts, total } = await listInboundMail(await getDb(), filters);

  return (
    <>
      <PageHeader
        title="Mail"
        description="Every message that reached the support mailbox or POST /api/tickets.email, newest first, with what became of it. Held and failed messages can be released into the helpdesk from here."
      />
      <form
        role="search"
        action="/staff/mail"
        className="mb-4 flex flex-wrap items-end gap-3"
      >
        {filters.outcome ? (
          <input type="hidden" name="outcome" value={filters.outcome} />
        ) : null}
        <SearchField
          defaultValue={filters.q}
          placeholder="Subject, sender or Message-ID"
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <nav
        aria-label="Outcomes"
        className="mb-4 flex flex-wrap gap-1 border-b border-slate-200"
      >
        {TABS.map((outcome) => {
          const current = filters.outcome === outcome;
          const n = counts[outcome ?? "all"];
          return (
            <Link
              key={outcome ?? "all"}
              href={mailHref({ q: filters.q, outcome })}
              aria-current={current ? "page" : undefined}
              className={cn(
                "-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
                current
                  ? "border-indigo-600 text-indigo-700"
                  : "border-transparent text-slate-600 hover:text-slate-900",
              )}
            >
              {outcome ? OUTCOMES[outcome].label : "All"}
              <span
                className={cn(
                  "rounded-full px-2 py-0.5 text-xs",
                  (outcome === "held" || outcome === "failed") && n > 0
                    ? "bg-amber-100 text-amber-800"
                    : "bg-slate-100 text-slate-600",
                )}
              >
                {n}
              </span>
            </Link>
          );
        })}
      </nav>
      {/* Outside the empty state too: releasing the last held message empties the Held tab. */}
      <ReleaseArea action={releaseInboundMailAction}>
        {rows.length === 0 ? (
          counts.all === 0 && !filters.q ? (
            <EmptyState title="No mail yet">
              Messages to the support mailbox and to POST /api/tickets.email
              appear here, each with what became of it.
            </EmptyState>
          ) : (
            <EmptyState title="No messages match">
              <Link
                href="/staff/mail"
                className="text-indigo-600 hover:text-indigo-500"
              >
                Show all mail
              </Link>
            </EmptyState>
          )
        ) : (
          <>
            <Table
              columns={["Received", "From", "Subject", "Outcome", "Ticket", ""]}
            >
              {rows.map((m) => (
                <tr key={m.id}>
                  <Td className="text-xs whitespace-nowrap text-slate-700">
                    {formatDateTime(m.processedAt)}
                    {m.receivedAt ? (
                      <p className="text-slate-500">
                        sent {formatDateTime(m.receivedAt)}
                      </p>
                    ) : null}
                  </Td>
                  <Td className="max-w-56">
                    <p
                      dir="auto"
                      className="truncate text-slate-900"
                      title={m.fromAddress ?? undefined}
                    >
                      {m.fromAddress ?? "No sender"}
                    </p>
                    <p
                      className="truncate text-xs text-slate-500"
                      title={m.receivingAddress}
                    >
                      {m.receivingAddress === "pipe"
                        ? "via the API"
                        : `to ${m.receivingAddress}`}
                    </p>
                  </Td>
                  <Td className="max-w-72">
                    <p
                      dir="auto"
                      className="truncate font-medium text-slate-900"
                      title={m.subject ?? undefined}
                    >
                      {m.subject || "[No Subject]"}
                    </p>
                    <p className="text-xs text-slate-500">
                      {formatByteSize(m.sizeBytes)}
                    </p>
                  </Td>
                  <Td>
                    <Badge tone={OUTCOMES[m.outcome].tone}>
                      {OUTCOMES[m.outcome].label}
                    </Badge>
                    {m.reason ? (
                      <p
                        className={cn(
                          "mt-1 max-w-xs truncate text-xs",
                          m.outcome === "failed"
                            ? "text-red-600"
                            : "text-slate-600",
                        )}
                        title={m.reason}
                      >
                        {describeInboundReason(m.reason)}
                      </p>
                    ) : null}
                  </Td>
                  <Td>
                    {m.ticketNumber ? (
                      <Link
                        href={`/staff/tickets/${m.ticketNumber}`}
                        className="text-indigo-700 hover:underline"
                      >
                        #{m.ticketNumber}
                      </Link>
                    ) : null}
                  </Td>
                  <Td>
                    <div className="flex items-center justify-end gap-3">
                      {m.hasRaw ? (
                        // A plain link: the route answers with a download, not a page to prefetch.
                        <a
                          href={`/staff/mail/${m.id}/raw`}
                          className="text-xs text-indigo-700 hover:underline"
                        >
                          Raw
                        </a>
                      ) : null}
                      {m.hasRaw &&
                      (m.outcome === "held" || m.outcome === "failed") ? (
                        <ReleaseButton
                          id={m.id}
                          replay={m.outcome === "failed"}
                        />
                      ) : null}
                    </div>
                  </Td>
                </tr>
              ))}
            </Table>
            <Pagination
              page={filters.page}
              pageSize={INBOUND_PAGE_SIZE}
              total={total}
              href={(page) => mailHref({ ...filters, page })}
            />
          </>
        )}
      </ReleaseArea>
    </>
  );
}
