import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getOrderForCustomer,
  listOrdersForCustomer,
} from "@/lib/orders/queries";
import { buildOrder, buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { storeAttachments } from "@/lib/tickets/attachments";
import {
  getAttachmentForCustomer,
  getTicketForCustomer,
  listTicketsForCustomer,
} from "@/lib/tickets/customer-queries";

// A customer only ever reaches their own records, whatever id or number they ask for.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe("customer data access", () => {
  it("shows a customer their ticket thread without internal notes", async () => {
    const ann = await buildUser(t.db);
    const agent = await buildUser(t.db, { role: "agent", name: "Agent Smith" });
    const ticket = await buildTicket(t.db, {
      customer: ann,
      messages: [
        { kind: "customer", text: "My site is down." },
        {
          kind: "note",
          text: "Customer is on the old cluster.",
          author: agent,
        },
        { kind: "reply", text: "We're on it.", author: agent },
      ],
    });
    const seen = await getTicketForCustomer(t.db, ann.viewer, ticket.number);
    expect(seen?.messages.map((m) => m.bodyText)).toEqual([
      "My site is down.",
      "We're on it.",
    ]);
  });

  it("answers another customer's ticket number exactly like a missing one", async () => {
    const ann = await buildUser(t.db);
    const ben = await buildUser(t.db);
    const annsTicket = await buildTicket(t.db, { customer: ann });
    expect(
      await getTicketForCustomer(t.db, ben.viewer, annsTicket.number),
    ).toBeNull();
    expect(await getTicketForCustomer(t.db, ben.viewer, "000000")).toBeNull();
    expect(
      await getTicketForCustomer(t.db, ben.viewer, "'; drop table tickets; --"),
    ).toBeNull();
    expect(
      (await listTicketsForCustomer(t.db, ben.viewer)).rows.map((x) => x.id),
    ).not.toContain(annsTicket.id);
  });

  it("serves attachments only to the ticket's customer, and never those of internal notes", async () => {
    const ann = await buildUser(t.db);
    const ben = await buildUser(t.db);
    const agent = await buildUser(t.db, { role: "agent" });
    const ticket = await buildTicket(t.db, {
      customer: ann,
      messages: [
        { kind: "customer", text: "See the log." },
        { kind: "note", text: "Internal screenshot attached.", author: agent },
      ],
    });
    const [customerMsg, noteMsg] = await t.db.query.ticketMessages.findMany({
      where: (m, { eq }) => eq(m.ticketId, ticket.id),
      orderBy: (m, { asc }) => [asc(m.kind)],
    });
    await storeAttachments(t.db, ticket.id, customerMsg!.id, [
      {
        name: "log.txt",
        type: "text/plain",
        data: new TextEncoder().encode("log"),
      },
    ]);
    await storeAttachments(t.db, ticket.id, noteMsg!.id, [
      { name: "internal.png", type: "image/png", data: new Uint8Array([1]) },
    ]);
    const files = await t.db.query.attachments.findMany({
      where: (a, { eq }) => eq(a.ticketId, ticket.id),
    });
    const log = files.find((f) => f.filename === "log.txt")!;
    const internal = files.find((f) => f.filename === "internal.png")!;

    expect(
      (await getAttachmentForCustomer(t.db, ann.viewer, ticket.number, log.id))
        ?.filename,
    ).toBe("log.txt");
    expect(
      await getAttachmentForCustomer(t.db, ben.viewer, ticket.number, log.id),
    ).toBeNull();
    expect(
      await getAttachmentForCustomer(
        t.db,
        ann.viewer,
        ticket.number,
        internal.id,
      ),
    ).toBeNull();
    expect(
      (
        await getTicketForCustomer(t.db, ann.viewer, ticket.number)
      )?.attachments.map((a) => a.filename),
    ).toEqual(["log.txt"]);
  });

  it("lists only the customer's own orders, and hides anyone else's by id", async () => {
    const ann = await buildUser(t.db);
    const ben = await buildUser(t.db);
    const annsOrder = await buildOrder(t.db, { customer: ann });
    const bensOrder = await buildOrder(t.db, { customer: ben });
    expect(
      (await listOrdersForCustomer(t.db, ann.viewer)).map((o) => o.id),
    ).toEqual([annsOrder.id]);
    expect(
      await getOrderForCustomer(t.db, ann.viewer, bensOrder.id),
    ).toBeNull();
    expect(
      await getOrderForCustomer(t.db, ann.viewer, "not-a-uuid"),
    ).toBeNull();
    expect(
      (await getOrderForCustomer(t.db, ann.viewer, annsOrder.id))?.number,
    ).toBe(annsOrder.number);
  });
});
