import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { addAgentReply, addCustomerReply } from "@/lib/tickets/reply";
import { seenFormValues } from "@/lib/tickets/property-conflicts";
import { ticketUpdateInput } from "@/lib/tickets/schemas";
import {
  bulkUpdateTickets,
  readTicketProperties,
  updateTicket,
} from "@/lib/tickets/update-ticket";

let t: TestDb;
let support: s.Department;
let billing: s.Department;
let topicId: number;
beforeAll(async () => {
  t = await createTestDb();
  support = await buildDepartment(t.db, { name: "Support" });
  billing = await buildDepartment(t.db, { name: "Billing" });
  const [topic] = await t.db
    .insert(s.helpTopics)
    .values({ name: "Hosting", departmentId: support.id, priority: "high" })
    .returning();
  topicId = topic!.id;
});
afterAll(() => t.close());

async function setup() {
  const customer = await buildUser(t.db, { name: "Cora Customer" });
  const sam = await buildUser(t.db, { role: "agent", name: "Sam Lee" });
  const kim = await buildUser(t.db, { role: "agent", name: "Kim Park" });
  const opened = await openTicketForCustomer(
    t.db,
    customer.viewer,
    { helpTopicId: topicId, subject: "Two agents", message: "Hello" },
    [],
  );
  if (!opened.ok) throw new Error(opened.error.message);
  return { customer, sam, kim, number: opened.value.number };
}

/** What a workspace form posts: the agent's choices and what the form was based on. */
async function formFor(number: string) {
  const p = await readTicketProperties(t.db, number);
  if (!p) throw new Error("no ticket");
  const base = {
    number,
    assigneeId: p.assigneeId ?? "",
    status: p.status,
    priority: p.priority,
    departmentId: String(p.departmentId),
    helpTopicId: p.helpTopicId === null ? "" : String(p.helpTopicId),
    ...seenFormValues(p),
  };
  return (choices: Record<string, string>) =>
    ticketUpdateInput.parse({ ...base, ...choices });
}

