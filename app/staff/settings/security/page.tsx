import type { Metadata } from "next";
import {
  ResetTwoFactorButton,
  StaffPolicyForm,
} from "@/components/account/security-admin";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { listStaffSecurity, staffTwoFactorRequired } from "@/lib/auth/policy";
import { requireAdmin } from "@/lib/auth/session";
import { resetTwoFactorAction, saveStaffPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Security" };

export default async function SecuritySettingsPage() {
  await requireAdmin("/staff/settings/security");
  const db = await getDb();
  const [required, staff] = await Promise.all([
    staffTwoFactorRequired(db),
    listStaffSecurity(db),
  ]);
  return (
    <>
      <PageHeader
        title="Security"
        description="How the desk signs in. Every change here is recorded in the audit log."
      />
      <div className="space-y-6">
        <Card className="max-w-2xl p-6">
          <StaffPolicyForm action={saveStaffPolicyAction} required={required} />
        </Card>
        <Table columns={["Person", "Role", "Two-step sign-in", ""]}>
          {staff.map((s) => (
            <tr key={s.id}>
              <Td>
                <span dir="auto" className="font-medium text-slate-900">
                  {s.name}
                </span>
                <p className="text-xs [overflow-wrap:anywhere] text-slate-500">
                  {s.email}
                </p>
              </Td>
              <Td>{s.role === "admin" ? "Administrator" : "Agent"}</Td>
              <Td>
                {s.twoFactor ? (
                  <Badge tone="green">On</Badge>
                ) : (
                  <Badge tone={required ? "yellow" : "gray"}>Off</Badge>
                )}
              </Td>
              <Td>
                {s.twoFactor ? (
                  <ResetTwoFactorButton
                    action={resetTwoFactorAction}
                    userId={s.id}
                    name={s.name}
                  />
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      </div>
    </>
  );
}
