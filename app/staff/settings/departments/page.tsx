import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { listDepartments, listSlaPlans } from "@/lib/helpdesk/queries";
import { createDepartmentAction } from "./actions";
import { DepartmentForm } from "./department-form";

export const metadata: Metadata = { title: "Departments" };

export default async function DepartmentsPage() {
  await requireAdmin("/staff/settings/departments");
  const db = await getDb();
  const [departments, plans] = await Promise.all([
    listDepartments(db),
    listSlaPlans(db),
  ]);
  return (
    <>
      <PageHeader
        title="Departments"
        description="Where tickets are routed. Agents work the tickets of the departments they belong to."
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        {departments.length === 0 ? (
          <EmptyState title="No departments yet">
            Create the first one with the form.
          </EmptyState>
        ) : (
          <Table columns={["ID", "Name", "SLA plan", "Agents", "Visibility"]}>
            {departments.map((d) => (
              <tr key={d.id}>
                <Td className="font-mono text-xs text-slate-500">{d.id}</Td>
                <Td>
                  <Link
                    href={`/staff/settings/departments/${d.id}`}
                    className="font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    {d.name}
                  </Link>
                  {d.email ? (
                    <p className="text-xs text-slate-500">{d.email}</p>
                  ) : null}
                </Td>
                <Td className="text-slate-700">
                  {d.slaPlan ?? <span className="text-slate-500">None</span>}
                </Td>
                <Td className="text-slate-700">{d.memberCount}</Td>
                <Td>
                  {d.isPublic ? (
                    <Badge tone="green">Public</Badge>
                  ) : (
                    <Badge>Internal</Badge>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">New department</h2>
          <DepartmentForm action={createDepartmentAction} slaPlans={plans} />
        </Card>
      </div>
    </>
  );
}
