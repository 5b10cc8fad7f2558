import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, mailboxes } from "@/db/schema";
import type { MailcowConfig } from "@/lib/env";
import { runMailJob } from "@/lib/jobs/mail-job";
import { createMailcowClient } from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import {
  generatePassword,
  mailcowClient,
  provisionDueMailboxes,
  provisionMailbox,
  requestMailbox,
} from "@/lib/mailcow/provision";
import { buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { fakeMailcowConfig } from "@/testing/mailcow/config";

// Provisioning against the in-process Mailcow (docs/mailcow.md): a mailbox row is
// pending first, becomes active, fails for good, or waits and is picked up by the scheduled run.

const DOMAIN = "example.net";
let t: TestDb;
let fake: FakeMailcow;
let config: MailcowConfig;

beforeAll(async () => {
  [t, fake] = await Promise.all([
    createTestDb(),
    startFakeMailcow({ domain: DOMAIN }),
  ]);
  config = fakeMailcowConfig(fake, DOMAIN);
});
afterAll(async () => {
  await Promise.all([t?.close(), fake?.close()]);
});

let n = 0;
async function pending(localPart = `customer${++n}`) {
  const user = await buildUser(t.db, { name: `Customer ${n}` });
  return requestMailbox(t.db, {
    userId: user.id,
    localPart,
    config,
    now: new Date(),
  });
}

const auditActions = async (id: string) =>
  (await auditTrail(t.db, "mailbox", id)).map((a) => a.action);

describe("provisioning a mailbox", () => {
  it("creates it with the customer's password, active and audited", async () => {
    const row = await pending();
    const outcome = await provisionMailbox(t.db, mailcowClient(config), row, {
      password: "Violet-Harbour-42",
      now: new Date(),
    });
    expect(outcome.status).toBe("active");
    expect(outcome.mailbox).toMatchObject({
      status: "active",
      mustSetPassword: false,
      lastErrorKey: null,
    });
    const address = `${row.localPart}@${DOMAIN}`;
    expect(fake.state.mailboxes.get(address)).toMatchObject({ active: 1 });
    expect(fake.checkPassword(address, "Violet-Harbour-42")).toBe(true);
    expect(await auditActions(row.id)).toEqual([
      "mailbox.requested",
      "mailbox.provisioned",
    ]);
    // No password anywhere in what Portico recorded.
    const audits = await t.db
      .select({ data: auditLog.data })
      .from(auditLog)
      .where(eq(auditLog.entityId, row.id));
    expect(JSON.stringify(audits)).not.toContain("Violet-Harbour-42");
  });

  it("a create that timed out but happened counts as done", async () => {
    const row = await pending();
    fake.failNext("delay", {
      route: "add/mailbox",
      when: "after-commit",
      delayMs: 15_000,
    });
    const client = createQuickClient();
    const outcome = await provisionMailbox(t.db, client, row, {
      password: "Violet-Harbour-42",
      now: new Date(),
    });
    expect(outcome.status).toBe("active");
    expect(
      [...fake.state.mailboxes.keys()].filter(
        (a) => a === `${row.localPart}@${DOMAIN}`,
      ),
    ).toHaveLength(1);
  }, 30_000);

  it("an address that belongs to someone else fails for good, with Mailcow's reason", async () => {
    fake.state.aliases.add(`sales@${DOMAIN}`);
    const row = await pending("sales");
    const outcome = await provisionMailbox(t.db, mailcowClient(config), row, {
      password: "Violet-Harbour-42",
      now: new Date(),
    });
    expect(outcome.status).toBe("failed");
    expect(outcome.mailbox).toMatchObject({
      status: "failed",
      lastErrorKey: "is_alias",
      nextAttemptAt: null,
    });
    expect(await auditActions(row.id)).toContain("mailbox.failed");
  });

  it("a full domain waits with back-off, and the scheduled run finishes it once there is room", async () => {
    fake.setDomainLimits(DOMAIN, { maxMailboxes: fake.state.mailboxes.size });
    const row = await pending();
    const first = await provisionMailbox(t.db, mailcowClient(config), row, {
      password: "Violet-Harbour-42",
      now: new Date(),
    });
    expect(first.status).toBe("pending");
    expect(first.mailbox.lastErrorKey).toBe("max_mailbox_exceeded");
    const due = first.mailbox.nextAttemptAt!;
    expect(due.getTime()).toBeGreaterThan(Date.now());

    // Not due yet: the run leaves it alone.
    expect(
      (await provisionDueMailboxes(t.db, mailcowClient(config), new Date()))
        .attempted,
    ).toBe(0);

    fake.setDomainLimits(DOMAIN, { maxMailboxes: 1000 });
    const run = await provisionDueMailboxes(
      t.db,
      mailcowClient(config),
      new Date(due.getTime() + 1000),
    );
    expect(run).toMatchObject({ attempted: 1, active: 1, halted: false });
    const [after] = await t.db
      .select()
      .from(mailboxes)
      .where(eq(mailboxes.id, row.id));
    // Made by the scheduled run: a generated password the customer must replace.
    expect(after).toMatchObject({ status: "active", mustSetPassword: true });
    expect(
      fake.state.mailboxes.get(`${row.localPart}@${DOMAIN}`)?.attributes
        .force_pw_update,
    ).toBe("1");
    expect(await auditActions(row.id)).toEqual([
      "mailbox.requested",
      "mailbox.retry_scheduled",
      "mailbox.provisioned",
    ]);
  });

  it("a misconfigured URL (a redirect) keeps the mailbox waiting, not failed", async () => {
    const row = await pending();
    fake.failNext("redirect", { route: "add/mailbox" });
    const outcome = await provisionMailbox(t.db, mailcowClient(config), row, {
      password: "Violet-Harbour-42",
      now: new Date(),
    });
    expect(outcome.status).toBe("halted");
    expect(outcome.mailbox).toMatchObject({
      status: "pending",
      lastErrorKey: "config",
    });
  });

  it("a refused API key is tried once and halts the run (fail2ban counts every try)", async () => {
    const rows = [await pending(), await pending()];
    const wrong = mailcowClient({
      ...config,
      apiKey: "000000-000000-000000-000000-000000",
    });
    const before = fake.state.requests.length;
    const run = await provisionDueMailboxes(
      t.db,
      wrong,
      new Date(Date.now() + 10 * 60_000),
    );
    expect(run.halted).toBe(true);
    expect(fake.state.requests.length - before).toBe(1);
    // The one row tried waits with the reason; the others were not touched.
    expect(run.attempted).toBe(1);
    const waiting = await t.db
      .select({ id: mailboxes.id, status: mailboxes.status })
      .from(mailboxes)
      .where(eq(mailboxes.lastErrorKey, "auth"));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.status).toBe("pending");
    const untouched = await t.db
      .select({ attempts: mailboxes.attempts })
      .from(mailboxes)
      .where(eq(mailboxes.id, rows[1]!.id));
    expect(untouched[0]!.attempts).toBe(0);
  });
});

