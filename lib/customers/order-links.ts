import "server-only";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import {
  orders,
  shopifyOrders,
  ticketMessages,
  tickets,
  type Ticket,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { isShopifyError, type ShopifyGraphql } from "@/lib/shopify/graphql";
import { recordFromAdminApi, recordShopifyOrder } from "@/lib/shopify/orders";
import { getOrder } from "@/lib/shopify/queries";
import { lockTicketByNumber } from "@/lib/tickets/lock";

// An agent ties an order to a ticket (and so to the ticket's customer) in one click: a Shopify
// order the customer wrote about ("Order #1042") whose email differs from their account, or one
// that arrived before the store was connected.

const NOT_FOUND = "We couldn't find that ticket.";

/**
 * A Shopify order the customer named ("Order #1042") in the ticket's subject or first message,
 * stored here but not linked to this ticket. Ticket numbers ("[#123456]") are not order names.
 */
export async function mentionedShopifyOrder(
  db: Db,
  ticket: Pick<Ticket, "id" | "subject" | "orderId">,
): Promise<{ id: string; number: string } | null> {
  const [first] = await db
    .select({ text: ticketMessages.bodyText })
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.ticketId, ticket.id),
        eq(ticketMessages.kind, "customer"),
      ),
    )
    .orderBy(asc(ticketMessages.createdAt))
    .limit(1);
  const names = [
    ...`${ticket.subject}\n${first?.text.slice(0, 5000) ?? ""}`.matchAll(
      /(?<!\[)#(\d{3,12})\b/g,
    ),
  ]
    .map((m) => `#${m[1]}`)
    .slice(0, 10);
  if (!names.length) return null;
  const found = await db
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(and(eq(orders.provider, "shopify"), inArray(orders.number, names)));
  return found.find((o) => o.id !== ticket.orderId) ?? null;
}

/**
 * Links the stored order `orderId` to ticket `number` and to its customer. A Shopify order keeps
 * that owner through later syncs, whatever its email says.
 */
export async function linkOrderToTicket(
  db: Db,
  agent: Viewer,
  input: { number: string; orderId: string },
  now = new Date(),
): Promise<Result<{ orderNumber: string }>> {
  if (!isStaff(agent)) return fail("forbidden", "Only agents link orders.");
  return db.transaction(async (tx) => {
    const ticket = await lockTicketByNumber(tx, input.number);
    if (!ticket) return fail("not_found", NOT_FOUND);
    const [order] = await tx
      .select()
      .from(orders)
      .where(eq(orders.id, input.orderId))
      .for("update");
    if (!order) return fail("not_found", "That order no longer exists.");
    if (order.customerId && order.customerId !== ticket.customerId)
      return fail(
        "conflict",
        `Order ${order.number} belongs to another customer: it cannot be linked to this ticket.`,
      );
    await tx
      .update(tickets)
      .set({ orderId: order.id, updatedAt: now })
      .where(eq(tickets.id, ticket.id));
    await tx
      .update(orders)
      .set({ customerId: ticket.customerId, updatedAt: now })
      .where(and(eq(orders.id, order.id), isNull(orders.customerId)));
    await tx
      .update(shopifyOrders)
      .set({ linkedById: agent.id })
      .where(eq(shopifyOrders.orderId, order.id));
    await recordAudit(tx, {
      actor: { kind: "user", id: agent.id },
      action: "ticket.order_linked",
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: { order: order.number },
      at: now,
    });
    return ok({ orderNumber: order.number });
  });
}

/** Fetches the Shopify order `gid` (stored first when it is new here) and links it to the ticket. */
export async function linkShopifyOrderToTicket(
  db: Db,
  shopify: ShopifyGraphql,
  agent: Viewer,
  input: { number: string; gid: string },
  now = new Date(),
): Promise<Result<{ orderNumber: string }>> {
  if (!isStaff(agent)) return fail("forbidden", "Only agents link orders.");
  try {
    const order = await getOrder(shopify, input.gid, { timeoutMs: 5_000 });
    if (!order) return fail("not_found", "Shopify has no such order any more.");
    await recordShopifyOrder(db, recordFromAdminApi(order), now);
  } catch (error) {
    if (!isShopifyError(error)) throw error;
    return fail("upstream_failed", error.message);
  }
  const [stored] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(eq(orders.provider, "shopify"), eq(orders.externalId, input.gid)),
    );
  if (!stored) return fail("not_found", "The order could not be stored.");
  return linkOrderToTicket(
    db,
    agent,
    { number: input.number, orderId: stored.id },
    now,
  );
}
