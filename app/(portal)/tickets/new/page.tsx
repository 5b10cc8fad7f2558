import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Card, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatDate, formatMoney } from "@/lib/format";
import { listPublicHelpTopics } from "@/lib/tickets/form-options";
import { listOrdersForCustomer } from "@/lib/orders/queries";
import { openTicketAction } from "../actions";
import { NewTicketForm } from "./new-ticket-form";

export const metadata: Metadata = { title: "Open a ticket" };

export default async function NewTicketPage({
  searchParams,
}: {
  searchParams: Promise<{ order?: string }>;
}) {
  const viewer = await requireCustomer("/tickets/new");
  const db = await getDb();
  const [topics, orders] = await Promise.all([
    listPublicHelpTopics(db),
    listOrdersForCustomer(db, viewer),
  ]);
  const { order } = await searchParams;
  return (
    <>
      <Link
        href="/tickets"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All tickets
      </Link>
      <div className="mt-4 max-w-2xl">
        <PageHeader
          title="Open a ticket"
          description="We usually answer within a few hours on working days."
        />
        <Card className="p-6">
          <NewTicketForm
            action={openTicketAction}
            topics={topics}
            orders={orders.map((o) => ({
              id: o.id,
              label: `${o.number} · ${formatDate(o.placedAt)} · ${formatMoney(o.totalAmount, o.currency)}`,
            }))}
            maxBytes={env().attachments.maxBytes}
            initialOrderId={
              orders.some((o) => o.id === order) ? order : undefined
            }
          />
        </Card>
      </div>
    </>
  );
}
