import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/site/auth-card";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { getDb } from "@/db/client";
import { peekEmailLink } from "@/lib/auth/email-verification";
import { resetToken } from "@/lib/auth/schemas";
import { spendEmailLinkAction } from "../../actions";

export const metadata: Metadata = { title: "Confirm your address" };

// Opening the link only shows it; the button spends it. Mail scanners and link previews fetch
// links on their own, and must not confirm an address (or move an account) for the reader.
export default async function VerifyEmailPage({
  params,
}: {
  params: Promise<{ token: string }>;
}) {
  const token = resetToken.safeParse((await params).token).data;
  const link = token ? await peekEmailLink(await getDb(), token) : null;
  if (!link || !token)
    return (
      <AuthCard title="Confirm your address">
        <div className="space-y-4">
          <Alert>This link is invalid, was already used, or has expired.</Alert>
          <Link
            href="/account"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            Ask for a new one from your account
          </Link>
        </div>
      </AuthCard>
    );
  const changing = link.purpose === "change";
  return (
    <AuthCard
      title={changing ? "Use your new address" : "Confirm your address"}
    >
      <form action={spendEmailLinkAction} className="space-y-4 text-sm">
        <p className="[overflow-wrap:anywhere] text-slate-700">
          {changing
            ? "From now on your account signs in and gets mail at "
            : "Confirm that this address is yours: "}
          <strong className="font-semibold text-slate-900">{link.email}</strong>
        </p>
        <input type="hidden" name="token" value={token} />
        <SubmitButton>
          {changing ? "Use this address" : "Confirm my address"}
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
