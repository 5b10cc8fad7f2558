import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { STAFF_SECURITY_PAGE } from "@/lib/auth/policy";
import { requireAgent } from "@/lib/auth/session";
import { SecurityPage } from "../../../(portal)/account/security/security-page";

export const metadata: Metadata = { title: "Security and sign-in" };

export default async function StaffSecurityPage({
  searchParams,
}: {
  searchParams: Promise<{ required?: string | string[] }>;
}) {
  const viewer = await requireAgent(STAFF_SECURITY_PAGE);
  const required = (await searchParams).required !== undefined;
  return (
    <SecurityPage
      viewer={viewer}
      page={STAFF_SECURITY_PAGE}
      back="/staff/account"
      notice={
        required ? (
          <Alert>
            Your administrators require two-step sign-in for everyone at the
            desk. Set it up below to carry on.
          </Alert>
        ) : null
      }
    />
  );
}
