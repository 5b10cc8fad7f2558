import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/site/auth-card";
import { callbackPath } from "@/lib/auth/schemas";
import { getViewer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { signUpAction } from "../actions";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}) {
  const raw = (await searchParams).callbackUrl;
  const callbackUrl =
    typeof raw === "string" ? (callbackPath(raw) ?? undefined) : undefined;
  if (await getViewer()) redirect(callbackUrl ?? "/tickets");
  return (
    <AuthCard
      title="Create your account"
      subtitle="Order services, follow your support tickets and manage your mailbox."
      footer={
        <>
          Already have an account?{" "}
          <Link
            href={
              callbackUrl
                ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`
                : "/sign-in"
            }
            className="font-medium text-indigo-600 hover:text-indigo-500"
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm
        action={signUpAction}
        mailboxDomain={env().mailcow?.domain ?? null}
        callbackUrl={callbackUrl}
      />
    </AuthCard>
  );
}
