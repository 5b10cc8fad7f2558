import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { listCannedReplies, listDepartments } from "@/lib/helpdesk/queries";
import { createCannedReplyAction } from "./actions";
import { CannedReplyForm } from "./canned-reply-form";

export const metadata: Metadata = { title: "Canned replies" };

export default async function CannedRepliesPage() {
  await requireAdmin("/staff/settings/canned-replies");
  const db = await getDb();
  const [replies, departments] = await Promise.all([
    listCannedReplies(db),
    listDepartments(db),
  ]);
  return (
    <>
      <PageHeader
        title="Canned replies"
        description="Ready-made answers agents can insert into a reply and adjust before sending."
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_26rem]">
        {replies.length === 0 ? (
          <EmptyState title="No canned replies yet">
            Create the first one with the form.
          </EmptyState>
        ) : (
          <Table columns={["Title", "Department", "Status"]}>
            {replies.map((r) => (
              <tr key={r.id} className={r.isActive ? undefined : "bg-slate-50"}>
                <Td className="max-w-md">
                  <Link
                    href={`/staff/settings/canned-replies/${r.id}`}
                    className="font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    {r.title}
                  </Link>
                  <p className="truncate text-xs text-slate-500">
                    {r.body.replace(/\s+/g, " ")}
                  </p>
                </Td>
                <Td className="whitespace-nowrap text-slate-700">
                  {r.department ?? (
                    <span className="text-slate-500">All departments</span>
                  )}
                </Td>
                <Td>
                  {r.isActive ? (
                    <Badge tone="green">Active</Badge>
                  ) : (
                    <Badge>Inactive</Badge>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Card className="p-5">
          <h2 className="mb-4 font-medium text-slate-900">New canned reply</h2>
          <CannedReplyForm
            action={createCannedReplyAction}
            departments={departments}
          />
        </Card>
      </div>
    </>
  );
}
