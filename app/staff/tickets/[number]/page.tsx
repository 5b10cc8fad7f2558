import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { ServiceList } from "@/components/orders/service-table";
import { NO_NAME, NO_SUBJECT } from "@/components/tickets/placeholders";
import { SlaBadge } from "@/components/tickets/sla-badge";
import { ThreadMessage } from "@/components/tickets/thread-message";
import { TicketStatusBadge } from "@/components/tickets/ticket-status-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { orPlaceholder, Truncate } from "@/components/ui/truncate";
import { requireAgent } from "@/lib/auth/session";
import { env } from "@/lib/env";
import {
  formatByteSize,
  formatDate,
  formatDateTime,
  formatMoney,
} from "@/lib/format";
import { listServices } from "@/lib/orders/queries";
import { renderCannedReply } from "@/lib/tickets/canned";
import { signatureOptions } from "@/lib/tickets/signatures";
import { tagsInUse, tagsOf } from "@/lib/tickets/tags";
import { mentionedShopifyOrder } from "@/lib/customers/order-links";
import { ActionButton } from "@/components/ui/action-button";
import { Suspense } from "react";
import { describeEvent } from "@/lib/tickets/events";
import {
  listActiveHelpTopics,
  listCannedRepliesFor,
  listDepartmentOptions,
} from "@/lib/tickets/form-options";
import {
  getTicketForStaff,
  listAssignableAgents,
  listMergeTargets,
} from "@/lib/tickets/workspace-queries";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import {
  TICKET_SOURCE_LABELS,
  TICKET_STATUS_LABELS,
  ticketNumberParam,
} from "@/lib/tickets/schemas";
import { draftsFor } from "@/lib/tickets/drafts";
import { mergedIntoNumber } from "@/lib/tickets/merge";
import { listParticipants } from "@/lib/tickets/participants";
import { formatDuration } from "@/lib/tickets/sla";
import {
  addParticipantAction,
  agentReplyAction,
  internalNoteAction,
  mergeTicketAction,
  removeParticipantAction,
  removeTagAction,
  addTagAction,
  linkOrderAction,
  updateTicketAction,
} from "./actions";
import { CcPanel } from "./cc-panel";
import { MergeForm } from "./merge-form";
import { PresenceNotice } from "./presence-notice";
import { PropertiesForm } from "./properties-form";
import { ReplyBox } from "./reply-box";
import { ShopifyOrders } from "./shopify-orders";
import { TagsPanel } from "./tags-panel";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `#${(await params).number}` };
}

const KIND_LABEL = {
  customer: "Customer",
  reply: "Reply",
  note: "Internal note",
} as const;

/** A select must offer the value the ticket holds, or saving anything else would silently clear it. */
function withCurrent<T extends string | number>(
  options: Array<{ id: T; name: string }>,
  id: T | null,
  name: string,
) {
  return id === null || options.some((o) => o.id === id)
    ? options
    : [...options, { id, name }];
}

