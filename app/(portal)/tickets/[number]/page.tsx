import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { NO_NAME, NO_SUBJECT } from "@/components/tickets/placeholders";
import { ThreadMessage } from "@/components/tickets/thread-message";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { orPlaceholder } from "@/components/ui/truncate";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatByteSize, formatDateTime } from "@/lib/format";
import { getTicketForCustomer } from "@/lib/tickets/customer-queries";
import { mergedIntoNumber } from "@/lib/tickets/merge";
import { ticketNumberParam } from "@/lib/tickets/schemas";
import { replyToTicketAction, setTicketOpenAction } from "../actions";
import { ReplyForm } from "./reply-form";

type Props = {
  params: Promise<{ number: string }>;
  searchParams: Promise<{ opened?: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Ticket #${(await params).number}` };
}

export default async function TicketPage({ params, searchParams }: Props) {
  const { number: rawNumber } = await params;
  const viewer = await requireCustomer(
    `/tickets/${encodeURIComponent(rawNumber)}`,
  );
  const parsed = ticketNumberParam.safeParse(rawNumber);
  if (!parsed.success) notFound();
  const number = parsed.data;
  const db = await getDb();
  const ticket = await getTicketForCustomer(db, viewer, number);
  if (!ticket) notFound();
  const mergedInto = await mergedIntoNumber(db, ticket);
  const finished = ticket.status === "resolved" || ticket.status === "closed";
  const { opened } = await searchParams;
  return (
    <>
      <Link
        href="/tickets"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All tickets
      </Link>
      {opened ? (
        <div className="mt-4">
          <Alert tone="success">
            Ticket #{ticket.number} is open. We sent a confirmation to{" "}
            {viewer.email}; you can reply here or to that mail.
          </Alert>
        </div>
      ) : null}
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1
          dir="auto"
          className="min-w-0 text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-slate-900"
        >
          {orPlaceholder(ticket.subject, NO_SUBJECT)}
        </h1>
        <TicketStatusBadge status={ticket.status} />
        <form action={setTicketOpenAction} className="ml-auto">
          <input type="hidden" name="number" value={ticket.number} />
          <input type="hidden" name="open" value={finished ? "1" : "0"} />
          <Button type="submit" variant="secondary" size="sm">
            {finished ? "Reopen ticket" : "Close ticket"}
          </Button>
        </form>
      </div>
      <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">
        Ticket #{ticket.number} · {ticket.helpTopic ?? ticket.department} ·
        opened {formatDateTime(ticket.createdAt)}
        {ticket.order ? (
          <>
            {" · order "}
            <Link
              href={`/orders/${ticket.order.id}`}
              className="text-indigo-600 hover:text-indigo-500"
            >
              {ticket.order.number}
            </Link>
          </>
        ) : null}
      </p>
      <ol className="mt-8 space-y-4" aria-label="Conversation">
        {ticket.messages.map((m) => (
          <li key={m.id}>
            <ThreadMessage
              tone={m.kind === "customer" ? "customer" : "reply"}
              author={
                m.kind === "customer"
                  ? m.authorId === viewer.id
                    ? "You"
                    : orPlaceholder(m.authorName, NO_NAME)
                  : orPlaceholder(m.authorName, NO_NAME)
              }
              meta={`${m.kind === "customer" ? "" : "Support team · "}${formatDateTime(m.createdAt)}`}
              html={m.bodyHtml}
              text={m.bodyText}
              original={m.originalText}
              attachments={ticket.attachments
                .filter((a) => a.messageId === m.id)
                .map((a) => ({
                  id: a.id,
                  filename: a.filename,
                  size: formatByteSize(a.sizeBytes),
                  href: `/tickets/${ticket.number}/attachments/${a.id}`,
                }))}
            />
          </li>
        ))}
      </ol>
      {mergedInto ? (
        <div className="mt-8">
          <Alert tone="info">
            We joined this request with your ticket{" "}
            <Link
              href={`/tickets/${mergedInto}`}
              className="font-medium underline"
            >
              #{mergedInto}
            </Link>
            , where its messages are and the conversation continues.
          </Alert>
        </div>
      ) : (
        <Card className="mt-8 p-6">
          <ReplyForm
            action={replyToTicketAction}
            number={ticket.number}
            reopens={finished}
            maxBytes={env().attachments.maxBytes}
          />
        </Card>
      )}
    </>
  );
}
