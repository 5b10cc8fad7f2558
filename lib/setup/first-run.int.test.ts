import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { authenticate } from "@/lib/auth/authenticate";
import { resetPassword } from "@/lib/auth/password-reset";
import { handleOsTicketCall } from "@/lib/osticket/api-call";
import { PEER_HEADER } from "@/lib/peer";
import { createAdmin, issueAdminPasswordLink } from "@/lib/setup/admin-access";
import {
  ALREADY_SET_UP,
  setUpFromBrowser,
  setUpFromCommandLine,
} from "@/lib/setup/first-run";
import { getInstallation, hasAdmin } from "@/lib/setup/queries";
import { setupFormInput } from "@/lib/setup/schemas";
import { issueSetupToken } from "@/lib/setup/setup-token";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput } from "@/lib/tickets/schemas";

// The first run of a real install, on an empty database (no demo data): the command line or /setup
// makes the first administrator and what tickets need, then the API's first ticket arrives.

const APP = "https://help.acme.example";
const PASSWORD = "granite orchard velvet 7";
const CALLER = "198.51.100.7";

let t: TestDb;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setTestEnv({ API_RATE_LIMIT_PER_MINUTE: "0" });
  t = await createTestDb();
});
afterAll(async () => {
  restoreEnv();
  await t.close();
});
// Every case starts from an empty install (cascading to everything that points at these).
beforeEach(async () => {
  await t.db.execute(
    sql`truncate users, departments, sla_plans, help_topics, api_keys, setup_tokens, installation restart identity cascade`,
  );
});

const tokenOf = (link: string) => new URL(link).pathname.split("/").pop()!;

async function rows(
  table: typeof s.users | typeof s.departments | typeof s.tickets,
) {
  const [row] = await t.db.select({ n: count() }).from(table);
  return row!.n;
}

function browserForm(over: Record<string, string> = {}) {
  return setupFormInput.parse({
    token: "0".repeat(32),
    name: "Olga Ops",
    email: "olga@acme.example",
    password: PASSWORD,
    confirm: PASSWORD,
    companyName: "",
    supportAddress: "",
    ...over,
  });
}

async function postTicket(key: string, fields: Record<string, unknown>) {
  const res = await handleOsTicketCall(
    t.db,
    new Request("http://portal.test/api/tickets.json", {
      method: "POST",
      headers: { "x-api-key": key, [PEER_HEADER]: CALLER },
      body: JSON.stringify(fields),
    }),
    "json",
  );
  return { status: res.status, body: await res.text() };
}

