import { randomBytes } from "node:crypto";
import * as s from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword } from "@/lib/auth/password";
import type { Viewer } from "@/lib/auth/viewer";
import { randomTicketNumber } from "@/lib/tickets/numbers";

// Builders for test data: each test makes exactly what it needs, with unique values.

const unique = () => randomBytes(4).toString("hex");

export async function buildUser(
  db: Db,
  over: Partial<s.NewUser> & { password?: string } = {},
): Promise<s.User & { viewer: Viewer }> {
  const { password, ...rest } = over;
  const [user] = await db
    .insert(s.users)
    .values({
      email: `user-${unique()}@example.test`,
      name: "Test User",
      role: "customer",
      passwordHash: password ? await hashPassword(password) : null,
      // An established account: tests of the unverified state pass emailVerifiedAt: null.
      emailVerifiedAt: new Date(),
      ...rest,
    })
    .returning();
  return {
    ...user!,
    viewer: {
      id: user!.id,
      email: user!.email,
      name: user!.name,
      role: user!.role,
      emailVerified: user!.emailVerifiedAt !== null,
    },
  };
}

export async function buildDepartment(
  db: Db,
  over: Partial<typeof s.departments.$inferInsert> = {},
): Promise<s.Department> {
  const [row] = await db
    .insert(s.departments)
    .values({ name: `Dept ${unique()}`, ...over })
    .returning();
  return row!;
}

export async function buildTicket(
  db: Db,
  p: {
    customer: s.User;
    department?: s.Department;
    status?: s.TicketStatus;
    source?: s.TicketSource;
    messages?: Array<{
      kind: "customer" | "reply" | "note";
      text: string;
      author?: s.User;
    }>;
  },
): Promise<s.Ticket> {
  const department = p.department ?? (await buildDepartment(db));
  const [ticket] = await db
    .insert(s.tickets)
    .values({
      number: randomTicketNumber(),
      subject: `Subject ${unique()}`,
      status: p.status ?? "open",
      source: p.source ?? "web",
      departmentId: department.id,
      customerId: p.customer.id,
    })
    .returning();
  for (const m of p.messages ?? [
    { kind: "customer" as const, text: "Hello, I need help." },
  ]) {
    const author = m.author ?? p.customer;
    await db.insert(s.ticketMessages).values({
      ticketId: ticket!.id,
      kind: m.kind,
      authorId: author.id,
      authorName: author.name,
      authorEmail: author.email,
      source: m.kind === "customer" ? "web" : "staff",
      bodyText: m.text,
    });
  }
  return ticket!;
}

export async function buildOrder(
  db: Db,
  p: { customer: s.User; number?: string; total?: number },
): Promise<s.Order> {
  const [order] = await db
    .insert(s.orders)
    .values({
      number: p.number ?? `PO-${unique()}`,
      customerId: p.customer.id,
      email: p.customer.email,
      status: "paid",
      currency: "EUR",
      totalAmount: p.total ?? 1990,
      provider: "manual",
    })
    .returning();
  return order!;
}
