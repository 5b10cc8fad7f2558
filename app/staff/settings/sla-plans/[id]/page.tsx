import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { BackLink } from "@/components/ui/back-link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { getSlaPlan } from "@/lib/helpdesk/queries";
import { recordId } from "@/lib/helpdesk/schemas";
import { updateSlaPlanAction } from "../actions";
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
  const plan = await getSlaPlan(await getDb(), id.data);
  if (!plan) notFound();
  return (
    <>
      <BackLink href="/staff/settings/sla-plans">SLA plans</BackLink>
      <PageHeader
        title={plan.name}
        description={`SLA plan ${plan.id}. A new grace period applies to tickets opened from now on; open tickets keep their due dates.`}
      />
      <Card className="max-w-xl p-5">
        <SlaPlanForm action={updateSlaPlanAction} plan={plan} />
      </Card>
    </>
  );
}