describe("setup from the command line", () => {
  it("leads from an empty database to the first API ticket in the admin's queue", async () => {
    expect(await hasAdmin(t.db)).toBe(false);
    const setup = await setUpFromCommandLine(
      t.db,
      {
        name: "Olga Ops",
        email: "olga@acme.example",
        companyName: "Acme Hosting",
        supportAddress: "help@acme.example",
      },
      { appUrl: APP },
    );
    if (!setup.ok) throw new Error(setup.error.message);
    const { admin, helpdesk, link } = setup.value;
    expect(helpdesk.created).toEqual(["SLA plan", "department", "help topic"]);
    expect(helpdesk.department).toMatchObject({
      name: "Support",
      email: "help@acme.example",
      slaPlanId: helpdesk.slaPlan.id,
    });
    expect(await getInstallation(t.db)).toMatchObject({
      companyName: "Acme Hosting",
      supportAddress: "help@acme.example",
      setUpById: admin.id,
    });

    // No password until the link is followed; the link is this site's and works once.
    expect(link).toMatch(new RegExp(`^${APP}/reset-password/[\\w-]{40,}$`));
    const before = await authenticate(t.db, {
      email: admin.email,
      password: PASSWORD,
    });
    expect(before.ok).toBe(false);
    const reset = await resetPassword(t.db, {
      token: tokenOf(link),
      password: PASSWORD,
    });
    expect(reset).toMatchObject({ ok: true, value: { role: "admin" } });
    expect(
      (await resetPassword(t.db, { token: tokenOf(link), password: PASSWORD }))
        .ok,
    ).toBe(false);
    const signedIn = await authenticate(t.db, {
      email: "OLGA@acme.example",
      password: PASSWORD,
    });
    if (!signedIn.ok) throw new Error(signedIn.error.message);

    const key = await createApiKey(
      t.db,
      { kind: "user", id: signedIn.value.id },
      apiKeyCreateInput.parse({
        ipAddress: CALLER,
        isActive: "on",
        canCreateTickets: "on",
      }),
    );
    if (!key.ok) throw new Error(key.error.message);
    const posted = await postTicket(key.value.key, {
      name: "Nagios Monitor",
      email: "nagios@acme.example",
      subject: "Disk almost full on web-03",
      message: "/dev/sda1 is 97% full",
    });
    expect(posted).toMatchObject({ status: 201 });
    expect(posted.body).toMatch(/^\d{6}$/);

    const queue = await listQueue(
      t.db,
      { ...signedIn.value, emailVerified: true },
      queueFiltersInput.parse({ view: "all" }),
      new Date(),
    );
    expect(queue.rows).toEqual([
      expect.objectContaining({
        number: posted.body,
        subject: "Disk almost full on web-03",
        customerName: "Nagios Monitor",
      }),
    ]);
    const [ticket] = await t.db
      .select()
      .from(s.tickets)
      .where(eq(s.tickets.number, posted.body));
    expect(ticket).toMatchObject({
      departmentId: helpdesk.department.id,
      slaPlanId: helpdesk.slaPlan.id,
    });
    expect(ticket!.dueAt).not.toBeNull();
    // The admin is in the department, so they were alerted.
    const alerts = await t.db
      .select({ to: s.outboundMail.toAddress })
      .from(s.outboundMail)
      .where(eq(s.outboundMail.ticketId, ticket!.id));
    expect(alerts.map((m) => m.to)).toContain("olga@acme.example");
  });

  it("refuses once an administrator exists, and changes nothing", async () => {
    await buildUser(t.db, { role: "admin", email: "first@acme.example" });
    const users = await rows(s.users);
    const again = await setUpFromCommandLine(
      t.db,
      {
        name: "Second",
        email: "second@acme.example",
        companyName: null,
        supportAddress: null,
      },
      { appUrl: APP },
    );
    expect(again).toEqual({
      ok: false,
      error: { code: "conflict", message: ALREADY_SET_UP },
    });
    expect(await rows(s.users)).toBe(users);
    expect(await rows(s.departments)).toBe(0);
  });

  it("makes one administrator when two setups run at once", async () => {
    const run = (email: string) =>
      setUpFromCommandLine(
        t.db,
        { name: "Racer", email, companyName: null, supportAddress: null },
        { appUrl: APP },
      );
    const results = await Promise.all([
      run("one@acme.example"),
      run("two@acme.example"),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, error: { code: "conflict", message: ALREADY_SET_UP } },
    ]);
    expect(await rows(s.users)).toBe(1);
    expect(await rows(s.departments)).toBe(1);
  });

  it("keeps a department that already exists and refuses an address a customer uses", async () => {
    const existing = await t.db
      .insert(s.departments)
      .values({ name: "Helpdesk" })
      .returning();
    await buildUser(t.db, { email: "early@acme.example" });
    const taken = await setUpFromCommandLine(
      t.db,
      {
        name: "Early Bird",
        email: "Early@acme.example",
        companyName: null,
        supportAddress: null,
      },
      { appUrl: APP },
    );
    expect(taken).toMatchObject({
      ok: false,
      error: { code: "conflict", fields: { email: [expect.any(String)] } },
    });
    expect(await hasAdmin(t.db)).toBe(false);

    const done = await setUpFromCommandLine(
      t.db,
      {
        name: "Olga Ops",
        email: "olga@acme.example",
        companyName: null,
        supportAddress: null,
      },
      { appUrl: APP },
    );
    if (!done.ok) throw new Error(done.error.message);
    expect(done.value.helpdesk.department.id).toBe(existing[0]!.id);
    expect(done.value.helpdesk.created).toEqual(["SLA plan", "help topic"]);
    expect(await rows(s.departments)).toBe(1);
  });
});

