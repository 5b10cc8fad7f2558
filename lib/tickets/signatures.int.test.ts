import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { addAgentReply } from "@/lib/tickets/reply";
import { agentReplyInput } from "@/lib/tickets/schemas";
import { saveAgentSignature, signatureOptions } from "@/lib/tickets/signatures";

let t: TestDb;
let department: s.Department;
beforeAll(async () => {
  t = await createTestDb();
  department = await buildDepartment(t.db, {
    name: "Hosting Support",
    signature: "{{agent.name}}\n{{department.name}} · +44 20 7946 0000",
  });
});
afterAll(() => t.close());

const vars = (agent: { name: string }) => ({
  customer: { name: "Cora", email: "cora@example.test" },
  ticket: { number: "100200", subject: "Site down" },
  agent: { name: agent.name },
});

describe("reply signatures", () => {
  it("offers the department's signature, filled in, to an agent without one", async () => {
    const agent = await buildUser(t.db, { role: "agent", name: "Kim Osei" });
    expect(
      await signatureOptions(t.db, agent.viewer, department.id, vars(agent)),
    ).toEqual({
      mine: null,
      department: "Kim Osei\nHosting Support · +44 20 7946 0000",
      chosen: "department",
    });
  });

  it("prefers the agent's own once saved, and falls back when it is cleared", async () => {
    const agent = await buildUser(t.db, { role: "agent", name: "Sam Rivera" });
    expect(
      (
        await saveAgentSignature(
          t.db,
          agent.viewer,
          "  Sam — {{department.name}}  ",
        )
      ).ok,
    ).toBe(true);
    const options = await signatureOptions(
      t.db,
      agent.viewer,
      department.id,
      vars(agent),
    );
    expect(options.mine).toBe("Sam — Hosting Support");
    expect(options.chosen).toBe("mine");

    await saveAgentSignature(t.db, agent.viewer, "   ");
    const [row] = await t.db
      .select({ signature: s.users.signature })
      .from(s.users)
      .where(eq(s.users.id, agent.id));
    expect(row?.signature).toBeNull();
    expect(
      (await signatureOptions(t.db, agent.viewer, department.id, vars(agent)))
        .chosen,
    ).toBe("department");
  });

  it("refuses a signature for a customer", async () => {
    const customer = await buildUser(t.db);
    const r = await saveAgentSignature(t.db, customer.viewer, "Me");
    expect(r.ok).toBe(false);
  });

  it("sends the reply with the signature as edited, in the thread and in the mail", async () => {
    const customer = await buildUser(t.db, { name: "Cora Customer" });
    const agent = await buildUser(t.db, { role: "agent", name: "Ada Agent" });
    const ticket = await buildTicket(t.db, { customer, department });
    const input = agentReplyInput.parse({
      number: ticket.number,
      message: "The site is back.  ",
      signature: "Ada\nHosting Support (on call)",
    });
    const sent = await addAgentReply(t.db, agent.viewer, input, []);
    expect(sent.ok).toBe(true);
    const [reply] = await t.db
      .select({ body: s.ticketMessages.bodyText })
      .from(s.ticketMessages)
      .where(
        and(
          eq(s.ticketMessages.ticketId, ticket.id),
          eq(s.ticketMessages.kind, "reply"),
        ),
      );
    expect(reply?.body).toBe(
      "The site is back.\n\nAda\nHosting Support (on call)",
    );
    const [mail] = await t.db
      .select({ text: s.outboundMail.bodyText })
      .from(s.outboundMail)
      .where(
        and(
          eq(s.outboundMail.ticketId, ticket.id),
          eq(s.outboundMail.toAddress, customer.email),
        ),
      );
    expect(mail?.text).toContain(
      "The site is back.\n\nAda\nHosting Support (on call)",
    );
  });

  it("sends no signature when the agent chose none, and refuses one that is too long", async () => {
    const customer = await buildUser(t.db);
    const agent = await buildUser(t.db, { role: "agent" });
    const ticket = await buildTicket(t.db, { customer, department });
    const plain = agentReplyInput.parse({
      number: ticket.number,
      message: "Done.",
    });
    await addAgentReply(t.db, agent.viewer, plain, []);
    const [reply] = await t.db
      .select({ body: s.ticketMessages.bodyText })
      .from(s.ticketMessages)
      .where(
        and(
          eq(s.ticketMessages.ticketId, ticket.id),
          eq(s.ticketMessages.kind, "reply"),
        ),
      );
    expect(reply?.body).toBe("Done.");

    const long = agentReplyInput.safeParse({
      number: ticket.number,
      message: "Done.",
      signature: "x".repeat(2001),
    });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.path).toEqual(["signature"]);
  });
});
