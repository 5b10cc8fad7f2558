import type { Metadata } from "next";
import { getDb } from "@/db/client";
import Link from "next/link";
import { PasswordChangeForm } from "@/components/account/account-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAgent } from "@/lib/auth/session";
import { alertSettingsFor } from "@/lib/tickets/alert-settings";
import { agentSignature } from "@/lib/tickets/signatures";
import { changePasswordAction } from "../../(portal)/account/actions";
import { saveAlertSettingsAction, saveSignatureAction } from "./actions";
import { AlertSettingsForm } from "./alert-settings-form";
import { SignatureForm } from "./signature-form";

export const metadata: Metadata = { title: "My account" };

export default async function StaffAccountPage() {
  const agent = await requireAgent("/staff/account");
  const db = await getDb();
  const [saved, signature] = await Promise.all([
    alertSettingsFor(db, agent.id),
    agentSignature(db, agent),
  ]);
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader
        title="My account"
        description={`Signed in as ${agent.email}.`}
        actions={
          <Link
            href="/staff/account/security"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            Security and sign-in →
          </Link>
        }
      />
      <Card className="mb-6 p-6">
        <h2 className="mb-4 font-medium text-slate-900">Password</h2>
        <PasswordChangeForm action={changePasswordAction} />
      </Card>
      <Card className="p-6">
        <h2 className="mb-1 font-medium text-slate-900">Alerts</h2>
        <p className="mb-4 text-sm text-slate-600">
          Which ticket alerts you get by mail. Everything stays visible in the
          queue whatever you choose.
        </p>
        <AlertSettingsForm action={saveAlertSettingsAction} saved={saved} />
      </Card>
      <Card className="p-6">
        <h2 className="mb-1 font-medium text-slate-900">Signature</h2>
        <p className="mb-4 text-sm text-slate-600">
          What goes under your replies to customers.
        </p>
        <SignatureForm action={saveSignatureAction} saved={signature} />
      </Card>
    </div>
  );
}
