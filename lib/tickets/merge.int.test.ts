import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { receiveMail } from "@/testing/inbound-mail";
import { mergeTickets, mergedIntoNumber } from "@/lib/tickets/merge";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { listQueue } from "@/lib/tickets/queue-queries";
import { addAgentReply, addCustomerReply } from "@/lib/tickets/reply";
import { queueFiltersInput } from "@/lib/tickets/schemas";
import { getTicketForStaff } from "@/lib/tickets/workspace-queries";

let t: TestDb;
let topicId: number;
beforeAll(async () => {
  t = await createTestDb();
  const department = await buildDepartment(t.db, { name: "Support" });
  const [topic] = await t.db
    .insert(s.helpTopics)
    .values({ name: "General", departmentId: department.id })
    .returning();
  topicId = topic!.id;
});
afterAll(() => t.close());

async function open(
  customer: Awaited<ReturnType<typeof buildUser>>,
  subject: string,
  message: string,
) {
  const r = await openTicketForCustomer(
    t.db,
    customer.viewer,
    { helpTopicId: topicId, subject, message },
    [],
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const ticketByNumber = async (number: string) =>
  (await t.db.select().from(s.tickets).where(eq(s.tickets.number, number)))[0]!;

describe("merging two tickets of one customer", () => {
  it("moves messages, files and CC addresses, closes the merged one with a link, and mail to it lands on the target", async () => {
    const customer = await buildUser(t.db, {
      name: "Mona Merge",
      email: `mona-${Date.now()}@example.com`,
    });
    const agent = await buildUser(t.db, { role: "agent", name: "Sam Lee" });
    const target = await open(
      customer,
      "Mailbox full",
      "My mailbox says it is full.",
    );
    const source = await open(
      customer,
      "Cannot send mail",
      "Sending fails with 552 zanzibarquota.",
    );
    await t.db.insert(s.ticketParticipants).values({
      ticketId: source.id,
      email: "colleague@example.com",
    });
    await addAgentReply(
      t.db,
      agent.viewer,
      {
        number: source.number,
        message: "Looking into the quota.",
        status: "pending",
      },
      [],
    );
    const [replyMail] = await t.db
      .select()
      .from(s.outboundMail)
      .where(eq(s.outboundMail.ticketId, source.id))
      .orderBy(s.outboundMail.createdAt);

    const merged = await mergeTickets(t.db, agent.viewer, {
      source: source.number,
      target: target.number,
    });
    expect(merged.ok && merged.value.moved).toBe(2);

    const closed = await ticketByNumber(source.number);
    expect(closed).toMatchObject({
      status: "closed",
      mergedIntoId: target.id,
      dueAt: null,
    });
    expect(await mergedIntoNumber(t.db, closed)).toBe(target.number);
    const view = await getTicketForStaff(t.db, target.number);
    const texts = view!.thread.flatMap((i) =>
      i.type === "message" ? [i.message.bodyText] : [],
    );
    expect(texts).toEqual(
      expect.arrayContaining([
        "My mailbox says it is full.",
        "Sending fails with 552 zanzibarquota.",
        "Looking into the quota.",
      ]),
    );
    expect(
      view!.thread.some(
        (i) => i.type === "event" && i.event.action === "ticket.merged_from",
      ),
    ).toBe(true);
    const participants = await t.db
      .select()
      .from(s.ticketParticipants)
      .where(eq(s.ticketParticipants.ticketId, target.id));
    expect(participants.map((p) => p.email)).toEqual(["colleague@example.com"]);

    // The target is found by the merged ticket's words; the merged one no longer counts as open.
    const found = await listQueue(
      t.db,
      agent.viewer,
      queueFiltersInput.parse({ view: "open", q: "zanzibarquota" }),
      new Date(),
    );
    expect(found.rows.map((r) => r.number)).toEqual([target.number]);

    // The customer answers the agent's mail sent from the merged ticket: it lands on the target.
    const outcome = await receiveMail(
      t.db,
      [
        `From: Mona Merge <${customer.email}>`,
        "To: support@portico.test",
        `Subject: Re: [#${source.number}] Cannot send mail`,
        "Message-ID: <answer-after-merge@example.com>",
        `In-Reply-To: ${replyMail!.messageId}`,
        `References: ${replyMail!.messageId}`,
      ],
      "Still failing after your change.",
    );
    expect(outcome.kind).toBe("replied");
    expect(outcome.kind === "replied" && outcome.ticket.number).toBe(
      target.number,
    );
    expect((await ticketByNumber(source.number)).status).toBe("closed");

    // A new mail that only quotes the merged ticket's number in its subject lands there too.
    const bySubject = await receiveMail(
      t.db,
      [
        `From: Mona Merge <${customer.email}>`,
        "To: support@portico.test",
        `Subject: About [#${source.number}] again`,
        "Message-ID: <subject-only-after-merge@example.com>",
      ],
      "And one more detail.",
    );
    expect(bySubject.kind === "replied" && bySubject.ticket.number).toBe(
      target.number,
    );

    // The portal refuses a reply on the merged ticket and names the target.
    const refused = await addCustomerReply(
      t.db,
      customer.viewer,
      { number: source.number, message: "Hello?" },
      [],
    );
    expect(!refused.ok && refused.error.message).toContain(`#${target.number}`);
  });

  it("refuses tickets of different customers, itself, and a merged ticket", async () => {
    const agent = await buildUser(t.db, { role: "agent", name: "Kim Park" });
    const a = await buildUser(t.db, { name: "A" });
    const b = await buildUser(t.db, { name: "B" });
    const a1 = await open(a, "One", "First");
    const a2 = await open(a, "Two", "Second");
    const b1 = await open(b, "Other", "Third");
    const cases = [
      [{ source: a1.number, target: b1.number }, /same customer/],
      [{ source: a1.number, target: a1.number }, /into itself/],
      [{ source: a1.number, target: "000000" }, /no ticket #000000/],
    ] as const;
    for (const [input, message] of cases) {
      const r = await mergeTickets(t.db, agent.viewer, input);
      expect(!r.ok && r.error.fields?.target?.[0]).toMatch(message);
    }
    expect(
      (
        await mergeTickets(t.db, agent.viewer, {
          source: a1.number,
          target: a2.number,
        })
      ).ok,
    ).toBe(true);
    const again = await mergeTickets(t.db, agent.viewer, {
      source: a2.number,
      target: a1.number,
    });
    expect(!again.ok && again.error.fields?.target?.[0]).toMatch(
      /itself merged/,
    );
    expect((await ticketByNumber(b1.number)).mergedIntoId).toBeNull();
  });
});
