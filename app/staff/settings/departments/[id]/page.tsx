import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { getDepartment, listSlaPlans } from "@/lib/helpdesk/queries";
import { recordId } from "@/lib/helpdesk/schemas";
import { listStaff } from "@/lib/users/queries";
import {
  addDepartmentMemberAction,
  deleteDepartmentAction,
  removeDepartmentMemberAction,
  updateDepartmentAction,
} from "../actions";
import { DepartmentForm } from "../department-form";
import { AddMemberForm } from "./add-member-form";

export const metadata: Metadata = { title: "Department" };

export default async function DepartmentPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  await requireAdmin(
    `/staff/settings/departments/${encodeURIComponent(rawId)}`,
  );
  const id = recordId.safeParse(rawId);
  if (!id.success) notFound();
  const db = await getDb();
  const [department, plans, staff] = await Promise.all([
    getDepartment(db, id.data),
    listSlaPlans(db),
    listStaff(db),
  ]);
  if (!department) notFound();
  const memberIds = new Set(department.members.map((m) => m.id));
  const candidates = staff.filter(
    (s) => !memberIds.has(s.id) && !s.deactivatedAt,
  );
  const usage = [
    `${department.ticketCount} ticket${department.ticketCount === 1 ? "" : "s"}`,
    `${department.helpTopicCount} help topic${department.helpTopicCount === 1 ? "" : "s"}`,
    `${department.cannedReplyCount} canned repl${department.cannedReplyCount === 1 ? "y" : "ies"}`,
  ].join(" · ");
  return (
    <>
      <BackLink href="/staff/settings/departments">Departments</BackLink>
      <PageHeader
        title={department.name}
        description={`Department ${department.id} · ${usage}`}
      />
      <div className="grid items-start gap-6 xl:grid-cols-2">
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">Details</h2>
          <DepartmentForm
            action={updateDepartmentAction}
            slaPlans={plans}
            department={{
              id: department.id,
              name: department.name,
              email: department.email,
              slaPlanId: department.slaPlanId,
              isPublic: department.isPublic,
              signature: department.signature,
            }}
          />
        </Card>
        <Card>
          <h2 className="border-b border-slate-100 px-5 py-3 font-medium text-slate-900">
            Agents{" "}
            <span className="text-sm font-normal text-slate-500">
              ({department.members.length})
            </span>
          </h2>
          {department.members.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">
              Nobody works this department yet.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {department.members.map((m) => (
                <li
                  key={m.id}
                  className="flex items-center gap-3 px-5 py-3 text-sm"
                >
                  <div className="min-w-0 flex-1">
                    <Link
                      href={`/staff/settings/agents/${m.id}`}
                      className="font-medium text-slate-900 hover:text-indigo-600"
                    >
                      {m.name}
                    </Link>
                    <p className="truncate text-xs text-slate-500">{m.email}</p>
                  </div>
                  {m.role === "admin" ? <Badge tone="blue">Admin</Badge> : null}
                  {m.deactivatedAt ? (
                    <Badge tone="red">Deactivated</Badge>
                  ) : null}
                  <ActionButton
                    action={removeDepartmentMemberAction}
                    fields={{
                      departmentId: String(department.id),
                      userId: m.id,
                    }}
                    variant="ghost"
                    pendingLabel="Removing…"
                  >
                    Remove<span className="sr-only"> {m.name}</span>
                  </ActionButton>
                </li>
              ))}
            </ul>
          )}
          <div className="border-t border-slate-100 px-5 py-4">
            <AddMemberForm
              action={addDepartmentMemberAction}
              departmentId={department.id}
              candidates={candidates}
            />
          </div>
        </Card>
      </div>
      <Card className="mt-6 p-5">
        <h2 className="font-medium text-slate-900">Delete this department</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Only a department without tickets or help topics can be deleted. Its
          canned replies and agent memberships are removed with it.
        </p>
        <ActionButton
          action={deleteDepartmentAction}
          fields={{ id: String(department.id) }}
          variant="danger"
          confirm={`Delete the department “${department.name}”? This cannot be undone.`}
          pendingLabel="Deleting…"
        >
          Delete department
        </ActionButton>
      </Card>
    </>
  );
}
