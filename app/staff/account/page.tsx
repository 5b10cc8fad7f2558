import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAgent } from "@/lib/auth/session";
import { alertSettingsFor } from "@/lib/tickets/alert-settings";
import { saveAlertSettingsAction } from "./actions";
import { AlertSettingsForm } from "./alert-settings-form";

export const metadata: Metadata = { title: "My account" };

export default async function StaffAccountPage() {
  const agent = await requireAgent("/staff/account");
  const saved = await alertSettingsFor(await getDb(), agent.id);
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="My account"
        description={`Signed in as ${agent.email}.`}
      />
      <Card className="p-6">
        <h2 className="mb-1 font-medium text-slate-900">Alerts</h2>
        <p className="mb-4 text-sm text-slate-600">
          Which ticket alerts you get by mail. Everything stays visible in the
          queue whatever you choose.
        </p>
        <AlertSettingsForm action={saveAlertSettingsAction} saved={saved} />
      </Card>
    </div>
  );
}
