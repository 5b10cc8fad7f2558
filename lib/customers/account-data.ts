import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import {
  mailboxes,
  orderItems,
  orders,
  ticketMessages,
  tickets,
  users,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { closeAllSessionRows } from "@/lib/auth/sessions";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { seenByCustomer } from "@/lib/tickets/query-parts";

// A customer's own data: everything they can see in the portal, as one JSON document to download,
// and the request to close the account, which an administrator confirms. Closing keeps the tickets
// (the company needs its support history) but removes who wrote them.

export type AccountExport = {
  exportedAt: string;
  profile: {
    name: string;
    email: string;
    emailVerified: boolean;
    phone: string | null;
    createdAt: string;
    mail: { orders: boolean; news: boolean };
    twoStepSignIn: string | null;
    mailbox: string | null;
  };
  tickets: Array<{
    number: string;
    subject: string;
    status: string;
    createdAt: string;
    messages: Array<{ from: string; at: string; text: string }>;
  }>;
  orders: Array<{
    number: string;
    status: string;
    placedAt: string;
    currency: string;
    total: string;
    items: Array<{ description: string; quantity: number; amount: string }>;
  }>;
};

const money = (minor: number) => (minor / 100).toFixed(2);

/** What the account holds, as the portal shows it: never internal notes, never secrets. */
export async function exportAccount(
  db: Db,
  viewer: Viewer,
  now = new Date(),
): Promise<AccountExport | null> {
  const [user] = await db
    .select({
      user: users,
      mailbox: sql<
        string | null
      >`${mailboxes.localPart} || '@' || ${mailboxes.domain}`,
    })
    .from(users)
    .leftJoin(mailboxes, eq(mailboxes.userId, users.id))
    .where(eq(users.id, viewer.id));
  if (!user) return null;
  const u = user.user;
  const ownTickets = await db
    .select()
    .from(tickets)
    .where(seenByCustomer(viewer))
    .orderBy(asc(tickets.createdAt));
  const messages = ownTickets.length
    ? await db
        .select()
        .from(ticketMessages)
        .where(
          and(
            inArray(
              ticketMessages.ticketId,
              ownTickets.map((t) => t.id),
            ),
            ne(ticketMessages.kind, "note"),
          ),
        )
        .orderBy(asc(ticketMessages.createdAt))
    : [];
  const ownOrders = await db
    .select()
    .from(orders)
    .where(eq(orders.customerId, viewer.id))
    .orderBy(asc(orders.placedAt));
  const items = ownOrders.length
    ? await db
        .select()
        .from(orderItems)
        .where(
          inArray(
            orderItems.orderId,
            ownOrders.map((o) => o.id),
          ),
        )
    : [];
  return {
    exportedAt: now.toISOString(),
    profile: {
      name: u.name,
      email: u.email,
      emailVerified: u.emailVerifiedAt !== null,
      phone: u.phoneVerifiedAt ? u.phone : null,
      createdAt: u.createdAt.toISOString(),
      mail: { orders: u.orderMail, news: u.marketingMail },
      twoStepSignIn: u.twoFactor,
      mailbox: user.mailbox,
    },
    tickets: ownTickets.map((t) => ({
      number: t.number,
      subject: t.subject,
      status: t.status,
      createdAt: t.createdAt.toISOString(),
      messages: messages
        .filter((m) => m.ticketId === t.id)
        .map((m) => ({
          from: m.kind === "customer" ? "you" : (m.authorName ?? "Support"),
          at: m.createdAt.toISOString(),
          text: m.bodyText,
        })),
    })),
    orders: ownOrders.map((o) => ({
      number: o.number,
      status: o.status,
      placedAt: o.placedAt.toISOString(),
      currency: o.currency,
      total: money(o.totalAmount),
      items: items
        .filter((i) => i.orderId === o.id)
        .map((i) => ({
          description: i.description,
          quantity: i.quantity,
          amount: money(i.unitAmount * i.quantity),
        })),
    })),
  };
}

/** The customer asks for the account to be closed; nothing is removed until an admin confirms. */
export async function requestClosure(
  db: Db,
  viewer: Pick<Viewer, "id">,
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const [asked] = await tx
      .update(users)
      .set({ closureRequestedAt: now, updatedAt: now })
      .where(and(eq(users.id, viewer.id), isNull(users.closureRequestedAt)))
      .returning({ id: users.id });
    if (asked)
      await recordAudit(tx, {
        actor: { kind: "user", id: viewer.id },
        action: "user.closure_requested",
        entityType: "user",
        entityId: viewer.id,
        at: now,
      });
  });
}

export async function withdrawClosure(
  db: Db,
  viewer: Pick<Viewer, "id">,
  now = new Date(),
): Promise<void> {
  await db
    .update(users)
    .set({ closureRequestedAt: null, updatedAt: now })
    .where(eq(users.id, viewer.id));
}

/** Customers waiting for an administrator to close their account, oldest request first. */
export async function listClosureRequests(db: Db) {
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      requestedAt: users.closureRequestedAt,
    })
    .from(users)
    .where(
      and(
        isNotNull(users.closureRequestedAt),
        isNull(users.deactivatedAt),
        eq(users.role, "customer"),
      ),
    )
    .orderBy(asc(users.closureRequestedAt));
}

/**
 * An administrator confirms a closure: the person can no longer sign in, and their name, address,
 * phone and second factor are gone. Tickets stay for the company's history, their messages signed
 * "Former customer"; orders stay for the books, without the address.
 */
export async function closeAccount(
  db: Db,
  admin: Pick<Viewer, "id">,
  userId: string,
  now = new Date(),
): Promise<Result<void>> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(
        and(
          eq(users.id, userId),
          eq(users.role, "customer"),
          isNotNull(users.closureRequestedAt),
        ),
      );
    if (!user)
      return fail(
        "not_found",
        "That person has not asked to close an account.",
      );
    const placeholder = `closed-${user.id}@closed.invalid`;
    await tx
      .update(users)
      .set({
        name: "Former customer",
        email: placeholder,
        phone: null,
        phoneVerifiedAt: null,
        notes: null,
        passwordHash: null,
        twoFactor: null,
        totpSecret: null,
        totpLastStep: null,
        stripeCustomerId: null,
        deactivatedAt: now,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: now,
      })
      .where(eq(users.id, user.id));
    await closeAllSessionRows(tx, user.id, now);
    await tx
      .update(ticketMessages)
      .set({ authorName: "Former customer", authorEmail: null })
      .where(eq(ticketMessages.authorId, user.id));
    await tx
      .update(orders)
      .set({ email: placeholder })
      .where(eq(orders.customerId, user.id));
    await recordAudit(tx, {
      actor: { kind: "user", id: admin.id },
      action: "user.closed",
      entityType: "user",
      entityId: user.id,
      at: now,
    });
    return ok(undefined);
  });
}
