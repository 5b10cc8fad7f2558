import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import { auditLog, mailboxes } from "@/db/schema";
import type { FormState } from "@/lib/forms";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import {
  mailcowClient,
  provisionMailbox,
  requestMailbox,
} from "@/lib/mailcow/provision";
import { buildUser } from "@/testing/builders";
import { sessionOf, thrownDigest } from "@/testing/actions";
import {
  appDatabase,
  forgetAppDatabase,
  provideAppDatabase,
} from "@/testing/app-db";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import { form } from "@/testing/form-data";
import { fakeMailcowConfig } from "@/testing/mailcow/config";
import { mailboxOperationAction } from "./[id]/actions";

// The customer page's mailbox buttons are a public POST endpoint: only a signed-in admin may press
// them, and then they change Mailcow, the row and the audit log together.

const session = vi.hoisted(() => ({ current: null as Session | null }));
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
// connection() only marks a render as dynamic, and outside Next there is no request for it to mark.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));
// Outside Next there is no cache to revalidate; recording the paths shows which pages refresh.
vi.mock("next/cache", () => ({
  revalidatePath: (p: string) => void revalidated.push(p),
}));

const DOMAIN = "example.net";
let restoreEnv: () => void;
let t: TestDb;
let fake: FakeMailcow;
let tmp: string;

beforeAll(async () => {
  // next.config.ts turns on authInterrupts, which forbidden() checks for at run time.
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portico-customer-actions-"));
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

beforeEach(() => {
  revalidated.length = 0;
});

async function activeMailbox() {
  const customer = await buildUser(t.db, { name: "Cleo Customer" });
  const config = fakeMailcowConfig(fake, DOMAIN);
  const row = await requestMailbox(t.db, {
    userId: customer.id,
    localPart: `cleo${customer.id.slice(0, 6)}`,
    config,
    now: new Date(),
  });
  const outcome = await provisionMailbox(t.db, mailcowClient(config), row, {
    password: "Violet-Harbour-42",
    now: new Date(),
  });
  expect(outcome.status).toBe("active");
  return { customer, mailbox: outcome.mailbox };
}

const press = (mailboxId: string, operation: string) =>
  mailboxOperationAction({ ok: false }, form({ mailboxId, operation }));

const rowOf = async (id: string) =>
  (await t.db.select().from(mailboxes).where(eq(mailboxes.id, id)))[0]!;

describe("the mailbox buttons", () => {
  it("send a signed-out caller to sign in, without opening the database", async () => {
    session.current = null;
    forgetAppDatabase();
    const digest = await thrownDigest(
      press("00000000-0000-4000-8000-000000000000", "delete"),
    );
    expect(digest).toMatch(
      /^NEXT_REDIRECT;(push|replace);\/sign-in\?callbackUrl=%2Fstaff%2Fcustomers/,
    );
    expect(appDatabase()).toBeUndefined();
  });

  describe("with a session", () => {
    beforeAll(() => {
      provideAppDatabase(t);
    });

    it.each(["agent", "customer"] as const)(
      "answer 403 to a signed-in %s, and Mailcow is never asked",
      async (role) => {
        const { mailbox } = await activeMailbox();
        session.current = sessionOf(await buildUser(t.db, { role }));
        const requests = fake.state.requests.length;
        for (const operation of ["suspend", "delete"]) {
          expect(await thrownDigest(press(mailbox.id, operation))).toBe(
            "NEXT_HTTP_ERROR_FALLBACK;403",
          );
        }
        expect(fake.state.requests.length).toBe(requests);
        expect(await rowOf(mailbox.id)).toEqual(mailbox);
      },
    );

    it("let an admin suspend a mailbox: Mailcow, the row and the audit log agree", async () => {
      const { customer, mailbox } = await activeMailbox();
      const admin = await buildUser(t.db, { role: "admin" });
      session.current = sessionOf(admin);

      const state: FormState = await press(mailbox.id, "suspend");
      expect(state).toEqual({
        ok: true,
        message: expect.stringMatching(/^Mailbox suspended/),
      });
      const address = `${mailbox.localPart}@${DOMAIN}`;
      expect(fake.state.mailboxes.get(address)?.active).toBe(0);
      expect(await rowOf(mailbox.id)).toMatchObject({ status: "suspended" });
      const [entry] = await t.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, "mailbox.suspended"));
      expect(entry).toMatchObject({ actorId: admin.id, entityId: mailbox.id });
      expect(revalidated).toContain(`/staff/customers/${customer.id}`);
    });

    it("tell an admin why a button does not apply, and change nothing", async () => {
      const { mailbox } = await activeMailbox();
      session.current = sessionOf(await buildUser(t.db, { role: "admin" }));
      expect(await press(mailbox.id, "reactivate")).toMatchObject({
        ok: false,
        message: "This mailbox is already active.",
      });
      expect(await press(mailbox.id, "explode")).toMatchObject({
        ok: false,
        fields: { operation: ["Choose one of the buttons."] },
      });
      expect(await rowOf(mailbox.id)).toEqual(mailbox);
      expect(revalidated).toEqual([]);
    });

    it("say so when mailboxes are switched off", async () => {
      const { mailbox } = await activeMailbox();
      session.current = sessionOf(await buildUser(t.db, { role: "admin" }));
      setTestEnv({ MAILCOW_API_URL: undefined });
      try {
        expect(await press(mailbox.id, "suspend")).toMatchObject({
          ok: false,
          message: expect.stringMatching(/switched off/),
        });
      } finally {
        setTestEnv({ MAILCOW_API_URL: fake.url });
      }
      expect(await rowOf(mailbox.id)).toEqual(mailbox);
    });
  });
});
