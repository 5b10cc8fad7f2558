import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AuthCard } from "@/components/site/auth-card";
import { hasAdmin } from "@/lib/setup/queries";
import { setupAction } from "./actions";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Setup" };

// Open only while no administrator exists; even then nothing happens here without the token the
// server printed at start-up.
export default async function SetupPage() {
  const isSetUp = await hasAdmin(await getDb());
  return (
    <main id="main" className="flex-1 bg-slate-50">
      {isSetUp ? (
        <AuthCard
          title="Portico is set up"
          subtitle="An administrator exists, so this page has nothing more to do."
        >
          <Link
            href="/sign-in"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            Sign in
          </Link>
        </AuthCard>
      ) : (
        <AuthCard
          title="Set up Portico"
          subtitle={
            <>
              Create the first administrator. The setup token is in the
              server&apos;s output since its last start, on the line{" "}
              <code className="font-mono">Setup token: …</code>
            </>
          }
        >
          <SetupForm action={setupAction} />
        </AuthCard>
      )}
    </main>
  );
}
