import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/site/auth-card";
import { Alert } from "@/components/ui/alert";
import { noticeFor } from "@/lib/auth/notices";
import { callbackPath } from "@/lib/auth/schemas";
import { getViewer } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/viewer";
import { signInAction } from "../actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{
    callbackUrl?: string | string[];
    "signed-out"?: string | string[];
    notice?: string | string[];
  }>;
}) {
  const query = await searchParams;
  const raw = query.callbackUrl;
  // Anything but a plain path on this site is ignored: the usual landing page applies.
  const callbackUrl =
    typeof raw === "string" ? (callbackPath(raw) ?? undefined) : undefined;
  const notice = noticeFor(query.notice);
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
      {notice ? (
        <div className="mb-5">
          <Alert tone={notice.tone}>{notice.text}</Alert>
        </div>
      ) : null}
      {query["signed-out"] ? (
        <div className="mb-5">
          {/* Signing out ends every session of the account, so a copied cookie stops working too. */}
          <Alert tone="success">You are signed out on every device.</Alert>
        </div>
      ) : null}
      <SignInForm action={signInAction} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
