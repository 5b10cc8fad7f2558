import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, mailboxes, type Mailbox } from "@/db/schema";
import type { MailcowConfig } from "@/lib/env";
import {
  deleteMailbox,
  isMissingInMailcow,
  reactivateMailbox,
  retryMailbox,
  suspendMailbox,
} from "@/lib/mailcow/admin";
import { createMailcowClient } from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import {
  mailcowClient,
  provisionMailbox,
  requestMailbox,
} from "@/lib/mailcow/provision";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { fakeMailcowConfig } from "@/testing/mailcow/config";

// An administrator's retry, suspend, re-activate and delete against the in-process Mailcow: each
// changes Mailcow, then Portico's row, and leaves an audit entry in the admin's name. A refusal or
// an outage changes neither the row nor the log.

const DOMAIN = "example.net";
let t: TestDb;
let fake: FakeMailcow;
let config: MailcowConfig;
let admin: { id: string };

beforeAll(async () => {
  [t, fake] = await Promise.all([
    createTestDb(),
    startFakeMailcow({ domain: DOMAIN }),
  ]);
  config = fakeMailcowConfig(fake, DOMAIN, { quotaMb: 100 });
  // Room for every mailbox this file makes; single tests shrink it on purpose.
  fake.setDomainLimits(DOMAIN, { maxMailboxes: 1000, totalQuotaMib: 100_000 });
  admin = await buildUser(t.db, { role: "admin", name: "Ada Admin" });
});
afterAll(async () => {
  await Promise.all([t?.close(), fake?.close()]);
});

const now = () => new Date();
const as = () => ({ actorId: admin.id, now: now() });
const client = () => mailcowClient(config);
const addressOf = (row: Mailbox) => `${row.localPart}@${row.domain}`;

let n = 0;
async function requested(localPart = `customer${++n}`) {
  const user = await buildUser(t.db, { name: `Customer ${n}` });
  return requestMailbox(t.db, {
    userId: user.id,
    localPart,
    config,
    now: now(),
  });
}

async function provisioned(localPart?: string) {
  const outcome = await provisionMailbox(
    t.db,
    client(),
    await requested(localPart),
    { password: "Violet-Harbour-42", now: now() },
  );
  return outcome.mailbox;
}

async function active() {
  const row = await provisioned();
  expect(row.status).toBe("active");
  return row;
}

async function rowOf(id: string) {
  const [row] = await t.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  return row!;
}

const auditOf = async (id: string) =>
  t.db
    .select({
      action: auditLog.action,
      actorKind: auditLog.actorKind,
      actorId: auditLog.actorId,
      data: auditLog.data,
    })
    .from(auditLog)
    .where(eq(auditLog.entityId, id))
    .orderBy(asc(auditLog.id));

describe("suspending and re-activating", () => {
  it("suspend disables the mailbox in Mailcow and marks it suspended, in the admin's name", async () => {
    const row = await active();
    const result = await suspendMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({ ok: true, value: { status: "suspended" } });
    expect(fake.state.mailboxes.get(addressOf(row))?.active).toBe(0);
    expect(await rowOf(row.id)).toMatchObject({ status: "suspended" });
    expect((await auditOf(row.id)).at(-1)).toEqual({
      action: "mailbox.suspended",
      actorKind: "user",
      actorId: admin.id,
      data: { address: addressOf(row), from: "active" },
    });
  });

  it("re-activate lets a suspended mailbox log in again", async () => {
    const row = await active();
    await suspendMailbox(t.db, client(), row.id, as());
    const result = await reactivateMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({ ok: true, value: { status: "active" } });
    expect(fake.state.mailboxes.get(addressOf(row))?.active).toBe(1);
    expect((await auditOf(row.id)).map((a) => a.action)).toEqual([
      "mailbox.requested",
      "mailbox.provisioned",
      "mailbox.suspended",
      "mailbox.reactivated",
    ]);
  });

  it("a domain short of storage refuses the edit (docs/mailcow.md §5.2), and says so", async () => {
    const row = await active();
    fake.setDomainLimits(DOMAIN, { totalQuotaMib: 1 });
    try {
      const result = await suspendMailbox(t.db, client(), row.id, as());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("upstream_failed");
      expect(result.error.message).toMatch(
        /only 0 MiB of storage left for this mailbox's 100 MiB/,
      );
      expect(result.error.message).toMatch(/total quota in Mailcow/);
    } finally {
      fake.setDomainLimits(DOMAIN, { totalQuotaMib: 100_000 });
    }
    expect(fake.state.mailboxes.get(addressOf(row))?.active).toBe(1);
    expect(await rowOf(row.id)).toMatchObject({ status: "active" });
  });
});

