import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { getTicketForStaff } from "@/lib/tickets/workspace-queries";
import { getTicketForCustomer } from "@/lib/tickets/customer-queries";
import { openTicketForContact } from "@/lib/tickets/staff-open";

let t: TestDb;
let department: s.Department;
beforeAll(async () => {
  t = await createTestDb();
  department = await buildDepartment(t.db, { name: "Phone desk" });
});
afterAll(() => t.close());

async function setup() {
  const sam = await buildUser(t.db, { role: "agent", name: "Sam Lee" });
  const kim = await buildUser(t.db, { role: "agent", name: "Kim Park" });
  await t.db.insert(s.departmentMembers).values([
    { departmentId: department.id, userId: sam.id },
    { departmentId: department.id, userId: kim.id },
  ]);
  return { sam, kim };
}

const request = (over: Record<string, unknown> = {}) => ({
  email: "",
  name: "",
  source: "phone" as const,
  departmentId: department.id,
  subject: "Cannot reach the control panel",
  message: "Called at 10:05: the panel says 503 since this morning.",
  notify: true,
  assignToMe: false,
  ...over,
});

const mailsFor = (ticketId: string) =>
  t.db
    .select()
    .from(s.outboundMail)
    .where(eq(s.outboundMail.ticketId, ticketId));

describe("an agent opens a ticket for a customer", () => {
  it("for a new contact: creates the customer, tells them by mail and alerts the department", async () => {
    const { sam, kim } = await setup();
    const email = `caller-${Date.now()}@example.com`;
    const r = await openTicketForContact(
      t.db,
      sam.viewer,
      request({ email, name: "Carla Caller" }),
      [],
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ source: "phone", assigneeId: null });
    const [contact] = await t.db
      .select()
      .from(s.users)
      .where(eq(s.users.email, email));
    expect(contact).toMatchObject({
      name: "Carla Caller",
      role: "customer",
      passwordHash: null,
    });
    expect(r.value.customerId).toBe(contact!.id);

    const mails = await mailsFor(r.value.id);
    expect(
      mails
        .filter((m) => m.kind === "ticket_acknowledgement")
        .map((m) => m.toAddress),
    ).toEqual([email]);
    expect(
      mails
        .filter((m) => m.kind === "new_ticket_alert")
        .map((m) => m.toAddress)
        .sort(),
    ).toEqual([kim.email, sam.email].sort());

    const view = await getTicketForStaff(t.db, r.value.number);
    const first = view!.thread.find((i) => i.type === "message");
    expect(first?.type === "message" && first.message).toMatchObject({
      kind: "customer",
      authorName: "Carla Caller",
      bodyText: "Called at 10:05: the panel says 503 since this morning.",
    });
    expect(
      view!.thread.some(
        (i) =>
          i.type === "event" && i.event.action === "ticket.opened_for_customer",
      ),
    ).toBe(true);
  });

  it("for an existing customer, found in any letter case: no mail when told not to, taken by the agent, visible to the customer", async () => {
    const { sam } = await setup();
    const alice = await buildUser(t.db, { name: "Alice Known" });
    const r = await openTicketForContact(
      t.db,
      sam.viewer,
      request({
        email: alice.email.toUpperCase(),
        name: "Ignored For Existing",
        source: "staff",
        notify: false,
        assignToMe: true,
      }),
      [],
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      customerId: alice.id,
      source: "staff",
      assigneeId: sam.id,
    });
    // Neither an acknowledgement (not wanted) nor an alert (the agent took it).
    expect(await mailsFor(r.value.id)).toEqual([]);
    const [user] = await t.db
      .select()
      .from(s.users)
      .where(eq(s.users.id, alice.id));
    expect(user!.name).toBe("Alice Known");
    const seen = await getTicketForCustomer(t.db, alice.viewer, r.value.number);
    expect(seen?.subject).toBe("Cannot reach the control panel");
  });

  it("refuses a staff address, a closed account, a banned address and an inactive topic, by field, writing nothing", async () => {
    const { sam, kim } = await setup();
    const closed = await buildUser(t.db, { name: "Gone" });
    await t.db
      .update(s.users)
      .set({ deactivatedAt: new Date() })
      .where(eq(s.users.id, closed.id));
    const banned = `spam-${Date.now()}@example.com`;
    await t.db.insert(s.bannedEmails).values({ email: banned.toUpperCase() });
    const [topic] = await t.db
      .insert(s.helpTopics)
      .values({ name: "Retired", departmentId: department.id, isActive: false })
      .returning();
    const before = (await t.db.select().from(s.tickets)).length;
    for (const [over, fieldName, message] of [
      [{ email: kim.email }, "email", /staff member/],
      [{ email: closed.email }, "email", /account is closed/],
      [{ email: banned }, "email", /ban list/],
      [
        { email: "new@example.com", helpTopicId: topic!.id },
        "helpTopicId",
        /help topic/,
      ],
    ] as const) {
      const r = await openTicketForContact(t.db, sam.viewer, request(over), []);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.fields?.[fieldName]?.[0]).toMatch(message);
    }
    expect((await t.db.select().from(s.tickets)).length).toBe(before);
    const created = await t.db
      .select()
      .from(s.users)
      .where(eq(s.users.email, banned));
    expect(created).toEqual([]);
  });
});
