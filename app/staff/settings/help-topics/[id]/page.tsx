import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import {
  getHelpTopic,
  listDepartments,
  listSlaPlans,
} from "@/lib/helpdesk/queries";
import { recordId } from "@/lib/helpdesk/schemas";
import { setHelpTopicActiveAction, updateHelpTopicAction } from "../actions";
import { HelpTopicForm } from "../help-topic-form";

export const metadata: Metadata = { title: "Help topic" };

export default async function HelpTopicPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  await requireAdmin(
    `/staff/settings/help-topics/${encodeURIComponent(rawId)}`,
  );
  const id = recordId.safeParse(rawId);
  if (!id.success) notFound();
  const db = await getDb();
  const [topic, departments, plans] = await Promise.all([
    getHelpTopic(db, id.data),
    listDepartments(db),
    listSlaPlans(db),
  ]);
  if (!topic) notFound();
  return (
    <>
      <BackLink href="/staff/settings/help-topics">Help topics</BackLink>
      <PageHeader
        title={topic.name}
        description={`Help topic ${topic.id} (the topicId API callers send)`}
        actions={
          topic.isActive ? (
            <Badge tone="green">Active</Badge>
          ) : (
            <Badge>Inactive</Badge>
          )
        }
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card className="p-5">
          <HelpTopicForm
            action={updateHelpTopicAction}
            departments={departments}
            slaPlans={plans}
            topic={topic}
          />
        </Card>
        <Card className="p-5">
          <h2 className="font-medium text-slate-900">
            {topic.isActive ? "Deactivate" : "Activate"}
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">
            {topic.isActive
              ? "Help topics are never deleted, so old tickets and API callers that send this id keep working. A deactivated topic can no longer be chosen for new tickets."
              : "This topic can't be chosen for new tickets. Activate it to offer it again."}
          </p>
          <ActionButton
            action={setHelpTopicActiveAction}
            fields={{ id: String(topic.id), isActive: String(!topic.isActive) }}
            pendingLabel="Saving…"
          >
            {topic.isActive ? "Deactivate help topic" : "Activate help topic"}
          </ActionButton>
        </Card>
      </div>
    </>
  );
}
