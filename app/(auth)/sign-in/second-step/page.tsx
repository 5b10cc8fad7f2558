import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/site/auth-card";
import { getDb } from "@/db/client";
import { callbackPath } from "@/lib/auth/schemas";
import { heldChallenge } from "@/lib/auth/session";
import { readChallenge } from "@/lib/auth/two-factor";
import { resendSignInCodeAction, secondStepAction } from "../../actions";
import { ResendCodeForm, SecondStepForm } from "./second-step-form";

export const metadata: Metadata = { title: "Two-step sign-in" };

export default async function SecondStepPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}) {
  const raw = (await searchParams).callbackUrl;
  const callbackUrl = (typeof raw === "string" && callbackPath(raw)) || "/";
  const id = await heldChallenge();
  const challenge = id ? await readChallenge(await getDb(), id) : null;
  if (!challenge) redirect("/sign-in?notice=step-expired");
  return (
    <AuthCard
      title="One more step"
      subtitle={
        challenge.method === "sms"
          ? "We texted a code to your phone."
          : "Open your authenticator app and enter the code it shows for Portico."
      }
    >
      <SecondStepForm
        action={secondStepAction}
        callbackUrl={callbackUrl}
        method={challenge.method}
      />
      {challenge.method === "sms" ? (
        <ResendCodeForm action={resendSignInCodeAction} />
      ) : null}
    </AuthCard>
  );
}
