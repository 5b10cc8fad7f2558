import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { addCustomerReply } from "@/lib/tickets/reply";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput } from "@/lib/tickets/schemas";

let t: TestDb;
let agent: Viewer;
const stamp = Date.now();
const zoeEmail = `zoe.fischer.${stamp}@example.com`;
let open: { id: string; number: string };
let closed: { id: string; number: string };
let other: { id: string; number: string };

beforeAll(async () => {
  t = await createTestDb();
  agent = (await buildUser(t.db, { role: "agent", name: "Sam" })).viewer;
  const zoe = await buildUser(t.db, {
    name: `Zoë Fischer-${stamp} 🌻`,
    email: zoeEmail,
  });
  const bob = await buildUser(t.db, {
    name: "Bob 100% Keller",
    email: `bob.${stamp}@example.org`,
  });
  open = await buildTicket(t.db, { customer: zoe });
  closed = await buildTicket(t.db, {
    customer: zoe,
    status: "closed",
  });
  other = await buildTicket(t.db, { customer: bob });
  await addCustomerReply(
    t.db,
    bob.viewer,
    { number: other.number, message: "The xylophonequota warning is back." },
    [],
  );
});
afterAll(() => t.close());

const search = (q: string, view = "open") =>
  listQueue(t.db, agent, queueFiltersInput.parse({ view, q }), new Date());

describe("the queue's search", () => {
  it("finds words the parser splits in two, and quoted phrases, by all their words", async () => {
    const mia = await buildUser(t.db, { name: "Mia Keller" });
    const ticket = await buildTicket(t.db, {
      customer: mia,
      messages: [
        {
          kind: "customer",
          text: `Error 608e8c9f on the e-mail relay ${stamp} again.`,
        },
      ],
    });
    for (const q of ["608e8c9f", "e-mail", `"relay ${stamp}"`, `"the relay"`]) {
      const page = await search(q);
      expect(
        page.rows.map((r) => r.number),
        q,
      ).toContain(ticket.number);
    }
    // Still a search: words that are not there find nothing.
    expect((await search(`"relay 608e8c9g"`)).rows).toEqual([]);
  });

  it("finds a customer's tickets by email, part of it, or name, in any letter case", async () => {
    for (const q of [
      zoeEmail,
      zoeEmail.toUpperCase(),
      `fischer.${stamp}@exa`,
      `FISCHER-${stamp}`,
    ]) {
      const page = await search(q);
      expect(page.rows.map((r) => r.number)).toEqual([open.number]);
    }
  });

  it("counts its matches per view, so a search in one view shows where else it found tickets", async () => {
    const page = await search(zoeEmail, "pending");
    expect(page.rows).toEqual([]);
    expect(page.counts).toMatchObject({
      open: 1,
      closed: 1,
      all: 2,
      pending: 0,
    });
    const inClosed = await search(zoeEmail, "closed");
    expect(inClosed.rows.map((r) => r.number)).toEqual([closed.number]);
  });

  it("still finds by number and message words, and treats % and _ as plain characters", async () => {
    expect(
      (await search(other.number, "all")).rows.map((r) => r.number),
    ).toEqual([other.number]);
    expect(
      (await search("xylophonequota", "all")).rows.map((r) => r.number),
    ).toEqual([other.number]);
    expect((await search("100%", "all")).rows.map((r) => r.number)).toEqual([
      other.number,
    ]);
    // Only Bob's name holds a "%": as a LIKE wildcard it would have matched everyone.
    const percent = await search("%", "all");
    expect(percent.counts.all).toBe(1);
    const underscore = await search("_", "all");
    expect(underscore.counts.all).toBe(0);
  });
});
