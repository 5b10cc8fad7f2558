import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your mailbox" };

export default async function MailboxPage() {
  await requireCustomer("/mailbox");
  return (
    <>
      <PageHeader
        title="Your mailbox"
        description="The company mailbox that comes with your account."
      />
      <EmptyState title="Mailboxes are not switched on yet">
        Once mailboxes are enabled for this portal, your address, quota and mail
        client settings appear here.
      </EmptyState>
    </>
  );
}
