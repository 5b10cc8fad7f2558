import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, mailboxes } from "@/db/schema";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import { getMailcowHalt } from "@/lib/mailcow/halt";
import {
  mailcowClient,
  provisionMailbox,
  requestMailbox,
} from "@/lib/mailcow/provision";
import { sessionOf, thrownDigest } from "@/testing/actions";
import { buildUser } from "@/testing/builders";
import {
  appDatabase,
  forgetAppDatabase,
  provideAppDatabase,
} from "@/testing/app-db";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import { fakeMailcowConfig } from "@/testing/mailcow/config";
import { retryMailcowKeyAction } from "./actions";

// "Try again" under Settings > Mailboxes, after Mailcow refused Portico's key: a public POST
// endpoint that only an admin may press, and that lets Portico call Mailcow again only once the key
// is accepted.

const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
// connection() only marks a render as dynamic, and outside Next there is no request for it to mark.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const DOMAIN = "example.net";
let restoreEnv: () => void;
let t: TestDb;
let fake: FakeMailcow;
let tmp: string;

function useKey(apiKey: string) {
  setTestEnv({ MAILCOW_API_KEY: apiKey });
}

beforeAll(async () => {
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portico-mailcow-actions-"));
  [t, fake] = await Promise.all([
    createTestDb(),
    startFakeMailcow({ domain: DOMAIN }),
  ]);
  restoreEnv = setTestEnv({
    PGLITE_DIR: path.join(tmp, "db"),
    MAILCOW_API_URL: fake.url,
    MAILCOW_API_KEY: fake.apiKey,
    MAILCOW_DOMAIN: DOMAIN,
  });
});

afterAll(async () => {
  forgetAppDatabase();
  restoreEnv();
  await Promise.all([t?.close(), fake?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const press = () => retryMailcowKeyAction({ ok: false }, new FormData());

/** A mailbox whose create met a refused key, and the stop that refusal recorded. */
async function waitingOnKey(apiKey: string) {
  const config = fakeMailcowConfig(fake, DOMAIN, { apiKey });
  const customer = await buildUser(t.db);
  const row = await requestMailbox(t.db, {
    userId: customer.id,
    localPart: `waiting${customer.id.slice(0, 8)}`,
    config,
    now: new Date(),
  });
  const outcome = await provisionMailbox(t.db, mailcowClient(config), row, {
    now: new Date(),
  });
  expect(outcome.status).toBe("halted");
  return outcome.mailbox;
}

describe("Try again", () => {
  it("sends a signed-out caller to sign in, without opening the database", async () => {
    session.current = null;
    forgetAppDatabase();
    expect(await thrownDigest(press())).toMatch(
      /^NEXT_REDIRECT;(push|replace);\/sign-in\?callbackUrl=%2Fstaff%2Fsettings%2Fmailcow/,
    );
    expect(appDatabase()).toBeUndefined();
  });

  describe("with a session", () => {
    beforeAll(() => {
      provideAppDatabase(t);
    });

    it.each(["agent", "customer"] as const)(
      "answers 403 to a signed-in %s, and Mailcow is never asked",
      async (role) => {
        session.current = sessionOf(await buildUser(t.db, { role }));
        const requests = fake.state.requests.length;
        expect(await thrownDigest(press())).toBe(
          "NEXT_HTTP_ERROR_FALLBACK;403",
        );
        expect(fake.state.requests.length).toBe(requests);
      },
    );

    it("tells an admin that a key Mailcow still refuses is still refused, after one call", async () => {
      const admin = await buildUser(t.db, { role: "admin" });
      session.current = sessionOf(admin);
      useKey(fake.readOnlyKey);
      try {
        await waitingOnKey(fake.readOnlyKey);
        const requests = fake.state.requests.length;
        expect(await press()).toMatchObject({
          ok: false,
          message: expect.stringMatching(/still refuses the key.*read-only/),
        });
        expect(fake.state.requests.length - requests).toBe(1);
        const client = mailcowClient(
          fakeMailcowConfig(fake, DOMAIN, { apiKey: fake.readOnlyKey }),
        );
        expect(await getMailcowHalt(t.db, client)).not.toBeNull();
      } finally {
        useKey(fake.apiKey);
      }
    });

    it("lets an admin resume once Mailcow accepts the key: waiting mailboxes are due at once", async () => {
      const admin = await buildUser(t.db, { role: "admin" });
      session.current = sessionOf(admin);
      const config = fakeMailcowConfig(fake, DOMAIN);
      const client = mailcowClient(config);
      // Portico's address is missing from the key's allow-list in Mailcow: a 401 stops the key.
      fake.setAllowedIps(["203.0.113.7"]);
      const customer = await buildUser(t.db);
      const row = await requestMailbox(t.db, {
        userId: customer.id,
        localPart: "allowlisted.late",
        config,
        now: new Date(),
      });
      const waiting = await provisionMailbox(t.db, client, row, {
        now: new Date(),
      });
      expect(waiting).toMatchObject({
        status: "halted",
        mailbox: { status: "pending", lastErrorKey: "auth" },
      });
      expect(await getMailcowHalt(t.db, client)).not.toBeNull();

      // Pressed before the operator fixed it: still stopped.
      expect(await press()).toMatchObject({
        ok: false,
        message: expect.stringMatching(/still refuses the key.*allow-list/),
      });
      expect(await getMailcowHalt(t.db, client)).not.toBeNull();

      fake.setAllowedIps("any");
      const before = new Date();
      // Every mailbox that waited on a refused key is due, this one among them.
      expect(await press()).toEqual({
        ok: true,
        message: expect.stringMatching(
          /^Mailcow accepts the key again\. The (mailbox|\d+ mailboxes) that waited (is|are) created on the next scheduled run\.$/,
        ),
      });
      expect(await getMailcowHalt(t.db, client)).toBeNull();
      const [after] = await t.db
        .select()
        .from(mailboxes)
        .where(eq(mailboxes.id, row.id));
      expect(after!.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(
        before.getTime(),
      );
      expect(after!.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
      const [resumed] = await t.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, "mailcow.key_resumed"),
            eq(auditLog.entityId, client.keyFingerprint),
          ),
        );
      expect(resumed).toMatchObject({ actorId: admin.id });
    });
  });
});
