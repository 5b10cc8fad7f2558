import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { Button, ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { SearchField, Select } from "@/components/ui/field";
import { requireAgent } from "@/lib/auth/session";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { listDepartmentOptions } from "@/lib/tickets/form-options";
import { listQueue } from "@/lib/tickets/queue-queries";
import { tagsInUse } from "@/lib/tickets/tags";
import { listAssignableAgents } from "@/lib/tickets/workspace-queries";
import {
  QUEUE_SORTS,
  queueFiltersInput,
  TICKET_PRIORITIES,
  TICKET_SOURCE_LABELS,
  TICKET_SOURCES,
} from "@/lib/tickets/schemas";
import { bulkUpdateAction } from "./actions";
import { QueueView } from "./queue-view";

export const metadata: Metadata = { title: "Queue" };

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const SORT_LABELS = {
  activity: "Newest activity",
  created: "Newest tickets",
  due: "Due soonest",
  priority: "Highest priority",
} as const;

export default async function QueuePage({ searchParams }: Props) {
  const agent = await requireAgent("/staff");
  const parsed = queueFiltersInput.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : queueFiltersInput.parse({});
  const db = await getDb();
  const readAt = new Date();
  const [initial, departments, agents, tags] = await Promise.all([
    listQueue(db, agent, filters, readAt),
    listDepartmentOptions(db),
    listAssignableAgents(db),
    tagsInUse(db),
  ]);
  return (
    <>
      <PageHeader
        title="Queue"
        description="Every ticket that needs attention. The list refreshes itself."
        actions={<ButtonLink href="/staff/tickets/new">New ticket</ButtonLink>}
      />
      <form
        role="search"
        action="/staff"
        className="mb-4 flex flex-wrap items-end gap-3"
      >
        <input type="hidden" name="view" value={filters.view} />
        <FilterSelect
          id="departmentId"
          label="Department"
          value={filters.departmentId}
          options={departments.map((d) => [String(d.id), d.name])}
          all="All departments"
        />
        <FilterSelect
          id="assigneeId"
          label="Assignee"
          value={filters.assigneeId}
          options={agents.map((a) => [a.id, a.name])}
          all="Anyone"
        />
        <FilterSelect
          id="priority"
          label="Priority"
          value={filters.priority}
          options={TICKET_PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]])}
          all="Any priority"
        />
        <FilterSelect
          id="source"
          label="Source"
          value={filters.source}
          options={TICKET_SOURCES.map((s) => [s, TICKET_SOURCE_LABELS[s]])}
          all="Any source"
        />
        {tags.length || filters.tag ? (
          <FilterSelect
            id="tag"
            label="Tag"
            value={filters.tag}
            options={withChosen(tags, filters.tag).map((t) => [t, t])}
            all="Any tag"
          />
        ) : null}
        <FilterSelect
          id="sort"
          label="Sort"
          value={filters.sort}
          options={QUEUE_SORTS.map((s) => [s, SORT_LABELS[s]])}
        />
        <SearchField
          defaultValue={filters.q}
          placeholder="Number, words, customer name or email"
        />
        <Button type="submit" variant="secondary">
          Apply
        </Button>
      </form>
      <QueueView
        filters={filters}
        initial={initial}
        initialAt={readAt.getTime()}
        agents={agents}
        bulkAction={bulkUpdateAction}
      />
    </>
  );
}

function FilterSelect({
  id,
  label,
  value,
  options,
  all,
}: {
  id: string;
  label: string;
  value: string | number | undefined;
  options: Array<[string, string]>;
  all?: string;
}) {
  return (
    // Sized by the longest option ("All departments" is never cut), never wider than the screen.
    <div className="max-w-full min-w-0">
      <label
        htmlFor={id}
        className="mb-1 block text-xs font-medium text-slate-600"
      >
        {label}
      </label>
      <Select
        id={id}
        name={id}
        defaultValue={value === undefined ? "" : String(value)}
        className="w-auto max-w-full min-w-40"
      >
        {all ? <option value="">{all}</option> : null}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </Select>
    </div>
  );
}

// A tag followed from a link stays selectable even when it is not among the most used.
const withChosen = (tags: string[], chosen: string | undefined) =>
  chosen && !tags.includes(chosen) ? [chosen, ...tags] : tags;
