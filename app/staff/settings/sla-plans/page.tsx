import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import {
  parseStoredHours,
  summarizeHours,
} from "@/lib/helpdesk/business-hours";
import { listSlaPlans } from "@/lib/helpdesk/queries";
import { createSlaPlanAction } from "./actions";
import { SlaPlanForm } from "./sla-plan-form";

export const metadata: Metadata = { title: "SLA plans" };

export default async function SlaPlansPage() {
  await requireAdmin("/staff/settings/sla-plans");
  const plans = await listSlaPlans(await getDb());
  return (
    <>
      <PageHeader
        title="SLA plans"
        description="How quickly tickets must be answered. A ticket is overdue once its plan's grace period has passed, counted in the plan's business hours; the clock pauses while a ticket waits on the customer."
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        {plans.length === 0 ? (
          <EmptyState title="No SLA plans yet">
            Create the first one with the form.
          </EmptyState>
        ) : (
          <Table columns={["ID", "Name", "Grace period", "Hours", "Status"]}>
            {plans.map((p) => (
              <tr key={p.id} className={p.isActive ? undefined : "bg-slate-50"}>
                <Td className="font-mono text-xs text-slate-500">{p.id}</Td>
                <Td>
                  <Link
                    href={`/staff/settings/sla-plans/${p.id}`}
                    className="font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    {p.name}
                  </Link>
                </Td>
                <Td className="text-slate-700">
                  {p.gracePeriodHours} hour{p.gracePeriodHours === 1 ? "" : "s"}
                </Td>
                <Td className="break-words text-slate-700">
                  {summarizeHours(
                    parseStoredHours(p.businessHours),
                    p.timeZone,
                  )}
                </Td>
                <Td>
                  {p.isActive ? (
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
          <h2 className="mb-4 font-medium text-slate-900">New SLA plan</h2>
          <SlaPlanForm action={createSlaPlanAction} />
        </Card>
      </div>
    </>
  );
}
