import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listBannedEmails } from "@/lib/helpdesk/ban-list";
import { banEmailAction, unbanEmailAction } from "./actions";
import { BanListPanel } from "./ban-list-panel";

export const metadata: Metadata = { title: "Ban list" };

export default async function BanListPage() {
  await requireAdmin("/staff/settings/ban-list");
  const banned = await listBannedEmails(await getDb());
  return (
    <>
      <PageHeader
        title="Ban list"
        description="Mail and API tickets from these addresses are refused (the API answers 403)."
      />
      <BanListPanel
        rows={banned.map((b) => ({
          id: b.id,
          email: b.email,
          notes: b.notes ?? "",
          added: formatDateTime(b.createdAt),
        }))}
        banAction={banEmailAction}
        unbanAction={unbanEmailAction}
      />
    </>
  );
}
