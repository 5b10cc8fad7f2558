import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AuthCard } from "@/components/site/auth-card";
import { Alert } from "@/components/ui/alert";
import { isResetTokenUsable } from "@/lib/auth/password-reset";
import { resetToken } from "@/lib/auth/schemas";
import { resetPasswordAction } from "../../actions";
import { NewPasswordForm } from "./new-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function NewPasswordPage({
  params,
}: {
  params: Promise<{ token: string }>;
}) {
  // A token that cannot be one gets the same answer as a used or expired one, without a lookup.
  const token = resetToken.safeParse((await params).token).data;
  const usable =
    token !== undefined && (await isResetTokenUsable(await getDb(), token));
  return (
    <AuthCard title="Choose a new password">
      {usable && token ? (
        <NewPasswordForm action={resetPasswordAction} token={token} />
      ) : (
        <div className="space-y-4">
          <Alert>
            This reset link is invalid, was already used, or has expired.
          </Alert>
          <Link
            href="/reset-password"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            Ask for a new link
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
