import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildDepartment, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { draftsFor, saveDraft, WRITING_WINDOW_MS } from "@/lib/tickets/drafts";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { touchTicketViewer } from "@/lib/tickets/presence";
import { addAgentReply, addInternalNote } from "@/lib/tickets/reply";

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

async function setup() {
  const customer = await buildUser(t.db, { name: "Cleo Customer" });
  const sam = await buildUser(t.db, { role: "agent", name: "Sam Lee" });
  const kim = await buildUser(t.db, { role: "agent", name: "Kim Park" });
  const open = async (subject: string) => {
    const r = await openTicketForCustomer(
      t.db,
      customer.viewer,
      { helpTopicId: topicId, subject, message: "Hello" },
      [],
    );
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  return { sam, kim, ticket: await open("Drafts"), other: await open("Other") };
}

describe("drafts", () => {
  it("keeps each agent's reply and note per ticket, overwrites on save and removes an emptied one", async () => {
    const { sam, kim, ticket, other } = await setup();
    const now = new Date();
    await saveDraft(
      t.db,
      {
        ticketId: ticket.id,
        userId: sam.id,
        kind: "reply",
        body: "Dear Cleo,",
      },
      now,
    );
    await saveDraft(
      t.db,
      {
        ticketId: ticket.id,
        userId: sam.id,
        kind: "reply",
        body: "Dear Cleo, try again",
      },
      now,
    );
    await saveDraft(
      t.db,
      {
        ticketId: ticket.id,
        userId: sam.id,
        kind: "note",
        body: "Check the logs",
      },
      now,
    );
    await saveDraft(
      t.db,
      {
        ticketId: ticket.id,
        userId: kim.id,
        kind: "reply",
        body: "Kim's words",
      },
      now,
    );
    await saveDraft(
      t.db,
      { ticketId: other.id, userId: sam.id, kind: "reply", body: "Elsewhere" },
      now,
    );

    expect(await draftsFor(t.db, ticket.id, sam.id)).toEqual({
      reply: "Dear Cleo, try again",
      note: "Check the logs",
    });
    expect(await draftsFor(t.db, ticket.id, kim.id)).toEqual({
      reply: "Kim's words",
    });
    expect(await draftsFor(t.db, other.id, sam.id)).toEqual({
      reply: "Elsewhere",
    });

    expect(
      await saveDraft(
        t.db,
        { ticketId: ticket.id, userId: sam.id, kind: "note", body: "  \n" },
        now,
      ),
    ).toBe("removed");
    expect(await draftsFor(t.db, ticket.id, sam.id)).toEqual({
      reply: "Dear Cleo, try again",
    });
  });

  it("is discarded when its message is sent, and only that box's", async () => {
    const { sam, kim, ticket } = await setup();
    const now = new Date();
    for (const kind of ["reply", "note"] as const)
      await saveDraft(
        t.db,
        { ticketId: ticket.id, userId: sam.id, kind, body: `${kind} text` },
        now,
      );
    await saveDraft(
      t.db,
      { ticketId: ticket.id, userId: kim.id, kind: "reply", body: "Kim's" },
      now,
    );

    await addInternalNote(
      t.db,
      sam.viewer,
      { number: ticket.number, message: "note text" },
      [],
    );
    expect(await draftsFor(t.db, ticket.id, sam.id)).toEqual({
      reply: "reply text",
    });
    await addAgentReply(
      t.db,
      sam.viewer,
      { number: ticket.number, message: "reply text", status: "pending" },
      [],
    );
    expect(await draftsFor(t.db, ticket.id, sam.id)).toEqual({});
    // A colleague's draft on the same ticket is theirs to send or discard.
    expect(await draftsFor(t.db, ticket.id, kim.id)).toEqual({
      reply: "Kim's",
    });
  });

  it("tells a colleague who is writing what, while the draft is fresh and its writer is there", async () => {
    const { sam, kim, ticket } = await setup();
    const now = new Date("2026-06-01T10:00:00Z");
    await touchTicketViewer(t.db, ticket.id, sam.id, now);
    await saveDraft(
      t.db,
      { ticketId: ticket.id, userId: sam.id, kind: "note", body: "Hm" },
      now,
    );
    expect(await touchTicketViewer(t.db, ticket.id, kim.id, now)).toEqual([
      { id: sam.id, name: "Sam Lee", writing: "note" },
    ]);
    await saveDraft(
      t.db,
      { ticketId: ticket.id, userId: sam.id, kind: "reply", body: "Hello" },
      now,
    );
    expect(
      (await touchTicketViewer(t.db, ticket.id, kim.id, now))[0]!.writing,
    ).toBe("reply");
    // Sam sees Kim viewing, not writing; nobody is told about their own draft.
    expect(await touchTicketViewer(t.db, ticket.id, sam.id, now)).toEqual([
      { id: kim.id, name: "Kim Park", writing: null },
    ]);
    // A draft left alone longer than the window is not "writing" any more.
    const later = new Date(now.getTime() + WRITING_WINDOW_MS + 1000);
    await touchTicketViewer(t.db, ticket.id, sam.id, later);
    expect(
      (await touchTicketViewer(t.db, ticket.id, kim.id, later))[0]!.writing,
    ).toBeNull();
  });
});