export default async function TicketWorkspace({ params }: Props) {
  const { number: rawNumber } = await params;
  const agent = await requireAgent(
    `/staff/tickets/${encodeURIComponent(rawNumber)}`,
  );
  const parsed = ticketNumberParam.safeParse(rawNumber);
  if (!parsed.success) notFound();
  const number = parsed.data;
  const db = await getDb();
  const data = await getTicketForStaff(db, number);
  if (!data) notFound();
  const { ticket, customer } = data;
  const [agents, departments, topics, canned, services, mergeTargets] =
    await Promise.all([
      listAssignableAgents(db),
      listDepartmentOptions(db),
      listActiveHelpTopics(db),
      listCannedRepliesFor(db, ticket.departmentId),
      listServices(db, customer.id),
      ticket.mergedIntoId ? [] : listMergeTargets(db, ticket),
    ]);
  const vars = {
    customer: { name: customer.name, email: customer.email },
    ticket: { number: ticket.number, subject: ticket.subject },
    agent: { name: agent.name },
  };
  const [
    mergedInto,
    drafts,
    participants,
    signatures,
    tags,
    tagSuggestions,
    mentioned,
  ] = await Promise.all([
    mergedIntoNumber(db, ticket),
    draftsFor(db, ticket.id, agent.id),
    listParticipants(db, ticket.id),
    signatureOptions(db, agent, ticket.departmentId, vars),
    tagsOf(db, ticket.id),
    tagsInUse(db),
    mentionedShopifyOrder(db, ticket),
  ]);
  const linkedGid =
    data.orders.find((o) => o.id === ticket.orderId && o.provider === "shopify")
      ?.externalId ?? null;
  const now = new Date();
  const firstResponse = ticket.firstResponseAt
    ? ticket.firstResponseAt.getTime() - ticket.createdAt.getTime()
    : null;

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-4">
        <Link
          href="/staff"
          className="text-sm text-slate-600 hover:text-slate-900"
        >
          ← Queue
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1
            dir="auto"
            className="min-w-0 text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-slate-900"
          >
            {orPlaceholder(ticket.subject, NO_SUBJECT)}
          </h1>
          <TicketStatusBadge status={ticket.status} audience="staff" />
          {ticket.priority !== "normal" ? (
            <Badge tone={ticket.priority === "low" ? "gray" : "red"}>
              {PRIORITY_LABELS[ticket.priority]}
            </Badge>
          ) : null}
        </div>
        <p className="text-sm [overflow-wrap:anywhere] text-slate-600">
          #{ticket.number} · {data.department}
          {data.helpTopic ? ` · ${data.helpTopic}` : ""} · via{" "}
          {TICKET_SOURCE_LABELS[ticket.source]} · opened{" "}
          {formatDateTime(ticket.createdAt)}
        </p>
        <PresenceNotice
          number={ticket.number}
          renderedUpdatedAt={ticket.updatedAt.toISOString()}
        />
        <ol className="space-y-3" aria-label="Thread">
          {data.thread.map((item) =>
            item.type === "message" ? (
              <li key={item.message.id}>
                <ThreadMessage
                  tone={item.message.kind}
                  author={orPlaceholder(item.message.authorName, NO_NAME)}
                  meta={`${KIND_LABEL[item.message.kind]} · ${formatDateTime(item.message.createdAt)}`}
                  html={item.message.bodyHtml}
                  text={item.message.bodyText}
                  original={item.message.originalText}
                  attachments={data.attachments
                    .filter((a) => a.messageId === item.message.id)
                    .map((a) => ({
                      id: a.id,
                      filename: a.filename,
                      size: formatByteSize(a.sizeBytes),
                      href: `/staff/tickets/${ticket.number}/attachments/${a.id}`,
                    }))}
                />
              </li>
            ) : (
              <li
                key={`e${item.event.id}`}
                className="flex items-baseline gap-2 px-2 text-xs text-slate-500"
              >
                <span
                  aria-hidden
                  className="size-1.5 shrink-0 -translate-y-px rounded-full bg-slate-400"
                />
                <span className="min-w-0 [overflow-wrap:anywhere]">
                  {describeEvent(
                    item.event.action,
                    item.event.data,
                    item.event.actorName,
                  )}{" "}
                  · {formatDateTime(item.event.createdAt)}
                </span>
              </li>
            ),
          )}
        </ol>
        {mergedInto ? (
          <Alert tone="info">
            This ticket was merged into{" "}
            <Link
              href={`/staff/tickets/${mergedInto}`}
              className="font-medium underline"
            >
              #{mergedInto}
            </Link>
            : its messages and the conversation continue there.
          </Alert>
        ) : (
          <ReplyBox
            number={ticket.number}
            replyAction={agentReplyAction}
            noteAction={internalNoteAction}
            canned={canned.map((c) => ({
              id: c.id,
              title: c.title,
              text: renderCannedReply(c.body, vars),
            }))}
            maxBytes={env().attachments.maxBytes}
            drafts={drafts}
            signatures={signatures}
          />
        )}
      </div>

      <aside
        className="min-w-0 space-y-4 [overflow-wrap:anywhere]"
        aria-label="Ticket details"
      >
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-slate-900">
            Properties
          </h2>
          <PropertiesForm
            action={updateTicketAction}
            number={ticket.number}
            me={agent.id}
            current={{
              version: ticket.version,
              assigneeId: ticket.assigneeId,
              status: ticket.status,
              priority: ticket.priority,
              departmentId: ticket.departmentId,
              helpTopicId: ticket.helpTopicId,
            }}
            agents={withCurrent(
              agents,
              ticket.assigneeId,
              `${data.assigneeName ?? ""} (deactivated)`,
            )}
            departments={departments}
            topics={withCurrent(
              topics,
              ticket.helpTopicId,
              `${data.helpTopic ?? ""} (inactive)`,
            )}
          />
        </Card>
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-slate-900">Tags</h2>
          <TagsPanel
            number={ticket.number}
            tags={tags}
            suggestions={tagSuggestions}
            addAction={addTagAction}
            removeAction={removeTagAction}
          />
        </Card>
        {mergedInto ? null : (
          <Card className="p-4">
            <h2 className="mb-3 text-sm font-semibold text-slate-900">CC</h2>
            <CcPanel
              number={ticket.number}
              participants={participants}
              addAction={addParticipantAction}
              removeAction={removeParticipantAction}
            />
          </Card>
        )}
        {mergeTargets.length ? (
          <Card className="p-4">
            <h2 className="mb-3 text-sm font-semibold text-slate-900">Merge</h2>
            <MergeForm
              action={mergeTicketAction}
              number={ticket.number}
              targets={mergeTargets.map((t) => ({
                number: t.number,
                label: `#${t.number} · ${t.subject.trim() || NO_SUBJECT} (${TICKET_STATUS_LABELS[t.status]})`,
              }))}
            />
          </Card>
        ) : null}
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-slate-900">
            Service level
          </h2>
          <dl className="grid grid-cols-[7.5rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Plan</dt>
            <dd>
              {data.slaPlan ? (
                <>
                  {`${data.slaPlan.name} (${data.slaPlan.gracePeriodHours} h)`}
                  <span className="block text-xs break-words text-slate-500">
                    {data.slaPlan.hours}
                  </span>
                </>
              ) : (
                "None"
              )}
            </dd>
            <dt className="text-slate-500">Due</dt>
            <dd>
              <SlaBadge dueAt={ticket.dueAt} status={ticket.status} now={now} />
              {ticket.dueAt ? (
                <span className="block text-xs text-slate-500">
                  {formatDateTime(ticket.dueAt)}
                  {data.slaPlan && !data.slaPlan.hours.startsWith("24/7")
                    ? " · counts business hours only"
                    : null}
                </span>
              ) : null}
            </dd>
            <dt className="text-slate-500">First response</dt>
            <dd>
              {firstResponse === null ? (
                <span className="text-slate-500">Not yet</span>
              ) : (
                `after ${formatDuration(firstResponse)}`
              )}
            </dd>
          </dl>
        </Card>
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-slate-900">
            Customer
          </h2>
          <p className="font-medium text-slate-900">
            <Link
              dir="auto"
              href={`/staff/customers/${customer.id}`}
              className="hover:text-indigo-600"
            >
              {orPlaceholder(customer.name, NO_NAME)}
            </Link>
          </p>
          <p className="text-sm">
            <a
              href={`mailto:${customer.email}`}
              className="text-indigo-600 hover:text-indigo-500"
            >
              {customer.email}
            </a>
          </p>
          {customer.phone ? (
            <p className="text-sm text-slate-600">{customer.phone}</p>
          ) : null}
          <p className="mt-1 text-xs text-slate-500">
            Customer since {formatDate(customer.createdAt)}
          </p>

          <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Orders
          </h3>
          {data.orders.length ? (
            <ul className="mt-2 divide-y divide-slate-100 text-sm">
              {data.orders.map((o) => (
                <li
                  key={o.id}
                  className="flex items-center justify-between gap-2 py-2"
                >
                  <div>
                    <p
                      className={
                        o.id === ticket.orderId
                          ? "font-semibold text-slate-900"
                          : "text-slate-900"
                      }
                    >
                      <Link
                        href={`/staff/orders/${o.id}`}
                        className="text-indigo-600 hover:text-indigo-500"
                      >
                        {o.number}
                      </Link>
                      {o.id === ticket.orderId ? (
                        <span className="ml-1 text-xs font-normal text-indigo-600">
                          (this ticket)
                        </span>
                      ) : null}
                    </p>
                    <p className="text-xs text-slate-500">
                      {formatDate(o.placedAt)} · {providerLabel(o.provider)}
                    </p>
                  </div>
                  <div className="text-right">
                    <p className="font-medium">
                      {formatMoney(o.totalAmount, o.currency)}
                    </p>
                    <OrderStatusBadge status={o.status} />
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-500">No orders.</p>
          )}
          {mentioned ? (
            <div className="mt-2 rounded bg-indigo-50 p-2 text-sm text-slate-700">
              <p className="mb-1">
                The customer mentions Shopify order {mentioned.number}.
              </p>
              <ActionButton
                action={linkOrderAction}
                fields={{ number: ticket.number, orderId: mentioned.id }}
                pendingLabel="Linking…"
              >
                Link order {mentioned.number}
              </ActionButton>
            </div>
          ) : null}
          <Suspense
            fallback={
              <p className="mt-4 text-xs text-slate-500">
                Reading the Shopify store…
              </p>
            }
          >
            <ShopifyOrders
              number={ticket.number}
              email={customer.email}
              linkedGid={linkedGid}
            />
          </Suspense>

          <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Services
          </h3>
          {services.length ? (
            <div className="mt-1">
              <ServiceList
                services={services}
                orderHref={(orderId) => `/staff/orders/${orderId}`}
              />
            </div>
          ) : (
            <p className="mt-2 text-sm text-slate-500">None.</p>
          )}

          <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Other tickets
          </h3>
          {data.otherTickets.length ? (
            <ul className="mt-2 space-y-2 text-sm">
              {data.otherTickets.map((t) => (
                <li
                  key={t.id}
                  className="flex items-center justify-between gap-2"
                >
                  <Link
                    href={`/staff/tickets/${t.number}`}
                    className="flex min-w-0 gap-1 text-indigo-600 hover:text-indigo-500"
                  >
                    <span className="shrink-0">#{t.number}</span>
                    <Truncate text={t.subject} placeholder={NO_SUBJECT} />
                  </Link>
                  <TicketStatusBadge status={t.status} audience="staff" />
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-500">None.</p>
          )}
        </Card>
      </aside>
    </div>
  );
}
