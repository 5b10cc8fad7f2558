import type { Metadata } from "next";
import { AuthCard } from "@/components/site/auth-card";
import { ButtonLink } from "@/components/ui/button";
import { callbackPath } from "@/lib/auth/schemas";

export const metadata: Metadata = { title: "Check your inbox" };

// Every sign-up ends here, new address or taken one, so the answer never says which it was.
export default async function SignUpSentPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const raw = (await searchParams).next;
  const next = (typeof raw === "string" && callbackPath(raw)) || "/tickets";
  return (
    <AuthCard title="Check your inbox">
      <div className="space-y-4 text-sm text-slate-700">
        <p>
          We sent a message to the address you gave. Open the link in it to
          confirm the address: tickets you send us by mail then show up in your
          account.
        </p>
        <p>
          If the address is new to us, your account is ready to use now. If it
          already had an account, the message tells you how to get in.
        </p>
        <ButtonLink href={next}>Continue</ButtonLink>
      </div>
    </AuthCard>
  );
}
