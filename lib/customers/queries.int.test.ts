import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxes, orders, type Mailbox } from "@/db/schema";
import {
  CUSTOMER_PAGE_SIZE,
  getCustomerForStaff,
  listCustomers,
} from "@/lib/customers/queries";
import { buildOrder, buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

// What the staff customer pages read.

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
async function mailboxFor(
  userId: string,
  over: Partial<typeof mailboxes.$inferInsert> = {},
): Promise<Mailbox> {
  const [row] = await t.db
    .insert(mailboxes)
    .values({
      userId,
      localPart: `box${++n}`,
      domain: "example.net",
      quotaMb: 1024,
      ...over,
    })
    .returning();
  return row!;
}

describe("the customer list", () => {
  it("finds customers by part of their name or email, with their mailbox, and leaves agents out", async () => {
    const zoe = await buildUser(t.db, {
      name: "Zoë Quartermaine",
      email: "zq@quarter.example",
    });
    await mailboxFor(zoe.id, { localPart: "zoe", status: "failed" });
    const other = await buildUser(t.db, {
      name: "Olaf",
      email: "olaf@quartermaine.example",
    });
    await buildUser(t.db, { name: "Quentin Quartermaine", role: "agent" });

    const byName = await listCustomers(t.db, { q: "QUARTERMAINE" });
    expect(byName.total).toBe(2);
    expect(byName.rows.map((r) => r.name).sort()).toEqual([
      "Olaf",
      "Zoë Quartermaine",
    ]);
    expect(byName.rows.find((r) => r.id === zoe.id)?.mailbox).toEqual({
      localPart: "zoe",
      domain: "example.net",
      status: "failed",
    });
    expect(byName.rows.find((r) => r.id === other.id)?.mailbox).toBeNull();

    // A "%" is searched for, not a wildcard.
    expect((await listCustomers(t.db, { q: "%" })).total).toBe(0);
  });

  it("pages through everyone, newest first", async () => {
    const before = (await listCustomers(t.db)).total;
    for (let i = 0; i < CUSTOMER_PAGE_SIZE; i++)
      await buildUser(t.db, {
        name: `Paged ${i}`,
        createdAt: new Date(Date.now() + i * 1000),
      });
    const first = await listCustomers(t.db);
    expect(first.total).toBe(before + CUSTOMER_PAGE_SIZE);
    expect(first.rows).toHaveLength(CUSTOMER_PAGE_SIZE);
    expect(first.rows[0]!.name).toBe(`Paged ${CUSTOMER_PAGE_SIZE - 1}`);
    const second = await listCustomers(t.db, { page: 2 });
    expect(second.rows).toHaveLength(before);
  });
});

describe("one customer", () => {
  it("comes with their tickets, their orders (guest checkouts by email too) and their mailbox", async () => {
    const customer = await buildUser(t.db, { email: "Mia@Example.test" });
    const ticket = await buildTicket(t.db, { customer });
    const order = await buildOrder(t.db, { customer });
    await t.db.insert(orders).values({
      number: "GUEST-1",
      email: "mia@example.test",
      currency: "EUR",
      totalAmount: 500,
      provider: "stripe",
    });
    const mailbox = await mailboxFor(customer.id);

    const detail = await getCustomerForStaff(t.db, customer.id);
    expect(detail?.customer).toMatchObject({
      id: customer.id,
      email: "Mia@Example.test",
    });
    expect(detail?.tickets.total).toBe(1);
    expect(detail?.tickets.rows.map((x) => x.number)).toEqual([ticket.number]);
    expect(detail?.orders.map((o) => o.number).sort()).toEqual(
      [order.number, "GUEST-1"].sort(),
    );
    expect(detail?.mailbox).toEqual(mailbox);
  });

  it("is null for an unknown or malformed id", async () => {
    expect(
      await getCustomerForStaff(t.db, "00000000-0000-4000-8000-000000000000"),
    ).toBeNull();
    expect(await getCustomerForStaff(t.db, "../etc")).toBeNull();
  });
});
