import type { Metadata } from "next";
import Link from "next/link";
import {
  EmailChangeForm,
  NotificationForm,
  PasswordChangeForm,
  ProfileForm,
} from "@/components/account/account-forms";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { pendingEmailChange } from "@/lib/auth/email-verification";
import { requireCustomer } from "@/lib/auth/session";
import { getUserById } from "@/lib/users/queries";
import {
  changePasswordAction,
  renameAction,
  requestEmailChangeAction,
  saveNotificationsAction,
} from "./actions";

export const metadata: Metadata = { title: "Your account" };

// What a link or a finished step came back to say (`?notice=`).
const NOTICES = {
  "email-verified": {
    tone: "success",
    text: "Your email address is confirmed.",
  },
  "email-changed": {
    tone: "success",
    text: "Your email address is changed. Sign in with the new one from now on.",
  },
  "email-taken": {
    tone: "error",
    text: "Another account uses that address now, so your address was not changed.",
  },
  "link-invalid": {
    tone: "error",
    text: "That link is invalid, was already used, or has expired.",
  },
} as const;

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: React.ReactNode;
}) {
  const id = title.toLowerCase().replace(/\W+/g, "-");
  return (
    <Card className="p-6">
      <section aria-labelledby={id} className="space-y-4">
        <div>
          <h2 id={id} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? (
            <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">
              {description}
            </p>
          ) : null}
        </div>
        {children}
      </section>
    </Card>
  );
}

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<{ notice?: string | string[] }>;
}) {
  const viewer = await requireCustomer("/account");
  const db = await getDb();
  const [user, pending] = await Promise.all([
    getUserById(db, viewer.id),
    pendingEmailChange(db, viewer.id),
  ]);
  const raw = (await searchParams).notice;
  const notice =
    typeof raw === "string" && raw in NOTICES
      ? NOTICES[raw as keyof typeof NOTICES]
      : null;
  return (
    <>
      <PageHeader
        title="Your account"
        actions={
          <Link
            href="/account/security"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            Security and sign-in →
          </Link>
        }
      />
      <div className="max-w-2xl space-y-6">
        {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
        <Section title="Profile">
          <ProfileForm action={renameAction} name={viewer.name} />
        </Section>
        <Section
          title="Email address"
          description={`You sign in and get mail at ${viewer.email}.`}
        >
          <EmailChangeForm
            action={requestEmailChangeAction}
            pending={pending}
          />
        </Section>
        <Section title="Password">
          <PasswordChangeForm action={changePasswordAction} />
        </Section>
        <Section title="Mail from us">
          <NotificationForm
            action={saveNotificationsAction}
            saved={{
              orderMail: user?.orderMail ?? true,
              marketingMail: user?.marketingMail ?? false,
            }}
          />
        </Section>
      </div>
    </>
  );
}
