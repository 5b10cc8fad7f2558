import "server-only";
import { and, asc, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import { mailboxes, orders, users, type Mailbox, type User } from "@/db/schema";
import type { Db } from "@/db/types";
import { isUuid } from "@/lib/ids";
import {
  listTicketsForCustomer,
  type CustomerTicketRow,
} from "@/lib/tickets/customer-queries";
import type { StaffTicket } from "@/lib/tickets/workspace-queries";

// What agents read about customers: the list, and one customer with their tickets, orders and
// mailbox.

export const CUSTOMER_PAGE_SIZE = 25;
const RECENT = 10;

export type CustomerRow = Pick<User, "id" | "name" | "email" | "createdAt"> & {
  mailbox: Pick<Mailbox, "localPart" | "domain" | "status"> | null;
};

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, "\\$&")}%`;

/** Customers (not agents) matching `q` in name or email, newest first, one page. */
export async function listCustomers(
  db: Db,
  filters: { q?: string; page?: number } = {},
): Promise<{ rows: CustomerRow[]; total: number }> {
  const q = filters.q?.trim();
  const where = and(
    eq(users.role, "customer"),
    q
      ? or(
          ilike(users.name, likePattern(q)),
          ilike(users.email, likePattern(q)),
        )
      : undefined,
  );
  const page = Math.max(1, filters.page ?? 1);
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        createdAt: users.createdAt,
        localPart: mailboxes.localPart,
        domain: mailboxes.domain,
        status: mailboxes.status,
      })
      .from(users)
      .leftJoin(mailboxes, eq(mailboxes.userId, users.id))
      .where(where)
      .orderBy(desc(users.createdAt), asc(users.id))
      .limit(CUSTOMER_PAGE_SIZE)
      .offset((page - 1) * CUSTOMER_PAGE_SIZE),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return {
    rows: rows.map(({ localPart, domain, status, ...customer }) => ({
      ...customer,
      mailbox:
        localPart !== null && domain !== null && status !== null
          ? { localPart, domain, status }
          : null,
    })),
    total: totals?.n ?? 0,
  };
}

export type CustomerDetail = {
  customer: Pick<
    User,
    | "id"
    | "name"
    | "email"
    | "phone"
    | "role"
    | "createdAt"
    | "deactivatedAt"
    | "twoFactor"
    | "closureRequestedAt"
  >;
  mailbox: Mailbox | null;
  /** The first page of their tickets, and how many there are in all. */
  tickets: { rows: CustomerTicketRow[]; total: number };
  /** Their latest orders, as the ticket workspace shows them. */
  orders: StaffTicket["orders"];
};

/**
 * A person as the staff desk sees them, with their latest tickets and orders; null for a malformed
 * id or nobody. Any role: an agent who opened a ticket for themselves is that ticket's customer.
 */
export async function getCustomerForStaff(
  db: Db,
  id: string,
): Promise<CustomerDetail | null> {
  if (!isUuid(id)) return null;
  const [customer] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      phone: users.phone,
      role: users.role,
      createdAt: users.createdAt,
      deactivatedAt: users.deactivatedAt,
      twoFactor: users.twoFactor,
      closureRequestedAt: users.closureRequestedAt,
    })
    .from(users)
    .where(eq(users.id, id));
  if (!customer) return null;
  const [[mailbox], customerTickets, recentOrders] = await Promise.all([
    db.select().from(mailboxes).where(eq(mailboxes.userId, id)),
    // The customer's own list, newest activity first; agents see it whole, verified address or not.
    listTicketsForCustomer(
      db,
      { id, emailVerified: true },
      { status: "all", page: 1 },
    ),
    // Guest checkouts carry only the email, so match it as the ticket workspace does; lower() on
    // both sides is what orders_email_lower_idx serves.
    db.query.orders.findMany({
      columns: {
        id: true,
        number: true,
        status: true,
        totalAmount: true,
        currency: true,
        placedAt: true,
        provider: true,
        externalId: true,
      },
      where: or(
        eq(orders.customerId, id),
        sql`lower(${orders.email}) = lower(${customer.email})`,
      ),
      orderBy: desc(orders.placedAt),
      limit: RECENT,
    }),
  ]);
  return {
    customer,
    mailbox: mailbox ?? null,
    tickets: customerTickets,
    orders: recentOrders,
  };
}
