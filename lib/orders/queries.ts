import "server-only";
import {
  and,
  asc,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  lt,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import {
  orderEvents,
  orders,
  services,
  users,
  type Order,
  type OrderEvent,
  type OrderItem,
  type OrderStatus,
  type Payment,
  type Refund,
  type Service,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { isUuid } from "@/lib/ids";

export type OrderTimelineEntry = OrderEvent & { actorName: string | null };

export type OrderDetail = Order & {
  items: OrderItem[];
  payments: Payment[];
  refunds: Refund[];
  services: Service[];
  events: OrderTimelineEntry[];
  customer: { id: string; name: string; email: string } | null;
  /** What the Shopify store says, for its orders. */
  shopify: {
    fulfillmentStatus: string;
    financialStatus: string;
    statusPageUrl: string | null;
    isTest: boolean;
  } | null;
};

/** The viewer's own orders, newest first, from every provider. */
export async function listOrdersForCustomer(
  db: Db,
  viewer: Viewer,
): Promise<Order[]> {
  return db
    .select()
    .from(orders)
    .where(eq(orders.customerId, viewer.id))
    .orderBy(desc(orders.placedAt));
}

/** Null when the order doesn't exist or isn't the viewer's: callers answer 404 either way. */
export async function getOrderForCustomer(
  db: Db,
  viewer: Viewer,
  id: string,
): Promise<OrderDetail | null> {
  if (!isUuid(id)) return null;
  return orderDetail(
    db,
    and(eq(orders.id, id), eq(orders.customerId, viewer.id))!,
  );
}

/** The viewer's order that a Stripe Checkout Session was made for (the success page's lookup). */
export async function getOrderIdForCheckoutSession(
  db: Db,
  viewer: Viewer,
  sessionId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.checkoutSessionId, sessionId),
        eq(orders.customerId, viewer.id),
      ),
    );
  return row?.id ?? null;
}

/** Any order, for agents. */
export async function getOrderForStaff(
  db: Db,
  id: string,
): Promise<OrderDetail | null> {
  if (!isUuid(id)) return null;
  return orderDetail(db, eq(orders.id, id));
}

async function orderDetail(db: Db, where: SQL): Promise<OrderDetail | null> {
  const order = await db.query.orders.findFirst({
    where,
    with: {
      items: true,
      payments: { orderBy: (p, { asc }) => [asc(p.createdAt)] },
      refunds: { orderBy: (r, { asc }) => [asc(r.createdAt)] },
      services: true,
      customer: { columns: { id: true, name: true, email: true } },
      shopify: {
        columns: {
          fulfillmentStatus: true,
          financialStatus: true,
          statusPageUrl: true,
          isTest: true,
        },
      },
    },
  });
  if (!order) return null;
  const events = await db
    .select({ event: orderEvents, actorName: users.name })
    .from(orderEvents)
    .leftJoin(users, eq(users.id, orderEvents.actorId))
    .where(eq(orderEvents.orderId, order.id))
    .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id));
  return {
    ...order,
    customer: order.customer ?? null,
    shopify: order.shopify ?? null,
    events: events.map((e) => ({ ...e.event, actorName: e.actorName })),
  };
}

export type StaffOrderFilters = {
  status?: OrderStatus;
  source?: "shop" | "shopify";
  /** Matches the customer's name or email, or the order number. */
  q?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  page: number;
};

export type StaffOrderRow = Order & { customerName: string | null };

export const STAFF_ORDERS_PAGE_SIZE = 50;

export async function listOrdersForStaff(
  db: Db,
  f: StaffOrderFilters,
): Promise<{ rows: StaffOrderRow[]; total: number }> {
  const conditions: SQL[] = [];
  if (f.status) conditions.push(eq(orders.status, f.status));
  if (f.source === "shopify") conditions.push(eq(orders.provider, "shopify"));
  if (f.source === "shop")
    conditions.push(inArray(orders.provider, ["stripe", "manual"]));
  if (f.from) conditions.push(gte(orders.placedAt, f.from));
  if (f.to) conditions.push(lt(orders.placedAt, f.to));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(orders.number, like),
        ilike(orders.email, like),
        ilike(users.name, like),
      )!,
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({ order: orders, customerName: users.name })
      .from(orders)
      .leftJoin(users, eq(users.id, orders.customerId))
      .where(where)
      .orderBy(desc(orders.placedAt), desc(orders.id))
      .limit(STAFF_ORDERS_PAGE_SIZE)
      .offset((f.page - 1) * STAFF_ORDERS_PAGE_SIZE),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .leftJoin(users, eq(users.id, orders.customerId))
      .where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r.order, customerName: r.customerName })),
    total: count?.n ?? 0,
  };
}

export type ServiceRow = Service & { orderNumber: string };

/** The viewer's services, live ones first. */
export async function listServicesForCustomer(
  db: Db,
  viewer: Viewer,
): Promise<ServiceRow[]> {
  return listServices(db, viewer.id);
}

export async function listServices(
  db: Db,
  customerId: string,
): Promise<ServiceRow[]> {
  const rows = await db
    .select({ service: services, orderNumber: orders.number })
    .from(services)
    .innerJoin(orders, eq(orders.id, services.orderId))
    .where(
      and(
        eq(services.customerId, customerId),
        // A checkout that was abandoned leaves services that never started: not the customer's.
        or(
          sql`${services.status} <> 'pending'`,
          inArray(orders.status, ["pending", "awaiting_payment", "processing"]),
        ),
      ),
    )
    .orderBy(
      sql`case ${services.status} when 'active' then 0 when 'past_due' then 1 when 'pending' then 2 else 3 end`,
      desc(services.createdAt),
    );
  return rows.map((r) => ({ ...r.service, orderNumber: r.orderNumber }));
}
