import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import {
  listDepartments,
  listHelpTopics,
  listSlaPlans,
} from "@/lib/helpdesk/queries";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { createHelpTopicAction } from "./actions";
import { HelpTopicForm } from "./help-topic-form";

export const metadata: Metadata = { title: "Help topics" };

const PRIORITY_TONES = {
  low: "gray",
  normal: "blue",
  high: "yellow",
  emergency: "red",
} as const;

export default async function HelpTopicsPage() {
  await requireAdmin("/staff/settings/help-topics");
  const db = await getDb();
  const [topics, departments, plans] = await Promise.all([
    listHelpTopics(db),
    listDepartments(db),
    listSlaPlans(db),
  ]);
  return (
    <>
      <PageHeader
        title="Help topics"
        description="What customers pick when they open a ticket. Each topic routes to a department with a priority and SLA plan. The id is what osTicket API callers send as topicId."
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        {topics.length === 0 ? (
          <EmptyState title="No help topics yet">
            Create the first one with the form.
          </EmptyState>
        ) : (
          <Table
            columns={[
              "ID",
              "Name",
              "Department",
              "Priority",
              "SLA plan",
              "Status",
            ]}
          >
            {topics.map((t) => (
              <tr key={t.id} className={t.isActive ? undefined : "bg-slate-50"}>
                <Td className="font-mono text-xs text-slate-500">{t.id}</Td>
                <Td>
                  <Link
                    href={`/staff/settings/help-topics/${t.id}`}
                    className="font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    {t.name}
                  </Link>
                  {t.isPublic ? null : (
                    <p className="text-xs text-slate-500">Internal</p>
                  )}
                </Td>
                <Td className="text-slate-700">{t.department}</Td>
                <Td>
                  <Badge tone={PRIORITY_TONES[t.priority]}>
                    {PRIORITY_LABELS[t.priority]}
                  </Badge>
                </Td>
                <Td className="text-slate-700">
                  {t.slaPlan ?? (
                    <span className="text-slate-500">Department default</span>
                  )}
                </Td>
                <Td>
                  {t.isActive ? (
                    <Badge tone="green">Active</Badge>
                  ) : (
                    <Badge>Inactive</Badge>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">New help topic</h2>
          <HelpTopicForm
            action={createHelpTopicAction}
            departments={departments}
            slaPlans={plans}
          />
        </Card>
      </div>
    </>
  );
}
