import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { BackLink } from "@/components/ui/back-link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listDepartments } from "@/lib/helpdesk/queries";
import { getStaffMember } from "@/lib/users/queries";
import { agentId } from "@/lib/users/schemas";
import {
  deactivateAgentAction,
  reactivateAgentAction,
  resendAgentInviteAction,
  updateAgentAction,
} from "../actions";
import { AgentForm } from "../agent-form";
import { AgentStatusBadge } from "../agent-status-badge";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  const viewer = await requireAdmin(
    `/staff/settings/agents/${encodeURIComponent(rawId)}`,
  );
  const parsed = agentId.safeParse(rawId);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const db = await getDb();
  const [agent, departments] = await Promise.all([
    getStaffMember(db, id),
    listDepartments(db),
  ]);
  if (!agent || agent.role === "customer") notFound();
  const isSelf = agent.id === viewer.id;
  const fields = { id: agent.id };
  return (
    <>
      <BackLink href="/staff/settings/agents">Agents</BackLink>
      <PageHeader
        title={agent.name}
        description={`${agent.email} · ${
          agent.lastSignInAt
            ? `last signed in ${formatDateTime(agent.lastSignInAt)}`
            : "never signed in"
        }`}
        actions={<AgentStatusBadge agent={agent} />}
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card className="p-5">
          <AgentForm
            action={updateAgentAction}
            departments={departments}
            agent={{
              id: agent.id,
              name: agent.name,
              email: agent.email,
              role: agent.role,
              departmentIds: agent.departments.map((d) => d.id),
            }}
          />
        </Card>
        <div className="space-y-6">
          {!agent.hasPassword && !agent.deactivatedAt ? (
            <Card className="p-5">
              <h2 className="font-medium text-slate-900">Invitation</h2>
              <p className="mt-1 mb-4 text-sm text-slate-600">
                {agent.name} hasn&apos;t chosen a password yet. A new invitation
                replaces the link in earlier mails.
              </p>
              <ActionButton
                action={resendAgentInviteAction}
                fields={fields}
                pendingLabel="Sending…"
              >
                Resend invitation
              </ActionButton>
            </Card>
          ) : null}
          <Card className="p-5">
            <h2 className="font-medium text-slate-900">Access</h2>
            {isSelf ? (
              <p className="mt-1 text-sm text-slate-600">
                This is your own account. Another administrator can deactivate
                it.
              </p>
            ) : agent.deactivatedAt ? (
              <>
                <p className="mt-1 mb-4 text-sm text-slate-600">
                  Deactivated {formatDateTime(agent.deactivatedAt)}.{" "}
                  {agent.name} can&apos;t sign in. Reactivating restores their
                  access with the password they had.
                </p>
                <ActionButton
                  action={reactivateAgentAction}
                  fields={fields}
                  pendingLabel="Reactivating…"
                >
                  Reactivate
                </ActionButton>
              </>
            ) : (
              <>
                <p className="mt-1 mb-4 text-sm text-slate-600">
                  Deactivating signs {agent.name} out everywhere at once and
                  stops them signing in. Their tickets and history stay.
                </p>
                <ActionButton
                  action={deactivateAgentAction}
                  fields={fields}
                  variant="danger"
                  confirm={`Deactivate ${agent.name}? They are signed out at once.`}
                  pendingLabel="Deactivating…"
                >
                  Deactivate
                </ActionButton>
              </>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