describe("setup in the browser (/setup)", () => {
  it("opens only with a token the server printed, signs the admin in, then closes for good", async () => {
    const token = await issueSetupToken(t.db);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    // A second server on the same database prints its own; either works.
    const other = await issueSetupToken(t.db);
    expect(other).not.toBe(token);

    const wrong = await setUpFromBrowser(t.db, browserForm());
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { token: [expect.any(String)] } },
    });
    expect(await rows(s.users)).toBe(0);

    const done = await setUpFromBrowser(
      t.db,
      browserForm({
        token: token!.toUpperCase(),
        supportAddress: "Help@Acme.example",
      }),
    );
    expect(done).toMatchObject({
      ok: true,
      value: { email: "olga@acme.example", role: "admin", sessionVersion: 1 },
    });
    const signedIn = await authenticate(t.db, {
      email: "olga@acme.example",
      password: PASSWORD,
    });
    expect(signedIn.ok).toBe(true);
    expect(await rows(s.departments)).toBe(1);
    expect((await getInstallation(t.db))?.supportAddress).toBe(
      "help@acme.example",
    );

    // The same token again, or the other server's: set up already, and nothing is added.
    for (const used of [token!, other!]) {
      expect(
        await setUpFromBrowser(
          t.db,
          browserForm({ token: used, email: "mallory@acme.example" }),
        ),
      ).toEqual({
        ok: false,
        error: { code: "conflict", message: ALREADY_SET_UP },
      });
    }
    expect(await rows(s.users)).toBe(1);
    // A restart prints no new token.
    expect(await issueSetupToken(t.db)).toBeNull();
  });

  it("spends no token on a refused form", async () => {
    const token = (await issueSetupToken(t.db))!;
    await buildUser(t.db, { email: "early@acme.example" });
    const taken = await setUpFromBrowser(
      t.db,
      browserForm({ token, email: "early@acme.example" }),
    );
    expect(taken).toMatchObject({
      ok: false,
      error: { fields: { email: [expect.any(String)] } },
    });
    const done = await setUpFromBrowser(t.db, browserForm({ token }));
    expect(done.ok).toBe(true);
  });

  it("refuses a token whose server started before an admin existed", async () => {
    const token = (await issueSetupToken(t.db))!;
    const link = await createAdmin(
      t.db,
      { name: "Cli Admin", email: "cli@acme.example" },
      { appUrl: APP },
    );
    expect(link.ok).toBe(true);
    expect(await setUpFromBrowser(t.db, browserForm({ token }))).toEqual({
      ok: false,
      error: { code: "conflict", message: ALREADY_SET_UP },
    });
  });
});

describe("admin create and admin reset-password", () => {
  it("gives a locked-out admin a link that sets a new password and signs them in", async () => {
    const admin = await buildUser(t.db, {
      role: "admin",
      email: "olga@acme.example",
      password: "forgotten password 1",
    });
    const issued = await issueAdminPasswordLink(t.db, "OLGA@acme.example", {
      appUrl: APP,
    });
    if (!issued.ok) throw new Error(issued.error.message);
    // The old password works until the link is used.
    expect(
      (
        await authenticate(t.db, {
          email: admin.email,
          password: "forgotten password 1",
        })
      ).ok,
    ).toBe(true);
    const reset = await resetPassword(t.db, {
      token: tokenOf(issued.value.link),
      password: PASSWORD,
    });
    expect(reset).toMatchObject({ ok: true, value: { id: admin.id } });
    expect(
      (await authenticate(t.db, { email: admin.email, password: PASSWORD })).ok,
    ).toBe(true);
  });

  it("refuses a link for anyone but an active admin", async () => {
    await buildUser(t.db, { role: "agent", email: "agent@acme.example" });
    await buildUser(t.db, {
      role: "admin",
      email: "gone@acme.example",
      deactivatedAt: new Date(),
    });
    for (const email of [
      "agent@acme.example",
      "nobody@acme.example",
      "gone@acme.example",
    ]) {
      const r = await issueAdminPasswordLink(t.db, email, { appUrl: APP });
      expect(r.ok, email).toBe(false);
    }
  });

  it("creates another admin with a link, but never over an existing account", async () => {
    await buildUser(t.db, { email: "customer@acme.example" });
    const clash = await createAdmin(
      t.db,
      { name: "Clash", email: "customer@acme.example" },
      { appUrl: APP },
    );
    expect(clash).toMatchObject({ ok: false, error: { code: "conflict" } });

    const made = await createAdmin(
      t.db,
      { name: "Second Admin", email: "second@acme.example" },
      { appUrl: APP },
    );
    if (!made.ok) throw new Error(made.error.message);
    const reset = await resetPassword(t.db, {
      token: tokenOf(made.value.link),
      password: PASSWORD,
    });
    expect(reset).toMatchObject({ ok: true, value: { role: "admin" } });
  });
});
