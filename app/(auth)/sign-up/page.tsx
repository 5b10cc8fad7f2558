import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/site/auth-card";
import { getViewer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { signUpAction } from "../actions";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  if (await getViewer()) redirect("/tickets");
  return (
    <AuthCard
      title="Create your account"
      subtitle="Order services, follow your support tickets and manage your mailbox."
      footer={
        <>
          Already have an account?{" "}
          <Link
            href="/sign-in"
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
      />
    </AuthCard>
  );
}
