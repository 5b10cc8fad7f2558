import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { receiveMail } from "@/testing/inbound-mail";
import {
  addParticipant,
  listParticipants,
  removeParticipant,
} from "@/lib/tickets/participants";
import { addAgentReply } from "@/lib/tickets/reply";
import { getTicketForStaff } from "@/lib/tickets/workspace-queries";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

async function setup() {
  const customer = await buildUser(t.db, { name: "Cleo Customer" });
  const agent = await buildUser(t.db, { role: "agent", name: "Sam Lee" });
  const ticket = await buildTicket(t.db, { customer });
  return { customer, agent, ticket };
}

const mailsTo = (ticketId: string, to: string) =>
  t.db
    .select()
    .from(s.outboundMail)
    .where(
      and(
        eq(s.outboundMail.ticketId, ticketId),
        eq(s.outboundMail.toAddress, to),
      ),
    );

describe("CC on a ticket", () => {
  it("copies an address on the agents' replies, takes its answer by mail, and stops when removed", async () => {
    const { customer, agent, ticket } = await setup();
    const cc = `boss-${Date.now()}@example.com`;
    const added = await addParticipant(t.db, agent.viewer, {
      number: ticket.number,
      email: cc,
    });
    expect(added.ok).toBe(true);
    expect(await listParticipants(t.db, ticket.id)).toEqual([
      { email: cc, name: null },
    ]);

    await addAgentReply(
      t.db,
      agent.viewer,
      {
        number: ticket.number,
        message: "Restarted the server.",
        status: "pending",
      },
      [],
    );
    expect(
      (await mailsTo(ticket.id, customer.email)).map((m) => m.kind),
    ).toEqual(["agent_reply"]);
    const [copy] = await mailsTo(ticket.id, cc);
    expect(copy).toMatchObject({ kind: "agent_reply_cc" });
    expect(copy!.bodyText).toContain("You are copied on ticket");
    expect(copy!.bodyText).toContain("Restarted the server.");

    // The copied address answers the mail it got.
    const outcome = await receiveMail(
      t.db,
      [
        `From: The Boss <${cc}>`,
        "To: support@portico.test",
        `Subject: Re: ${copy!.subject}`,
        `Message-ID: <cc-answer-${Date.now()}@example.com>`,
        `In-Reply-To: ${copy!.messageId}`,
        `References: ${copy!.messageId}`,
      ],
      "Thanks, confirmed working on our side.",
    );
    expect(outcome.kind).toBe("replied");
    const view = await getTicketForStaff(t.db, ticket.number);
    const last = view!.thread.filter((i) => i.type === "message").at(-1);
    expect(last?.type === "message" && last.message).toMatchObject({
      kind: "customer",
      authorEmail: cc,
      bodyText: "Thanks, confirmed working on our side.",
    });

    const removed = await removeParticipant(t.db, agent.viewer, {
      number: ticket.number,
      email: cc.toUpperCase(),
    });
    expect(removed.ok).toBe(true);
    await addAgentReply(
      t.db,
      agent.viewer,
      { number: ticket.number, message: "Closing now.", status: "resolved" },
      [],
    );
    expect(await mailsTo(ticket.id, cc)).toHaveLength(1);
    expect(
      view!.thread.some(
        (i) => i.type === "event" && i.event.action === "ticket.cc_added",
      ),
    ).toBe(true);
  });

  it("refuses the customer's own address, a colleague's, a banned one and a duplicate, by field", async () => {
    const { customer, agent, ticket } = await setup();
    const colleague = await buildUser(t.db, { role: "agent", name: "Kim" });
    const banned = `spam-${Date.now()}@example.com`;
    await t.db.insert(s.bannedEmails).values({ email: banned });
    const known = await buildUser(t.db, { name: "Known Customer" });
    const ok = await addParticipant(t.db, agent.viewer, {
      number: ticket.number,
      email: known.email,
    });
    expect(ok.ok && ok.value.name).toBe("Known Customer");
    for (const [email, message] of [
      [customer.email.toUpperCase(), /customer's own address/],
      [colleague.email, /staff member/],
      [banned.toUpperCase(), /ban list/],
      [known.email.toUpperCase(), /already copied/],
    ] as const) {
      const r = await addParticipant(t.db, agent.viewer, {
        number: ticket.number,
        email,
      });
      expect(!r.ok && r.error.fields?.email?.[0]).toMatch(message);
    }
    expect(await listParticipants(t.db, ticket.id)).toHaveLength(1);
    const missing = await removeParticipant(t.db, agent.viewer, {
      number: ticket.number,
      email: "nobody@example.com",
    });
    expect(!missing.ok && missing.error.code).toBe("not_found");
  });
});