describe("deleting", () => {
  it("removes the mailbox from Mailcow and marks the row deleted", async () => {
    const row = await active();
    const result = await deleteMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({
      ok: true,
      value: { inMailcow: "deleted", mailbox: { status: "deleted" } },
    });
    expect(fake.state.mailboxes.has(addressOf(row))).toBe(false);
    expect((await auditOf(row.id)).at(-1)).toMatchObject({
      action: "mailbox.deleted",
      actorId: admin.id,
      data: { from: "active", inMailcow: "deleted" },
    });
  });

  it("a suspended mailbox an operator already removed in Mailcow counts as deleted", async () => {
    const row = await active();
    await suspendMailbox(t.db, client(), row.id, as());
    fake.state.mailboxes.delete(addressOf(row));
    const result = await deleteMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({
      ok: true,
      value: { inMailcow: "already_gone", mailbox: { status: "deleted" } },
    });
  });

  it("a failed mailbox is closed in Portico without touching someone else's mailbox at that address", async () => {
    // Made in Mailcow by someone else, so Portico's create is refused with object_exists.
    await createMailcowClient({
      apiUrl: config.apiUrl,
      apiKey: config.apiKey,
      ownerTag: "someone-else",
    }).createMailbox({
      localPart: "taken",
      domain: DOMAIN,
      name: "Somebody Else",
      password: "Their-Own-Pass-99",
      quotaMb: 100,
    });
    const row = await provisioned("taken");
    expect(row).toMatchObject({
      status: "failed",
      lastErrorKey: "object_exists",
    });
    const result = await deleteMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({
      ok: true,
      value: { inMailcow: "not_created", mailbox: { status: "deleted" } },
    });
    expect(fake.state.mailboxes.has(`taken@${DOMAIN}`)).toBe(true);
  });
});

describe("retrying", () => {
  it("a pending mailbox is created at once once the domain has room, with a password to replace", async () => {
    fake.setDomainLimits(DOMAIN, { maxMailboxes: fake.state.mailboxes.size });
    const waiting = await provisioned();
    fake.setDomainLimits(DOMAIN, { maxMailboxes: 1000 });
    expect(waiting).toMatchObject({
      status: "pending",
      lastErrorKey: "max_mailbox_exceeded",
    });

    const result = await retryMailbox(t.db, client(), waiting.id, as());
    expect(result).toMatchObject({
      ok: true,
      value: {
        status: "active",
        mailbox: { status: "active", mustSetPassword: true, attempts: 1 },
      },
    });
    expect(
      fake.state.mailboxes.get(addressOf(waiting))?.attributes.force_pw_update,
    ).toBe("1");
    const entries = await auditOf(waiting.id);
    expect(entries.slice(-2)).toMatchObject([
      {
        action: "mailbox.retry_requested",
        actorKind: "user",
        actorId: admin.id,
        data: { from: "pending", lastErrorKey: "max_mailbox_exceeded" },
      },
      { action: "mailbox.provisioned", actorKind: "system" },
    ]);
  });

  it("starts the back-off over when Mailcow still refuses", async () => {
    fake.setDomainLimits(DOMAIN, { maxMailboxes: fake.state.mailboxes.size });
    try {
      const waiting = await provisioned();
      const later = new Date(Date.now() + 6 * 3600_000);
      await t.db
        .update(mailboxes)
        .set({ attempts: 9, nextAttemptAt: later })
        .where(eq(mailboxes.id, waiting.id));

      const at = now();
      const result = await retryMailbox(t.db, client(), waiting.id, {
        actorId: admin.id,
        now: at,
      });
      expect(result).toMatchObject({ ok: true, value: { status: "pending" } });
      const after = await rowOf(waiting.id);
      expect(after).toMatchObject({
        status: "pending",
        attempts: 1,
        lastErrorKey: "max_mailbox_exceeded",
      });
      // The first step of the back-off (a minute), not the six hours it had reached.
      expect(after.nextAttemptAt!.getTime() - at.getTime()).toBe(60_000);
    } finally {
      fake.setDomainLimits(DOMAIN, { maxMailboxes: 1000 });
    }
  });

  it("a failed mailbox whose address was freed becomes active", async () => {
    fake.state.aliases.add(`sales-team@${DOMAIN}`);
    const failed = await provisioned("sales-team");
    expect(failed).toMatchObject({
      status: "failed",
      lastErrorKey: "is_alias",
    });
    fake.state.aliases.delete(`sales-team@${DOMAIN}`);

    const result = await retryMailbox(t.db, client(), failed.id, as());
    expect(result).toMatchObject({ ok: true, value: { status: "active" } });
    expect(fake.state.mailboxes.has(`sales-team@${DOMAIN}`)).toBe(true);
  });
});

