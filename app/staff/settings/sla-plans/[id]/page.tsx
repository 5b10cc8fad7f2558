import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { BackLink } from "@/components/ui/back-link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { parseStoredHours } from "@/lib/helpdesk/business-hours";
import { getSlaPlan } from "@/lib/helpdesk/queries";
import { recordId } from "@/lib/helpdesk/schemas";
import { listSlaHolidays } from "@/lib/helpdesk/sla-plans";
import {
  addSlaHolidayAction,
  removeSlaHolidayAction,
  saveSlaHoursAction,
  updateSlaPlanAction,
} from "../actions";
import { SlaHolidays } from "../sla-holidays";
import { SlaHoursForm } from "../sla-hours-form";
import { SlaPlanForm } from "../sla-plan-form";

export const metadata: Metadata = { title: "SLA plan" };

export default async function SlaPlanPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id: rawId } = await params;
  await requireAdmin(`/staff/settings/sla-plans/${encodeURIComponent(rawId)}`);
  const id = recordId.safeParse(rawId);
  if (!id.success) notFound();
  const db = await getDb();
  const plan = await getSlaPlan(db, id.data);
  if (!plan) notFound();
  const holidays = await listSlaHolidays(db, plan.id);
  return (
    <>
      <BackLink href="/staff/settings/sla-plans">SLA plans</BackLink>
      <PageHeader
        title={plan.name}
        description={`SLA plan ${plan.id}. A new grace period applies to tickets opened from now on; open tickets keep their due dates.`}
      />
      <div className="grid max-w-5xl items-start gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <Card className="p-5">
            <SlaPlanForm action={updateSlaPlanAction} plan={plan} />
          </Card>
          <Card className="p-5">
            <h2 className="mb-1 font-medium text-slate-900">Holidays</h2>
            <p className="mb-4 text-sm text-slate-600">
              The clock stands still on these days, round the clock or not.
            </p>
            <SlaHolidays
              planId={plan.id}
              timeZone={plan.timeZone}
              holidays={holidays}
              add={addSlaHolidayAction}
              remove={removeSlaHolidayAction}
            />
          </Card>
        </div>
        <Card className="p-5">
          <h2 className="mb-1 font-medium text-slate-900">Business hours</h2>
          <p className="mb-4 text-sm text-slate-600">
            The grace period counts only working hours; while a ticket waits on
            the customer the clock is paused.
          </p>
          <SlaHoursForm
            action={saveSlaHoursAction}
            plan={{
              id: plan.id,
              timeZone: plan.timeZone,
              businessHours: parseStoredHours(plan.businessHours),
            }}
            timeZones={Intl.supportedValuesOf("timeZone")}
          />
        </Card>
      </div>
    </>
  );
}
