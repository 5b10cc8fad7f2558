import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { receiveContactMessage } from "@/lib/customers/contact";
import { listTicketsForCustomer } from "@/lib/tickets/customer-queries";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await buildDepartment(t.db);
});
afterAll(() => t.close());

const message = (email: string, over: Record<string, string> = {}) => ({
  name: "Visitor Name",
  email,
  subject: "Can you host my shop?",
  message: "I would like to move my web shop to you.",
  ...over,
});

const ticketsOf = (customerId: string) =>
  t.db.select().from(s.tickets).where(eq(s.tickets.customerId, customerId));

describe("the contact form", () => {
  it("opens a ticket for a new address, as a contact without a password", async () => {
    const sent = await receiveContactMessage(
      t.db,
      message("new.visitor@example.com"),
      [],
      { client: "203.0.113.7" },
    );
    expect(sent).toEqual({ ok: true, value: { accepted: true } });
    const [person] = await t.db
      .select()
      .from(s.users)
      .where(eq(s.users.email, "new.visitor@example.com"));
    expect(person).toMatchObject({ role: "customer", passwordHash: null });
    const [ticket] = await ticketsOf(person!.id);
    expect(ticket).toMatchObject({
      subject: "Can you host my shop?",
      source: "other",
    });
  });

  it("files an existing customer's message under their account, answering exactly as for a stranger", async () => {
    const customer = await buildUser(t.db, { email: "known@example.com" });
    const sent = await receiveContactMessage(
      t.db,
      message("KNOWN@example.com"),
      [],
      { client: "203.0.113.8" },
    );
    expect(sent).toEqual({ ok: true, value: { accepted: true } });
    const listed = await listTicketsForCustomer(t.db, customer.viewer);
    expect(listed.rows.map((r) => r.subject)).toEqual([
      "Can you host my shop?",
    ]);
    // Someone who signed up as the address without proving it does not see what others sent as it.
    const unproven = await buildUser(t.db, {
      email: "claimed@example.com",
      emailVerifiedAt: null,
    });
    await receiveContactMessage(t.db, message("claimed@example.com"), [], {
      client: "203.0.113.9",
    });
    expect((await ticketsOf(unproven.id)).length).toBe(1);
    expect((await listTicketsForCustomer(t.db, unproven.viewer)).rows).toEqual(
      [],
    );
  });

  it("limits messages per address and per client, and keeps nothing from a robot", async () => {
    const now = new Date();
    const from = (email: string, client: string) =>
      receiveContactMessage(t.db, message(email), [], { client, now });
    for (let i = 0; i < 5; i++)
      expect((await from("busy@example.com", `198.51.100.${i}`)).ok).toBe(true);
    const sixth = await from("busy@example.com", "198.51.100.99");
    expect(!sixth.ok && sixth.error.code).toBe("rate_limited");

    for (let i = 0; i < 10; i++)
      expect((await from(`many${i}@example.com`, "192.0.2.50")).ok).toBe(true);
    const flood = await from("one.more@example.com", "192.0.2.50");
    expect(!flood.ok && flood.error.code).toBe("rate_limited");

    const robot = await receiveContactMessage(
      t.db,
      message("robot@example.com", { website: "http://spam.example" }),
      [],
      { client: "192.0.2.77" },
    );
    expect(robot.ok).toBe(true);
    const [kept] = await t.db
      .select()
      .from(s.users)
      .where(eq(s.users.email, "robot@example.com"));
    expect(kept).toBeUndefined();
  });
});
