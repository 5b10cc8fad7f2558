import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput, ticketTagInput } from "@/lib/tickets/schemas";
import {
  addTag,
  removeTag,
  tagsInUse,
  tagsOf,
  TAGS_PER_TICKET,
} from "@/lib/tickets/tags";

let t: TestDb;
let agent: Awaited<ReturnType<typeof buildUser>>;
let customer: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  agent = await buildUser(t.db, { role: "agent", name: "Kim Osei" });
  customer = await buildUser(t.db, { name: "Cora Customer" });
});
afterAll(() => t.close());

const tag = (number: string, raw: string) =>
  ticketTagInput.parse({ number, tag: raw });

const queueWith = async (filters: Record<string, string>) =>
  listQueue(
    t.db,
    agent.viewer,
    queueFiltersInput.parse({ view: "all", ...filters }),
    new Date(),
  );

describe("ticket tags", () => {
  it("adds a tag however it is typed, once, and says so in the thread", async () => {
    const ticket = await buildTicket(t.db, { customer });
    const first = await addTag(
      t.db,
      agent.viewer,
      tag(ticket.number, "  VIP   Customer "),
    );
    expect(first.ok && first.value).toEqual({
      tag: "vip customer",
      added: true,
    });
    const again = await addTag(
      t.db,
      agent.viewer,
      tag(ticket.number, "vip customer"),
    );
    expect(again.ok && again.value.added).toBe(false);
    expect(await tagsOf(t.db, ticket.id)).toEqual(["vip customer"]);
    const events = await t.db
      .select({ data: s.auditLog.data })
      .from(s.auditLog)
      .where(
        and(
          eq(s.auditLog.ticketId, ticket.id),
          eq(s.auditLog.action, "ticket.tag_added"),
        ),
      );
    expect(events).toEqual([{ data: { tag: "vip customer" } }]);
  });

  it("refuses commas, empty and over-long tags on the tag field", () => {
    for (const raw of ["a, b", "   ", "x".repeat(33)]) {
      const parsed = ticketTagInput.safeParse({ number: "123456", tag: raw });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["tag"]);
    }
  });

  it("holds at most the limit, and a customer cannot tag", async () => {
    const ticket = await buildTicket(t.db, { customer });
    for (let i = 0; i < TAGS_PER_TICKET; i++)
      expect(
        (await addTag(t.db, agent.viewer, tag(ticket.number, `t${i}`))).ok,
      ).toBe(true);
    const over = await addTag(
      t.db,
      agent.viewer,
      tag(ticket.number, "one-more"),
    );
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.fields?.tag?.[0]).toMatch(/at most 20/);
    // A tag it already has is still fine at the limit.
    expect(
      (await addTag(t.db, agent.viewer, tag(ticket.number, "T3"))).ok,
    ).toBe(true);

    const refused = await addTag(
      t.db,
      customer.viewer,
      tag(ticket.number, "mine"),
    );
    expect(refused.ok).toBe(false);
    expect(await tagsOf(t.db, ticket.id)).not.toContain("mine");
  });

  it("filters the queue by tag, shows each row's tags, and forgets a removed tag", async () => {
    const refund = await buildTicket(t.db, { customer });
    const other = await buildTicket(t.db, { customer });
    await addTag(t.db, agent.viewer, tag(refund.number, "Refund"));
    await addTag(t.db, agent.viewer, tag(refund.number, "billing"));
    await addTag(t.db, agent.viewer, tag(other.number, "billing"));

    const tagged = await queueWith({ tag: "REFUND " });
    expect(tagged.rows.map((r) => r.number)).toEqual([refund.number]);
    expect(tagged.rows[0]?.tags).toEqual(["billing", "refund"]);
    expect(tagged.total).toBe(1);
    const billing = await queueWith({ tag: "billing" });
    expect(billing.rows.map((r) => r.number).sort()).toEqual(
      [refund.number, other.number].sort(),
    );
    expect(await tagsInUse(t.db)).toContain("refund");

    expect(
      (await removeTag(t.db, agent.viewer, tag(refund.number, "refund"))).ok,
    ).toBe(true);
    expect((await queueWith({ tag: "refund" })).rows).toEqual([]);
    // Removing it again is no error.
    expect(
      (await removeTag(t.db, agent.viewer, tag(refund.number, "refund"))).ok,
    ).toBe(true);
    expect(
      (await queueWith({})).rows.find((r) => r.number === refund.number)?.tags,
    ).toEqual(["billing"]);
  });

  it("answers not found for a ticket that does not exist", async () => {
    const r = await addTag(t.db, agent.viewer, tag("000001", "x"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe("not_found");
  });
});
