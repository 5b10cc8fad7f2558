"use client";

import {
  keepPreviousData,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import Link from "next/link";
import { useActionState, useState } from "react";
import { NO_NAME, NO_SUBJECT } from "@/components/tickets/placeholders";
import { SlaBadge } from "@/components/tickets/sla-badge";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Table, Td } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import { Pagination } from "@/components/ui/pagination";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/format";
import { initialFormState, type FormState } from "@/lib/forms";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import {
  QUEUE_VIEWS,
  TICKET_SOURCE_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
  type QueueFilters,
} from "@/lib/tickets/schemas";
import type { QueuePage, QueueRow } from "@/lib/tickets/queue-queries";

export const POLL_MS = 5000;

type Props = {
  filters: QueueFilters;
  initial: QueuePage;
  /** When the server read `initial` (ms), so the first poll comes one interval later. */
  initialAt: number;
  agents: Array<{ id: string; name: string }>;
  bulkAction: (prev: FormState, form: FormData) => Promise<FormState>;
};

const VIEW_LABELS: Record<(typeof QUEUE_VIEWS)[number], string> = {
  open: "Open",
  mine: "Mine",
  unassigned: "Unassigned",
  overdue: "Overdue",
  pending: "Pending",
  resolved: "Resolved",
  closed: "Closed",
  all: "All",
};

const PRIORITY_TONE = {
  low: "gray",
  normal: "gray",
  high: "yellow",
  emergency: "red",
} as const;

export function queueSearch(
  filters: QueueFilters,
  over: Partial<QueueFilters> = {},
): string {
  const merged = { ...filters, ...over };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (
      v === undefined ||
      v === "" ||
      (k === "page" && v === 1) ||
      (k === "sort" && v === "activity") ||
      (k === "view" && v === "open")
    )
      continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

// JSON turns dates into strings; the table wants Dates back.
function revive(page: QueuePage): QueuePage {
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    ...page,
    rows: page.rows.map((r): QueueRow => ({
      ...r,
      dueAt: date(r.dueAt),
      lastMessageAt: date(r.lastMessageAt)!,
      createdAt: date(r.createdAt)!,
    })),
  };
}