describe("two agents saving one ticket", () => {
  it("Kim's stale save of the department keeps Sam's assignment and priority", async () => {
    const { sam, kim, number } = await setup();
    const samForm = await formFor(number);
    const kimForm = await formFor(number); // Kim opened the ticket at the same time
    const bySam = await updateTicket(
      t.db,
      sam.viewer,
      samForm({ assigneeId: sam.id, priority: "low" }),
    );
    expect(bySam.ok).toBe(true);
    const byKim = await updateTicket(
      t.db,
      kim.viewer,
      kimForm({ departmentId: String(billing.id) }),
    );
    expect(byKim.ok).toBe(true);
    const after = await readTicketProperties(t.db, number);
    expect(after).toMatchObject({
      assigneeId: sam.id,
      priority: "low",
      departmentId: billing.id,
      helpTopicId: topicId,
    });
  });

  it("refuses Kim's change of a property Sam changed meanwhile, naming Sam and his value, and then applies it on a second save", async () => {
    const { sam, kim, number } = await setup();
    const samForm = await formFor(number);
    const kimForm = await formFor(number);
    await updateTicket(t.db, sam.viewer, samForm({ priority: "low" }));
    const refused = await updateTicket(
      t.db,
      kim.viewer,
      kimForm({ priority: "emergency", departmentId: String(billing.id) }),
    );
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe("conflict");
    expect(refused.error.fields?.priority?.[0]).toMatch(
      /^Sam Lee changed this to Low at \d\d:\d\d UTC\./,
    );
    expect(refused.error.fields?.departmentId).toBeUndefined();
    // Nothing of Kim's save was written, the department included.
    expect(await readTicketProperties(t.db, number)).toMatchObject({
      priority: "low",
      departmentId: support.id,
    });

    // The form now rests on the ticket as it is; saving again is a deliberate choice.
    const again = await formFor(number);
    const applied = await updateTicket(
      t.db,
      kim.viewer,
      again({ priority: "emergency", departmentId: String(billing.id) }),
    );
    expect(applied.ok).toBe(true);
    expect(await readTicketProperties(t.db, number)).toMatchObject({
      priority: "emergency",
      departmentId: billing.id,
    });
  });

  it("takes no offence when both agents chose the same value", async () => {
    const { sam, kim, number } = await setup();
    const samForm = await formFor(number);
    const kimForm = await formFor(number);
    await updateTicket(t.db, sam.viewer, samForm({ status: "pending" }));
    const r = await updateTicket(
      t.db,
      kim.viewer,
      kimForm({ status: "pending" }),
    );
    expect(r.ok).toBe(true);
    const events = await t.db
      .select()
      .from(s.auditLog)
      .where(eq(s.auditLog.action, "ticket.status_changed"));
    const ticket = (
      await t.db.select().from(s.tickets).where(eq(s.tickets.number, number))
    )[0]!;
    expect(events.filter((e) => e.ticketId === ticket.id)).toHaveLength(1);
  });

  it("notices changes made by other paths: a customer's reply reopening the ticket", async () => {
    const { customer, sam, kim, number } = await setup();
    await addAgentReply(
      t.db,
      sam.viewer,
      { number, message: "Try now", status: "resolved" },
      [],
    );
    const kimForm = await formFor(number);
    const before = (await readTicketProperties(t.db, number))!.version;
    await addCustomerReply(
      t.db,
      customer.viewer,
      { number, message: "Still broken" },
      [],
    );
    const reopened = await readTicketProperties(t.db, number);
    expect(reopened!.status).toBe("open");
    expect(reopened!.version).toBeGreaterThan(before);
    const r = await updateTicket(
      t.db,
      kim.viewer,
      kimForm({ status: "closed" }),
    );
    expect(!r.ok && r.error.code).toBe("conflict");
    expect(!r.ok && r.error.fields?.status?.[0]).toMatch(
      /changed this to Open/,
    );
    expect((await readTicketProperties(t.db, number))!.status).toBe("open");
  });

  it("a colleague taking the ticket first refuses 'Assign to me'", async () => {
    const { sam, kim, number } = await setup();
    const kimForm = await formFor(number);
    const samForm = await formFor(number);
    await updateTicket(t.db, sam.viewer, samForm({ assigneeId: sam.id }));
    const seen = kimForm({});
    const r = await updateTicket(t.db, kim.viewer, {
      number,
      seen: seen.seen,
      assigneeId: kim.id,
    });
    expect(!r.ok && r.error.fields?.assigneeId?.[0]).toMatch(
      /^Sam Lee changed this to “Sam Lee”/,
    );
    expect((await readTicketProperties(t.db, number))!.assigneeId).toBe(sam.id);
  });

  it("clears the help topic when the agent chooses None", async () => {
    const { sam, number } = await setup();
    const form = await formFor(number);
    const r = await updateTicket(t.db, sam.viewer, form({ helpTopicId: "" }));
    expect(r.ok && r.value.helpTopicId).toBeNull();
  });
});

describe("bulk changes from the queue", () => {
  it("refuses the whole batch, naming the ticket, when a selected one was taken meanwhile", async () => {
    const a = await setup();
    const b = await setup();
    const ids = await Promise.all(
      [a.number, b.number].map(
        async (n) =>
          (
            await t.db.select().from(s.tickets).where(eq(s.tickets.number, n))
          )[0]!,
      ),
    );
    const seen = Object.fromEntries(
      ids.map((row) => [row.id, { assigneeId: null, status: row.status }]),
    );
    // Sam takes b while Kim is choosing in the queue.
    await updateTicket(t.db, a.sam.viewer, {
      number: b.number,
      assigneeId: a.sam.id,
    });
    const refused = await bulkUpdateTickets(t.db, a.kim.viewer, {
      ids: ids.map((r) => r.id),
      assigneeId: a.kim.id,
      seen,
    });
    expect(!refused.ok && refused.error.code).toBe("conflict");
    expect(!refused.ok && refused.error.message).toContain(`#${b.number}`);
    expect(!refused.ok && refused.error.message).not.toContain(`#${a.number}`);
    expect((await readTicketProperties(t.db, a.number))!.assigneeId).toBeNull();
    expect((await readTicketProperties(t.db, b.number))!.assigneeId).toBe(
      a.sam.id,
    );

    // A status change does not touch what Sam changed, so it goes through for both.
    const statusOnly = await bulkUpdateTickets(t.db, a.kim.viewer, {
      ids: ids.map((r) => r.id),
      status: "pending",
      seen,
    });
    expect(statusOnly.ok && statusOnly.value.updated).toBe(2);
    expect((await readTicketProperties(t.db, b.number))!).toMatchObject({
      assigneeId: a.sam.id,
      status: "pending",
    });
  });
});
