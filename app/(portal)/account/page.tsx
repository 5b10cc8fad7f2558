import type { Metadata } from "next";
import Link from "next/link";
import {
  ClosureForm,
  EmailChangeForm,
  NotificationForm,
  PasswordChangeForm,
  ProfileForm,
} from "@/components/account/account-forms";
import { Alert } from "@/components/ui/alert";
import { noticeFor } from "@/lib/auth/notices";
import { Section } from "@/components/account/security-sections";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { pendingEmailChange } from "@/lib/auth/email-verification";
import { requireCustomer } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { getUserById } from "@/lib/users/queries";
import {
  changePasswordAction,
  renameAction,
  requestClosureAction,
  requestEmailChangeAction,
  withdrawClosureAction,
  saveNotificationsAction,
} from "./actions";

export const metadata: Metadata = { title: "Your account" };

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
  const notice = noticeFor((await searchParams).notice);
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
        <Section
          title="Your data"
          description="Everything your account holds, as one file: your profile, your tickets and their messages, your orders."
        >
          <a
            href="/account/export"
            download
            className="inline-flex h-10 items-center rounded-md bg-white px-4 text-sm font-medium text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
          >
            Download my data
          </a>
          <div className="border-t border-slate-200 pt-4">
            <ClosureForm
              request={requestClosureAction}
              withdraw={withdrawClosureAction}
              requestedAt={
                user?.closureRequestedAt
                  ? formatDateTime(user.closureRequestedAt)
                  : null
              }
            />
          </div>
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
