import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import {
  closeAccount,
  exportAccount,
  listClosureRequests,
  requestClosure,
  withdrawClosure,
} from "@/lib/customers/account-data";
import { getUserById } from "@/lib/users/queries";
import { buildOrder, buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const PASSWORD = "a long enough passphrase";

describe("download my data", () => {
  it("holds the profile, the tickets with their messages and the orders, never a note or a secret", async () => {
    const customer = await buildUser(t.db, {
      name: "Dana Data 🌻",
      password: PASSWORD,
    });
    const agent = await buildUser(t.db, { role: "agent", name: "Sam" });
    const ticket = await buildTicket(t.db, {
      customer,
      messages: [
        { kind: "customer", text: "My site is down." },
        {
          kind: "note",
          text: "Internal: check the load balancer",
          author: agent,
        },
        { kind: "reply", text: "Fixed, sorry!", author: agent },
      ],
    });
    await buildOrder(t.db, { customer, number: "PO-DATA-1", total: 1990 });

    const data = (await exportAccount(t.db, customer.viewer))!;
    expect(data.profile).toMatchObject({
      name: "Dana Data 🌻",
      email: customer.email,
      emailVerified: true,
    });
    expect(data.tickets).toEqual([
      expect.objectContaining({
        number: ticket.number,
        messages: [
          expect.objectContaining({ from: "you", text: "My site is down." }),
          expect.objectContaining({ text: "Fixed, sorry!" }),
        ],
      }),
    ]);
    expect(data.orders).toEqual([
      expect.objectContaining({ number: "PO-DATA-1", total: "19.90" }),
    ]);
    const text = JSON.stringify(data);
    expect(text).not.toContain("load balancer");
    expect(text).not.toContain(customer.passwordHash!);
  });

  it("leaves out mailed-in tickets while the address is not confirmed", async () => {
    const customer = await buildUser(t.db, { emailVerifiedAt: null });
    await buildTicket(t.db, { customer, source: "email" });
    const web = await buildTicket(t.db, { customer, source: "web" });
    const data = (await exportAccount(t.db, customer.viewer))!;
    expect(data.tickets.map((x) => x.number)).toEqual([web.number]);
  });
});

describe("closing an account", () => {
  it("waits for an admin; closing removes the person and keeps the tickets and orders", async () => {
    const customer = await buildUser(t.db, {
      name: "Cleo Closing",
      password: PASSWORD,
      phone: "+447400123456",
    });
    const admin = await buildUser(t.db, { role: "admin" });
    const ticket = await buildTicket(t.db, { customer });
    const order = await buildOrder(t.db, { customer });

    // Nothing to confirm before the customer asks; then it can be taken back.
    expect((await closeAccount(t.db, admin, customer.id)).ok).toBe(false);
    await requestClosure(t.db, customer);
    expect((await listClosureRequests(t.db)).map((r) => r.id)).toContain(
      customer.id,
    );
    await withdrawClosure(t.db, customer);
    expect((await closeAccount(t.db, admin, customer.id)).ok).toBe(false);

    await requestClosure(t.db, customer);
    expect((await closeAccount(t.db, admin, customer.id)).ok).toBe(true);
    const closed = (await getUserById(t.db, customer.id))!;
    expect(closed).toMatchObject({
      name: "Former customer",
      phone: null,
      passwordHash: null,
      deactivatedAt: expect.any(Date),
    });
    expect(closed.email).not.toContain(customer.email);
    expect(
      (await authenticate(t.db, { email: customer.email, password: PASSWORD }))
        .ok,
    ).toBe(false);
    const [kept] = await t.db
      .select()
      .from(s.tickets)
      .where(eq(s.tickets.id, ticket.id));
    expect(kept).toBeDefined();
    const messages = await t.db
      .select()
      .from(s.ticketMessages)
      .where(eq(s.ticketMessages.ticketId, ticket.id));
    expect(messages.every((m) => m.authorName === "Former customer")).toBe(
      true,
    );
    const [keptOrder] = await t.db
      .select()
      .from(s.orders)
      .where(eq(s.orders.id, order.id));
    expect(keptOrder?.email).not.toBe(customer.email);
    expect((await listClosureRequests(t.db)).map((r) => r.id)).not.toContain(
      customer.id,
    );
  });
});
