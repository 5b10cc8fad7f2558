import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/site/auth-card";
import { requestPasswordResetAction } from "../actions";
import { ResetRequestForm } from "./request-form";

export const metadata: Metadata = { title: "Reset your password" };

export default function ResetPasswordPage() {
  return (
    <AuthCard
      title="Reset your password"
      subtitle="We'll email you a link to choose a new password."
      footer={
        <Link
          href="/sign-in"
          className="font-medium text-indigo-600 hover:text-indigo-500"
        >
          Back to sign in
        </Link>
      }
    >
      <ResetRequestForm action={requestPasswordResetAction} />
    </AuthCard>
  );
}
