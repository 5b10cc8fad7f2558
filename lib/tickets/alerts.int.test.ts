import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { receiveMail } from "@/testing/inbound-mail";
import {
  alertSettingsFor,
  saveAlertSettings,
} from "@/lib/tickets/alert-settings";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { addCustomerReply } from "@/lib/tickets/reply";
import { updateTicket } from "@/lib/tickets/update-ticket";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

/** A department of its own per test, with Sam, Kim, a deactivated Dee and an outsider. */
async function setup() {
  const department = await buildDepartment(t.db, {
    name: `Hosting ${Math.random()}`,
  });
  const [topic] = await t.db
    .insert(s.helpTopics)
    .values({ name: `Topic ${Math.random()}`, departmentId: department.id })
    .returning();
  const sam = await buildUser(t.db, { role: "agent", name: "Sam Lee" });
  const kim = await buildUser(t.db, { role: "agent", name: "Kim Park" });
  const dee = await buildUser(t.db, { role: "agent", name: "Dee Gone" });
  const outsider = await buildUser(t.db, { role: "agent", name: "Otto Other" });
  await t.db
    .update(s.users)
    .set({ deactivatedAt: new Date() })
    .where(eq(s.users.id, dee.id));
  await t.db.insert(s.departmentMembers).values(
    [sam, kim, dee].map((u) => ({
      departmentId: department.id,
      userId: u.id,
    })),
  );
  const customer = await buildUser(t.db, { name: "Cora Customer" });
  const r = await openTicketForCustomer(
    t.db,
    customer.viewer,
    { helpTopicId: topic!.id, subject: "Alerts", message: "First" },
    [],
  );
  if (!r.ok) throw new Error(r.error.message);
  return { sam, kim, dee, outsider, customer, ticket: r.value };
}

const mails = (ticketId: string, kind: string) =>
  t.db
    .select()
    .from(s.outboundMail)
    .where(
      and(eq(s.outboundMail.ticketId, ticketId), eq(s.outboundMail.kind, kind)),
    );
const recipients = async (ticketId: string, kind: string) =>
  (await mails(ticketId, kind)).map((m) => m.toAddress).sort();

describe("alerts on a customer's follow-up", () => {
  it("alerts the department's active agents when nobody owns the ticket, except those who turned it off", async () => {
    const { sam, kim, customer, ticket } = await setup();
    await saveAlertSettings(t.db, kim.id, ["new_ticket", "my_ticket_reply"]);
    await addCustomerReply(
      t.db,
      customer.viewer,
      { number: ticket.number, message: "Any news?" },
      [],
    );
    expect(await recipients(ticket.id, "customer_reply_alert")).toEqual([
      sam.email,
    ]);
    const [alert] = await mails(ticket.id, "customer_reply_alert");
    expect(alert!.bodyText).toContain("which nobody is assigned to yet");
    expect(alert!.bodyText).toContain("Any news?");
  });

  it("alerts only the assignee once someone owns it, and nobody if they opted out", async () => {
    const { sam, customer, ticket } = await setup();
    await updateTicket(t.db, sam.viewer, {
      number: ticket.number,
      assigneeId: sam.id,
    });
    await addCustomerReply(
      t.db,
      customer.viewer,
      { number: ticket.number, message: "Second" },
      [],
    );
    expect(await recipients(ticket.id, "customer_reply_alert")).toEqual([
      sam.email,
    ]);
    const [alert] = await mails(ticket.id, "customer_reply_alert");
    expect(alert!.bodyText).toContain("which is assigned to you");

    await saveAlertSettings(t.db, sam.id, ["new_ticket", "unassigned_reply"]);
    await addCustomerReply(
      t.db,
      customer.viewer,
      { number: ticket.number, message: "Third" },
      [],
    );
    expect(await recipients(ticket.id, "customer_reply_alert")).toEqual([
      sam.email,
    ]);
  });

  it("alerts the department when the assignee has left", async () => {
    const { sam, kim, dee, customer, ticket } = await setup();
    await t.db
      .update(s.tickets)
      .set({ assigneeId: dee.id })
      .where(eq(s.tickets.id, ticket.id));
    await addCustomerReply(
      t.db,
      customer.viewer,
      { number: ticket.number, message: "Hello?" },
      [],
    );
    expect(await recipients(ticket.id, "customer_reply_alert")).toEqual(
      [kim.email, sam.email].sort(),
    );
  });

  it("alerts the department for a follow-up by mail too", async () => {
    const { sam, kim, customer, ticket } = await setup();
    const outcome = await receiveMail(
      t.db,
      [
        `From: Cora Customer <${customer.email}>`,
        "To: support@portico.test",
        `Subject: Re: [#${ticket.number}] Alerts`,
        `Message-ID: <follow-up-${ticket.number}@example.com>`,
      ],
      "Sent from my phone: still broken.",
    );
    expect(outcome.kind).toBe("replied");
    expect(await recipients(ticket.id, "customer_reply_alert")).toEqual(
      [kim.email, sam.email].sort(),
    );
  });

  it("new-ticket alerts skip agents who turned them off", async () => {
    const { sam, kim, ticket } = await setup();
    expect(await recipients(ticket.id, "new_ticket_alert")).toEqual(
      [kim.email, sam.email].sort(),
    );
    await saveAlertSettings(t.db, sam.id, []);
    expect(await alertSettingsFor(t.db, sam.id)).toEqual({
      new_ticket: false,
      unassigned_reply: false,
      my_ticket_reply: false,
    });
    const [membership] = await t.db
      .select()
      .from(s.departmentMembers)
      .where(eq(s.departmentMembers.userId, sam.id));
    const [topic] = await t.db
      .select()
      .from(s.helpTopics)
      .where(eq(s.helpTopics.departmentId, membership!.departmentId));
    const customer = await buildUser(t.db, { name: "Next Customer" });
    const second = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: topic!.id, subject: "Another", message: "Hi" },
      [],
    );
    if (!second.ok) throw new Error(second.error.message);
    expect(await recipients(second.value.id, "new_ticket_alert")).toEqual([
      kim.email,
    ]);
    await saveAlertSettings(t.db, sam.id, ["new_ticket"]);
    expect((await alertSettingsFor(t.db, sam.id)).new_ticket).toBe(true);
  });
});
