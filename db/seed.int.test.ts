import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import {
  DEMO_CONTACTS,
  DEMO_PASSWORD,
  DEMO_USERS,
  seedDemoData,
} from "@/db/seed";
import { authenticate } from "@/lib/auth/authenticate";
import { createTestDb, type TestDb } from "@/testing/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const seededPeople =
  Object.keys(DEMO_USERS).length + Object.keys(DEMO_CONTACTS).length;

const rows = async (
  table: typeof s.users | typeof s.products | typeof s.tickets,
) => (await t.db.select({ n: count() }).from(table))[0]!.n;

describe("demo data", () => {
  it("fills an empty database once, and leaves a populated one alone", async () => {
    expect(await seedDemoData(t.db)).toBe(true);
    expect(await seedDemoData(t.db)).toBe(false);
    expect(await rows(s.users)).toBe(seededPeople);
  });

  it("seeds once when several processes start on the same empty database together", async () => {
    const fresh = await createTestDb();
    try {
      const results = await Promise.all([
        seedDemoData(fresh.db),
        seedDemoData(fresh.db),
        seedDemoData(fresh.db),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const [users] = await fresh.db.select({ n: count() }).from(s.users);
      expect(users!.n).toBe(seededPeople);
    } finally {
      await fresh.close();
    }
  });

  it("mirrors the osTicket ids API callers rely on", async () => {
    const topics = await t.db.select().from(s.helpTopics);
    expect(topics.map((x) => x.id)).toEqual(expect.arrayContaining([1, 2, 10]));
    expect(topics.find((x) => x.id === 10)?.departmentId).toBe(3);
    expect(
      (await t.db.select().from(s.departments)).map((d) => d.id).sort(),
    ).toEqual([1, 2, 3]);
    // A department created after seeding must not collide with the seeded ids.
    const [next] = await t.db
      .insert(s.departments)
      .values({ name: "Billing" })
      .returning();
    expect(next!.id).toBe(4);
  });

  it("has a catalogue, SLA plans, canned replies, and customers with orders and tickets in several states", async () => {
    expect(await rows(s.products)).toBe(11);
    expect(await t.db.select().from(s.slaPlans)).toHaveLength(2);
    expect(
      (await t.db.select().from(s.cannedReplies)).length,
    ).toBeGreaterThanOrEqual(3);
    const statuses = new Set(
      (await t.db.select({ status: s.tickets.status }).from(s.tickets)).map(
        (r) => r.status,
      ),
    );
    expect(statuses).toEqual(
      new Set(["open", "pending", "resolved", "closed"]),
    );
    for (const key of ["alice", "bob", "carol"] as const) {
      const [user] = await t.db
        .select()
        .from(s.users)
        .where(eq(s.users.email, DEMO_USERS[key].email));
      expect(
        await t.db
          .select()
          .from(s.orders)
          .where(eq(s.orders.customerId, user!.id)),
      ).not.toHaveLength(0);
      expect(
        await t.db
          .select()
          .from(s.tickets)
          .where(eq(s.tickets.customerId, user!.id)),
      ).not.toHaveLength(0);
    }
  });

  it("has the text shapes every page must stay readable with: a 60-letter word, right-to-left script, emoji", async () => {
    const names = (await t.db.select({ name: s.users.name }).from(s.users)).map(
      (u) => u.name,
    );
    const subjects = (
      await t.db.select({ subject: s.tickets.subject }).from(s.tickets)
    ).map((r) => r.subject);
    const unbroken = (text: string) => /^\S{60,}$/.test(text);
    const rtl = (text: string) => /[\u0590-\u08ff]/.test(text);
    expect(names.some(unbroken)).toBe(true);
    expect(names.some(rtl)).toBe(true);
    expect(names.some((n) => /\p{Extended_Pictographic}/u.test(n))).toBe(true);
    expect(subjects.some(unbroken)).toBe(true);
    expect(subjects.some(rtl)).toBe(true);
    // They wrote in by mail or API: no password, so the published demo password opens nothing new.
    for (const c of Object.values(DEMO_CONTACTS)) {
      const [user] = await t.db
        .select()
        .from(s.users)
        .where(eq(s.users.email, c.email));
      expect(user).toMatchObject({ role: "customer", passwordHash: null });
      expect(
        await t.db
          .select()
          .from(s.tickets)
          .where(eq(s.tickets.customerId, user!.id)),
      ).toHaveLength(1);
    }
  });

  it("lets every demo user sign in with the documented password and role", async () => {
    for (const u of Object.values(DEMO_USERS)) {
      const r = await authenticate(t.db, {
        email: u.email,
        password: DEMO_PASSWORD,
      });
      expect(r.ok && r.value.role).toBe(u.role);
    }
  });
});