describe("a mailbox removed in Mailcow behind Portico's back", () => {
  it("an active mailbox Mailcow still has is not retried: one look, then refused", async () => {
    const row = await active();
    const requests = fake.state.requests.length;
    const result = await retryMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "This mailbox is already active." },
    });
    expect(fake.state.requests.slice(requests).map((r) => r.route)).toEqual([
      `get/mailbox/${encodeURIComponent(addressOf(row))}`,
    ]);
    expect(await rowOf(row.id)).toEqual(row);
  });

  it("an active mailbox Mailcow answers {} for is created again, with a password to replace", async () => {
    const row = await active();
    fake.state.mailboxes.delete(addressOf(row));
    expect(
      await isMissingInMailcow(t.db, client(), row, { now: now() }),
    ).toEqual({ ok: true, value: true });

    const result = await retryMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({
      ok: true,
      value: {
        status: "active",
        mailbox: { status: "active", mustSetPassword: true },
      },
    });
    expect(fake.state.mailboxes.get(addressOf(row))?.attributes).toMatchObject({
      force_pw_update: "1",
    });
    expect((await auditOf(row.id)).map((a) => a.action)).toEqual([
      "mailbox.requested",
      "mailbox.provisioned",
      "mailbox.retry_requested",
      "mailbox.provisioned",
    ]);
    expect((await auditOf(row.id))[2]).toMatchObject({
      actorId: admin.id,
      data: { from: "active", missingInMailcow: true },
    });
  });
});

describe("refusals", () => {
  const cases = [
    ["suspend", "pending", /still being set up/],
    ["suspend", "failed", /never created in Mailcow/],
    ["reactivate", "active", /already active/],
    ["retry", "suspended", /re-activate it instead/],
    ["delete", "pending", /still being set up/],
    ["delete", "deleted", /already deleted/],
    ["suspend", "deleted", /has been deleted/],
  ] as const;
  const operations = {
    retry: retryMailbox,
    suspend: suspendMailbox,
    reactivate: reactivateMailbox,
    delete: deleteMailbox,
  };

  it.each(cases)(
    "%s on a %s mailbox is refused without asking Mailcow",
    async (operation, status, message) => {
      const row = await requested();
      await t.db
        .update(mailboxes)
        .set({ status })
        .where(eq(mailboxes.id, row.id));
      const before = await rowOf(row.id);
      const requests = fake.state.requests.length;

      const result = await operations[operation](t.db, client(), row.id, as());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("conflict");
      expect(result.error.message).toMatch(message);
      expect(fake.state.requests.length).toBe(requests);
      expect(await rowOf(row.id)).toEqual(before);
      expect((await auditOf(row.id)).map((a) => a.action)).toEqual([
        "mailbox.requested",
      ]);
    },
  );

  it.each(["00000000-0000-4000-8000-000000000000", "not-a-uuid"])(
    "an unknown mailbox id (%s) is not found",
    async (id) => {
      const result = await suspendMailbox(t.db, client(), id, as());
      expect(result).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
    },
  );
});

describe("when Mailcow is down", () => {
  it("a dropped connection leaves the row, Mailcow and the log as they were", async () => {
    const row = await active();
    const entries = await auditOf(row.id);
    fake.failNext("drop", { route: "edit/mailbox" });
    const result = await suspendMailbox(t.db, client(), row.id, as());
    expect(result).toMatchObject({
      ok: false,
      error: { code: "upstream_failed" },
    });
    if (!result.ok)
      expect(result.error.message).toMatch(/left the mailbox as it was/);
    expect(await rowOf(row.id)).toEqual(row);
    expect(fake.state.mailboxes.get(addressOf(row))?.active).toBe(1);
    expect(await auditOf(row.id)).toEqual(entries);
  });

  it("an unreachable Mailcow (nothing listening) deletes nothing", async () => {
    const row = await active();
    const nowhere = mailcowClient({
      ...config,
      apiUrl: await closedMailcowUrl(),
    });
    for (const operation of [suspendMailbox, deleteMailbox]) {
      const result = await operation(t.db, nowhere, row.id, as());
      expect(result).toMatchObject({
        ok: false,
        error: { code: "upstream_failed" },
      });
      if (!result.ok)
        expect(result.error.message).toMatch(/did not answer.*ECONNREFUSED/);
    }
    expect(await rowOf(row.id)).toEqual(row);
    expect(fake.state.mailboxes.has(addressOf(row))).toBe(true);
  });
});

/** The address of a Mailcow that has just shut down: nothing listens there any more. */
async function closedMailcowUrl(): Promise<string> {
  const gone = await startFakeMailcow();
  await gone.close();
  return gone.url;
}
