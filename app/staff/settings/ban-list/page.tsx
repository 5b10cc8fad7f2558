import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listBannedEmails } from "@/lib/helpdesk/ban-list";
import { banEmailAction, unbanEmailAction } from "./actions";
import { BanEmailForm } from "./ban-email-form";

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
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_26rem]">
        {banned.length === 0 ? (
          <EmptyState title="No banned addresses">
            Add an address with the form to refuse its tickets.
          </EmptyState>
        ) : (
          <Table columns={["Email", "Notes", "Added", ""]}>
            {banned.map((b) => (
              <tr key={b.id}>
                <Td className="font-medium break-all text-slate-900">
                  {b.email}
                </Td>
                <Td
                  className="max-w-64 truncate text-slate-600"
                  title={b.notes}
                >
                  {b.notes}
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-600">
                  {formatDateTime(b.createdAt)}
                </Td>
                <Td>
                  <ActionButton
                    action={unbanEmailAction}
                    fields={{ id: String(b.id) }}
                    pendingLabel="Removing…"
                  >
                    Remove
                  </ActionButton>
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">Ban an address</h2>
          <BanEmailForm action={banEmailAction} />
        </Card>
      </div>
    </>
  );
}
