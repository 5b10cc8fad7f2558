import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listDepartments } from "@/lib/helpdesk/queries";
import { listStaff } from "@/lib/users/queries";
import { inviteAgentAction } from "./actions";
import { AgentStatusBadge } from "./agent-status-badge";
import { InviteForm } from "./invite-form";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const viewer = await requireAdmin("/staff/settings/agents");
  const db = await getDb();
  const [staff, departments] = await Promise.all([
    listStaff(db),
    listDepartments(db),
  ]);
  return (
    <>
      <PageHeader
        title="Agents"
        description="Everyone who works the staff desk. Invited agents choose their password from the link in their mail."
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        {staff.length === 0 ? (
          <EmptyState title="No agents yet" />
        ) : (
          <Table
            columns={["Name", "Role", "Departments", "Status", "Last sign-in"]}
          >
            {staff.map((s) => (
              <tr
                key={s.id}
                className={s.deactivatedAt ? "bg-slate-50" : undefined}
              >
                <Td>
                  <Link
                    href={`/staff/settings/agents/${s.id}`}
                    className="font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    {s.name}
                  </Link>
                  {s.id === viewer.id ? (
                    <span className="ml-1 text-xs text-slate-500">(you)</span>
                  ) : null}
                  <p className="text-xs text-slate-500">{s.email}</p>
                </Td>
                <Td>
                  {s.role === "admin" ? (
                    <Badge tone="blue">Administrator</Badge>
                  ) : (
                    <span className="text-slate-700">Agent</span>
                  )}
                </Td>
                <Td className="text-slate-700">
                  {s.departments.length ? (
                    s.departments.map((d) => d.name).join(", ")
                  ) : (
                    <span className="text-slate-500">None</span>
                  )}
                </Td>
                <Td>
                  <AgentStatusBadge agent={s} />
                </Td>
                <Td className="whitespace-nowrap text-slate-700">
                  {s.lastSignInAt ? (
                    formatDateTime(s.lastSignInAt)
                  ) : (
                    <span className="text-slate-500">Never</span>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">Invite an agent</h2>
          <InviteForm action={inviteAgentAction} departments={departments} />
        </Card>
      </div>
    </>
  );
}
