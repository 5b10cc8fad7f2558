import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { getCannedReply, listDepartments } from "@/lib/helpdesk/queries";
import { recordId } from "@/lib/helpdesk/schemas";
import {
  deleteCannedReplyAction,
  setCannedReplyActiveAction,
  updateCannedReplyAction,
} from "../actions";
import { CannedReplyForm } from "../canned-reply-form";

export const metadata: Metadata = { title: "Canned reply" };

export default async function CannedReplyPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  await requireAdmin(
    `/staff/settings/canned-replies/${encodeURIComponent(rawId)}`,
  );
  const id = recordId.safeParse(rawId);
  if (!id.success) notFound();
  const db = await getDb();
  const [reply, departments] = await Promise.all([
    getCannedReply(db, id.data),
    listDepartments(db),
  ]);
  if (!reply) notFound();
  return (
    <>
      <BackLink href="/staff/settings/canned-replies">Canned replies</BackLink>
      <PageHeader
        title={reply.title}
        actions={
          reply.isActive ? (
            <Badge tone="green">Active</Badge>
          ) : (
            <Badge>Inactive</Badge>
          )
        }
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card className="p-5">
          <CannedReplyForm
            action={updateCannedReplyAction}
            departments={departments}
            reply={reply}
          />
        </Card>
        <div className="space-y-6">
          <Card className="p-5">
            <h2 className="font-medium text-slate-900">
              {reply.isActive ? "Deactivate" : "Activate"}
            </h2>
            <p className="mt-1 mb-4 text-sm text-slate-600">
              {reply.isActive
                ? "Hide the reply from agents but keep it for later."
                : "Agents don't see this reply. Activate it to offer it again."}
            </p>
            <ActionButton
              action={setCannedReplyActiveAction}
              fields={{
                id: String(reply.id),
                isActive: String(!reply.isActive),
              }}
              pendingLabel="Saving…"
            >
              {reply.isActive ? "Deactivate reply" : "Activate reply"}
            </ActionButton>
          </Card>
          <Card className="p-5">
            <h2 className="font-medium text-slate-900">Delete</h2>
            <p className="mt-1 mb-4 text-sm text-slate-600">
              Removes the reply for good. Messages already sent with it are not
              affected.
            </p>
            <ActionButton
              action={deleteCannedReplyAction}
              fields={{ id: String(reply.id) }}
              variant="danger"
              confirm={`Delete the canned reply “${reply.title}”? This cannot be undone.`}
              pendingLabel="Deleting…"
            >
              Delete reply
            </ActionButton>
          </Card>
        </div>
      </div>
    </>
  );
}
