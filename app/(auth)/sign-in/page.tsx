import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/site/auth-card";
import { safeCallbackPath } from "@/lib/auth/schemas";
import { getViewer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { signInAction } from "../actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}) {
  const raw = (await searchParams).callbackUrl;
  const callbackUrl =
    typeof raw === "string" ? safeCallbackPath(raw) : undefined;
  const viewer = await getViewer();
  if (viewer)
    redirect(callbackUrl ?? (isStaff(viewer) ? "/staff" : "/tickets"));
  return (
    <AuthCard
      title="Sign in to Portico"
      footer={
        <>
          New here?{" "}
          <Link
            href={
              callbackUrl
                ? `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`
                : "/sign-up"
            }
            className="font-medium text-indigo-600 hover:text-indigo-500"
          >
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm action={signInAction} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
