import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxes, type Mailbox } from "@/db/schema";
import {
  countMailboxesByStatus,
  listMailboxesNeedingAttention,
} from "@/lib/mailcow/queries";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

// What the Mailboxes (Mailcow) settings page reads about Portico's own mailbox rows.

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
async function mailboxFor(
  userId: string,
  over: Partial<typeof mailboxes.$inferInsert> = {},
): Promise<Mailbox> {
  const [row] = await t.db
    .insert(mailboxes)
    .values({
      userId,
      localPart: `box${++n}`,
      domain: "example.net",
      quotaMb: 1024,
      ...over,
    })
    .returning();
  return row!;
}

describe("mailbox rows for the settings page", () => {
  it("counts every state and lists failed ones first, then pending ones by their next attempt", async () => {
    const before = await countMailboxesByStatus(t.db);
    const soon = new Date(Date.now() + 60_000);
    const later = new Date(Date.now() + 3600_000);
    const user = () => buildUser(t.db);
    const laterPending = await mailboxFor((await user()).id, {
      status: "pending",
      nextAttemptAt: later,
    });
    const soonPending = await mailboxFor((await user()).id, {
      status: "pending",
      nextAttemptAt: soon,
      lastErrorKey: "max_mailbox_exceeded",
      lastErrorMessage: "The mail domain has no room for more mailboxes.",
    });
    const failed = await mailboxFor((await user()).id, {
      status: "failed",
      lastErrorKey: "is_alias",
    });
    await mailboxFor((await user()).id, { status: "active" });

    const after = await countMailboxesByStatus(t.db);
    expect(after).toEqual({
      pending: before.pending + 2,
      active: before.active + 1,
      failed: before.failed + 1,
      suspended: before.suspended,
      deleted: before.deleted,
    });
    const ids = (await listMailboxesNeedingAttention(t.db)).map((m) => m.id);
    expect(
      ids.filter((id) =>
        [laterPending.id, soonPending.id, failed.id].includes(id),
      ),
    ).toEqual([failed.id, soonPending.id, laterPending.id]);
    // Failed rows (every one so far) come before any pending one.
    const statuses = (await listMailboxesNeedingAttention(t.db)).map(
      (m) => m.status,
    );
    expect(statuses).toEqual([...statuses].sort());
  });
});
