import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getDb } from "@/db/client";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAgent } from "@/lib/auth/session";
import { env } from "@/lib/env";
import {
  listActiveHelpTopics,
  listDepartmentOptions,
} from "@/lib/tickets/form-options";
import { openStaffTicketAction } from "./actions";
import { StaffTicketForm } from "./staff-ticket-form";

export const metadata: Metadata = { title: "New ticket" };

// "New ticket" on a customer's page fills in their address.
const prefill = z.object({
  email: z.string().max(254).optional().catch(undefined),
});

export default async function NewStaffTicketPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAgent("/staff/tickets/new");
  const { email } = prefill.parse(await searchParams);
  const db = await getDb();
  const [departments, topics] = await Promise.all([
    listDepartmentOptions(db),
    listActiveHelpTopics(db),
  ]);
  return (
    <div className="max-w-2xl">
      <Link
        href="/staff"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← Queue
      </Link>
      <div className="mt-4">
        <PageHeader
          title="New ticket"
          description="For a customer who phoned or came by: write down their request as they told it."
        />
        <Card className="p-6">
          <StaffTicketForm
            action={openStaffTicketAction}
            departments={departments}
            topics={topics}
            maxBytes={env().attachments.maxBytes}
            initialEmail={email}
          />
        </Card>
      </div>
    </div>
  );
}