/** The agents' queue: refreshes itself every few seconds without losing page, filters or selection. */
export function QueueView({
  filters,
  initial,
  initialAt,
  agents,
  bulkAction,
}: Props) {
  const queryClient = useQueryClient();
  const search = queueSearch(filters);
  const { data, isFetching } = useQuery({
    queryKey: ["tickets", "queue", filters],
    queryFn: async ({ signal }) => {
      const res = await fetch(`/api/staff/queue${search}`, {
        signal,
        cache: "no-store",
      });
      if (!res.ok) throw new Error(`queue: ${res.status}`);
      return revive((await res.json()) as QueuePage);
    },
    initialData: initial,
    initialDataUpdatedAt: initialAt,
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [answers, setAnswers] = useState(0);
  const [state, formAction] = useActionState(
    async (prev: FormState, form: FormData) => {
      const next = await bulkAction(prev, form);
      // Also after a refusal: the rows then show what changed, and the selection stays.
      if (next.ok) setSelected(new Set());
      setAnswers((n) => n + 1);
      await queryClient.invalidateQueries({ queryKey: ["tickets", "queue"] });
      return next;
    },
    initialFormState,
  );

  const now = new Date();
  const visibleIds = data.rows.map((r) => r.id);
  // During a search the counts are the search's: where else it found tickets.
  const elsewhere = QUEUE_VIEWS.filter(
    (v) => v !== filters.view && v !== "all" && data.counts[v] > 0,
  ).map((v) => [v, data.counts[v]] as const);
  const allSelected =
    visibleIds.length > 0 && visibleIds.every((id) => selected.has(id));
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div>
      {filters.q ? (
        <p className="mb-2 text-sm [overflow-wrap:anywhere] text-slate-600">
          Searching every view for “{filters.q}”: each tab counts its matches.
        </p>
      ) : null}
      <nav
        aria-label="Queue views"
        className="mb-4 flex flex-wrap gap-1 border-b border-slate-200"
      >
        {QUEUE_VIEWS.map((view) => (
          <Link
            key={view}
            href={`/staff${queueSearch(filters, { view, page: 1 })}`}
            aria-current={filters.view === view ? "page" : undefined}
            className={cn(
              "-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
              filters.view === view
                ? "border-indigo-600 text-indigo-700"
                : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {VIEW_LABELS[view]}
            <span
              className={cn(
                "rounded-full px-2 py-0.5 text-xs",
                view === "overdue" && data.counts.overdue
                  ? "bg-red-100 text-red-700"
                  : "bg-slate-100 text-slate-600",
              )}
            >
              {data.counts[view]}
            </span>
          </Link>
        ))}
      </nav>

      {/* Remounted per answer: React resets a form after its action, and after a refusal the
          bulk choices must still be there for one more click. */}
      <form key={answers} action={formAction} className="space-y-3">
        {selected.size > 0 ? (
          <div
            className="flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-4 py-3 ring-1 ring-indigo-200"
            role="region"
            aria-label="Bulk actions"
          >
            <span className="text-sm font-medium text-indigo-900">
              {selected.size} selected
            </span>
            {[...selected].map((id) => (
              <input key={id} type="hidden" name="ids" value={id} />
            ))}
            {data.rows
              .filter((r) => selected.has(r.id))
              .map((r) => (
                <input
                  key={r.id}
                  type="hidden"
                  name="seen"
                  value={`${r.id}|${r.assigneeId ?? ""}|${r.status}`}
                />
              ))}
            <label className="sr-only" htmlFor="bulk-assignee">
              Assign to
            </label>
            <Select
              id="bulk-assignee"
              name="assignee"
              defaultValue={state.ok ? "" : (state.values?.assignee ?? "")}
              className="w-48"
            >
              <option value="">Assignee: no change</option>
              <option value="unassigned">Unassign</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  Assign to {a.name}
                </option>
              ))}
            </Select>
            <label className="sr-only" htmlFor="bulk-status">
              Set status
            </label>
            <Select
              id="bulk-status"
              name="status"
              defaultValue={state.ok ? "" : (state.values?.status ?? "")}
              className="w-44"
            >
              <option value="">Status: no change</option>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  Set “{TICKET_STATUS_LABELS[s]}”
                </option>
              ))}
            </Select>
            <SubmitButton size="sm" pendingLabel="Applying…">
              Apply
            </SubmitButton>
          </div>
        ) : null}
        {state.message ? (
          <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
        ) : null}

        {data.rows.length === 0 ? (
          <div className="rounded-lg border-2 border-dashed border-slate-200 px-6 py-12 text-center [overflow-wrap:anywhere] text-slate-600">
            <p>
              {filters.q
                ? `No tickets in this view match “${filters.q}”.`
                : "No tickets in this view."}
            </p>
            {filters.q && elsewhere.length ? (
              <p className="mt-2 text-sm">
                Matches in{" "}
                {elsewhere.map(([view, n], i) => (
                  <span key={view}>
                    {i > 0 ? ", " : null}
                    <Link
                      href={`/staff${queueSearch(filters, { view, page: 1 })}`}
                      className="font-medium text-indigo-700 underline"
                    >
                      {VIEW_LABELS[view]} ({n})
                    </Link>
                  </span>
                ))}
                .
              </p>
            ) : null}
          </div>
        ) : (
          <Table
            fixed
            className="min-w-[60rem] [&_td]:px-3 [&_th]:px-3"
            columns={[
              { label: "Select", isHidden: true, className: "w-10" },
              "Ticket",
              { label: "Customer", className: "w-36" },
              { label: "Department", className: "w-30" },
              { label: "Assignee", className: "w-28" },
              { label: "Status", className: "w-24" },
              { label: "Due", className: "w-24" },
              { label: "Last activity", className: "w-32" },
            ]}
          >
            {data.rows.map((t) => (
              <tr
                key={t.id}
                className={selected.has(t.id) ? "bg-indigo-50/50" : undefined}
              >
                <Td>
                  <input
                    type="checkbox"
                    aria-label={`Select ticket ${t.number}`}
                    checked={selected.has(t.id)}
                    onChange={() => toggle(t.id)}
                    className="size-4 rounded border-slate-300"
                  />
                </Td>
                <Td>
                  <Link
                    href={`/staff/tickets/${t.number}`}
                    className="block font-medium text-slate-900 hover:text-indigo-600"
                  >
                    <Truncate text={t.subject} placeholder={NO_SUBJECT} />
                  </Link>
                  <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
                    #{t.number} · via {TICKET_SOURCE_LABELS[t.source]}
                    {t.priority !== "normal" ? (
                      <Badge tone={PRIORITY_TONE[t.priority]}>
                        {PRIORITY_LABELS[t.priority]}
                      </Badge>
                    ) : null}
                    {t.tags.map((tag) => (
                      <Link
                        key={tag}
                        href={`/staff${queueSearch(filters, { tag, page: 1 })}`}
                        className="max-w-40 truncate rounded bg-slate-100 px-1.5 py-0.5 text-slate-700 hover:bg-slate-200"
                        title={`Only tickets tagged “${tag}”`}
                      >
                        {tag}
                      </Link>
                    ))}
                  </p>
                </Td>
                <Td className="text-slate-700">
                  <Truncate text={t.customerName} placeholder={NO_NAME} />
                </Td>
                <Td className="text-slate-700">
                  <Truncate text={t.department} placeholder="—" />
                </Td>
                <Td className="text-slate-700">
                  <Truncate text={t.assigneeName} placeholder="Unassigned" />
                </Td>
                <Td>
                  <TicketStatusBadge status={t.status} audience="staff" />
                </Td>
                <Td>
                  <SlaBadge dueAt={t.dueAt} status={t.status} now={now} />
                </Td>
                <Td className="text-slate-600">
                  {formatDateTime(t.lastMessageAt)}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </form>
      <div className="mt-2 flex items-center justify-between">
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <input
            type="checkbox"
            checked={allSelected}
            onChange={() =>
              setSelected(allSelected ? new Set() : new Set(visibleIds))
            }
            className="size-4 rounded border-slate-300"
          />
          Select all on this page
        </label>
        <p className="text-xs text-slate-500" aria-live="polite">
          {isFetching ? "Refreshing…" : `Updates every ${POLL_MS / 1000} s`}
        </p>
      </div>
      <Pagination
        page={data.page}
        pageSize={data.pageSize}
        total={data.total}
        capped={data.totalIsCapped}
        href={(page) => `/staff${queueSearch(filters, { page })}`}
      />
    </div>
  );
}