describe("the scheduled mail job", () => {
  it("provisions pending mailboxes that are due, beside mail and the outbox", async () => {
    const row = await pending();
    const summary = await runMailJob(t.db, {
      transport: null,
      imap: null,
      mailcow: config,
      now: new Date(Date.now() + 5 * 60_000),
    });
    expect(summary).toMatchObject({
      ran: true,
      inbound: { skipped: "imap not configured" },
      mailboxes: { halted: false },
    });
    const [after] = await t.db
      .select()
      .from(mailboxes)
      .where(eq(mailboxes.id, row.id));
    expect(after!.status).toBe("active");
    expect(fake.state.mailboxes.has(`${row.localPart}@${DOMAIN}`)).toBe(true);
  });

  it("says so when Mailcow is not configured", async () => {
    const summary = await runMailJob(t.db, {
      transport: null,
      imap: null,
      mailcow: null,
      now: new Date(),
    });
    expect(summary).toMatchObject({
      mailboxes: { skipped: "mailcow not configured" },
    });
  });
});

describe("generatePassword", () => {
  it("meets every class Mailcow's policy can require, 24 characters, no two alike", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(24);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      expect(p).not.toMatch(/^\{/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});

/** The real client with a short timeout, so the timed-out case runs in seconds. */
function createQuickClient() {
  return createMailcowClient({
    apiUrl: config.apiUrl,
    apiKey: config.apiKey,
    timeoutMs: 2_000,
    retryDelayMs: 50,
  });
}
