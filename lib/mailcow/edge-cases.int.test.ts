import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxes, outboundMail, type Mailbox } from "@/db/schema";
import { signUpInput } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import type { MailcowConfig } from "@/lib/env";
import { runMailJob } from "@/lib/jobs/mail-job";
import { retryMailbox } from "@/lib/mailcow/admin";
import { mailboxNameAvailability } from "@/lib/mailcow/availability";
import { changeMailboxPassword } from "@/lib/mailcow/change-password";
import { createMailcowClient } from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import { getMailcowHalt, retryMailcowKey } from "@/lib/mailcow/halt";
import {
  mailcowClient,
  mayChooseMailboxName,
  provisionDueMailboxes,
  provisionMailbox,
  provisionWithinBudget,
  requestMailbox,
} from "@/lib/mailcow/provision";
import { isGoneFromMailcow, liveMailbox } from "@/lib/mailcow/queries";
import { requestMailboxAgain } from "@/lib/mailcow/request-again";
import { newMailboxInput, suggestMailboxName } from "@/lib/mailcow/schemas";
import { buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { fakeMailcowConfig } from "@/testing/mailcow/config";

// The Mailcow edge cases of issue 14, against the in-process Mailcow (docs/mailcow.md, §n): whose a
// mailbox that already exists is, names Mailcow refused, its live password policy, a refused key,
// a mailbox removed in Mailcow, and a domain whose limits dropped below a mailbox's quota.

const DOMAIN = "example.net";
const PASSWORD = "Violet-Harbour-42";
const LOOPBACK = "127.0.0.1";
let t: TestDb;
let fake: FakeMailcow;
let config: MailcowConfig;

beforeAll(async () => {
  [t, fake] = await Promise.all([
    createTestDb(),
    startFakeMailcow({
      domain: DOMAIN,
      maxMailboxes: 500,
      totalQuotaMib: 1024 * 1024,
    }),
  ]);
  config = fakeMailcowConfig(fake, DOMAIN, { retrySeconds: 1 });
  await buildUser(t.db, { email: "ops@portico.test", role: "admin" });
});
afterAll(async () => {
  await Promise.all([t?.close(), fake?.close()]);
});

let n = 0;
function visitor(over: { name?: string; mailboxName?: string } = {}) {
  n += 1;
  return signUpInput.parse({
    name: over.name ?? `Edge Case ${n}`,
    email: `edge${n}@customer.test`,
    password: PASSWORD,
    mailboxName: over.mailboxName ?? `edge${n}`,
  });
}

/** The signup action below the browser: the account, then one attempt, waited for in full. */
async function signUpWithMailbox(
  input: ReturnType<typeof visitor>,
  cfg: MailcowConfig = config,
  between?: () => void,
) {
  const now = new Date();
  const created = await signUp(t.db, input, { mailcow: cfg, now });
  if (!created.ok) throw new Error(created.error.message);
  between?.();
  const background: Promise<unknown>[] = [];
  const status = await provisionWithinBudget(
    t.db,
    cfg,
    created.value.mailbox!,
    { password: input.password, now, keepAlive: (p) => background.push(p) },
  );
  await Promise.all(background);
  return { status, row: await rowOf(created.value.subject!.id) };
}

async function rowOf(userId: string): Promise<Mailbox> {
  const [row] = await t.db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.userId, userId));
  return row!;
}

/** A pending row for a customer called `name`, as if their signup's name check had passed. */
async function pendingRow(localPart: string, name = `Customer ${++n}`) {
  const user = await buildUser(t.db, { name });
  return requestMailbox(t.db, {
    userId: user.id,
    localPart,
    config,
    now: new Date(),
  });
}

/** The alerts the file's first administrator got whose subject contains `text`. */
const alerts = async (text: string) =>
  (
    await t.db
      .select({ to: outboundMail.toAddress, subject: outboundMail.subject })
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.kind, "mailbox_alert"),
          eq(outboundMail.toAddress, "ops@portico.test"),
        ),
      )
  ).filter((m) => m.subject.includes(text));

const routesSince = (count: number) =>
  fake.state.requests.slice(count).map((r) => `${r.method} ${r.route}`);

const failedKeys = () => fake.state.failedAuth.get(LOOPBACK)?.length ?? 0;

type Sent = { route: string; body: unknown };

/** The real client, recording what it sends (passwords included, for these assertions only). */
function recordingClient(sent: Sent[], cfg: MailcowConfig = config) {
  return createMailcowClient({
    apiUrl: cfg.apiUrl,
    apiKey: cfg.apiKey,
    retryDelayMs: 0,
    timeoutMs: 2_000,
    fetch: (input, init) => {
      const route = String(input).replace(/^.*\/api\/v1\//, "");
      sent.push({
        route,
        body: typeof init?.body === "string" ? JSON.parse(init.body) : null,
      });
      return fetch(input, init);
    },
  });
}

const addBodies = (sent: Sent[]) =>
  sent
    .filter((s) => s.route === "add/mailbox")
    .map((s) => s.body as Record<string, unknown>);

describe("a mailbox that already exists in Mailcow (§8)", () => {
  it("on a first attempt is someone else's, even tagged portico with the customer's name: never taken, never touched", async () => {
    // Left by another Portico install: same tag, same display name.
    await createMailcowClient({ apiUrl: fake.url, apiKey: fake.apiKey })
      .createMailbox({
        localPart: "jane.other",
        domain: DOMAIN,
        name: "Jane Other",
        password: "Their-Own-Pass-1",
        quotaMb: 10,
      })
      .then((r) => expect(r.ok).toBe(true));
    const row = await pendingRow("jane.other", "Jane Other");
    const before = fake.state.requests.length;

    const outcome = await provisionMailbox(t.db, mailcowClient(config), row, {
      password: PASSWORD,
      now: new Date(),
    });
    expect(outcome.status).toBe("failed");
    expect(outcome.mailbox).toMatchObject({
      lastErrorKey: "object_exists",
      uncertainCreateAt: null,
      refusedLocalParts: ["jane.other"],
    });
    // No lookup, no password reset: the other mailbox keeps its owner's password.
    expect(routesSince(before)).toEqual([
      "GET get/passwordpolicy",
      "POST add/mailbox",
    ]);
    expect(fake.checkPassword(`jane.other@${DOMAIN}`, "Their-Own-Pass-1")).toBe(
      true,
    );
    // The customer picks another name; the administrators hear of it.
    expect(mayChooseMailboxName(outcome.mailbox)).toBe(true);
    expect(await alerts(`jane.other@${DOMAIN} could not be created`)).toEqual([
      { to: "ops@portico.test", subject: expect.any(String) },
    ]);
  });

  it("is this record's own when its earlier create went unanswered: the next attempt takes it and sets a new password", async () => {
    const row = await pendingRow("lost.answer", "Lost Answer");
    const address = `lost.answer@${DOMAIN}`;
    // The create is applied but its answer is lost, and so is the lookup that would have told.
    fake.failNext("drop", { route: "add/mailbox", when: "after-commit" });
    fake.failNext("drop", { route: "get/mailbox" });
    const client = createMailcowClient({
      apiUrl: config.apiUrl,
      apiKey: config.apiKey,
      retryDelayMs: 0,
    });
    const first = await provisionMailbox(t.db, client, row, {
      password: PASSWORD,
      now: new Date(),
    });
    expect(first.status).toBe("pending");
    expect(first.mailbox.lastErrorKey).toBe("unknown");
    expect(first.mailbox.uncertainCreateAt).not.toBeNull();
    expect(fake.state.mailboxes.has(address)).toBe(true);

    const run = await provisionDueMailboxes(
      t.db,
      client,
      new Date(first.mailbox.nextAttemptAt!.getTime() + 1),
    );
    expect(run).toMatchObject({ active: 1, halted: false });
    const after = await rowOf(row.userId);
    expect(after).toMatchObject({
      status: "active",
      uncertainCreateAt: null,
      mustSetPassword: true,
    });
    // The scheduled run's generated password replaced the one of the lost attempt.
    expect(fake.checkPassword(address, PASSWORD)).toBe(false);
    expect(fake.state.mailboxes.get(address)?.attributes.force_pw_update).toBe(
      "1",
    );
    const provisioned = (await auditTrail(t.db, "mailbox", row.id)).find(
      (a) => a.action === "mailbox.provisioned",
    );
    expect(provisioned?.data).toMatchObject({ outcome: "adopted" });
  });

  it("marks the record before the create goes out, so a crash mid-request still counts as 'may exist'", async () => {
    const row = await pendingRow("marked.first");
    const seenWhileSending: (Date | null)[] = [];
    const client = createMailcowClient({
      apiUrl: config.apiUrl,
      apiKey: config.apiKey,
      fetch: async (input, init) => {
        if (String(input).endsWith("/add/mailbox"))
          seenWhileSending.push(
            (
              await t.db
                .select({ at: mailboxes.uncertainCreateAt })
                .from(mailboxes)
                .where(eq(mailboxes.id, row.id))
            )[0]!.at,
          );
        return fetch(input, init);
      },
    });
    const outcome = await provisionMailbox(t.db, client, row, {
      now: new Date(),
    });
    expect(outcome.status).toBe("active");
    expect(seenWhileSending).toEqual([expect.any(Date)]);
    expect(outcome.mailbox.uncertainCreateAt).toBeNull();
  });

  it("a refused key on the first attempt proves nothing was made: a mailbox found there later is not taken", async () => {
    const row = await pendingRow("not.yours", "Not Yours");
    const wrong = mailcowClient({
      ...config,
      apiKey: "AAAAAA-BBBBBB-CCCCCC-DDDDDD-EEEEEE",
    });
    const refused = await provisionMailbox(t.db, wrong, row, {
      now: new Date(),
    });
    expect(refused.status).toBe("halted");
    expect(refused.mailbox.uncertainCreateAt).toBeNull();

    await createMailcowClient({
      apiUrl: fake.url,
      apiKey: fake.apiKey,
    }).createMailbox({
      localPart: "not.yours",
      domain: DOMAIN,
      name: "Not Yours",
      password: "Their-Own-Pass-1",
      quotaMb: 10,
    });
    const later = await provisionMailbox(
      t.db,
      mailcowClient(config),
      refused.mailbox,
      { now: new Date() },
    );
    expect(later.mailbox).toMatchObject({
      status: "failed",
      lastErrorKey: "object_exists",
    });
    expect(fake.checkPassword(`not.yours@${DOMAIN}`, "Their-Own-Pass-1")).toBe(
      true,
    );
  });
});

describe("names Mailcow refused (§5.1 checks 7–9)", () => {
  it("the name check sees an alias, though Mailcow answers {} when it is looked up as a mailbox", async () => {
    fake.state.aliases.add(`team.lead@${DOMAIN}`);
    const before = fake.state.requests.length;
    const created = await signUp(t.db, visitor({ mailboxName: "team.lead" }), {
      mailcow: config,
    });
    expect(!created.ok && created.error.fields?.mailboxName).toEqual([
      '"team.lead" is already taken. How about "team.lead2"?',
    ]);
    expect(routesSince(before)).toContain("GET get/alias/all");
    expect(routesSince(before)).not.toContain("POST add/mailbox");
  });

  const takers: [string, (address: string) => void][] = [
    ["is_alias", (a) => void fake.state.aliases.add(a)],
    ["is_spam_alias", (a) => void fake.state.spamAliases.add(a)],
  ];
  it.each(takers)(
    "after %s the mailbox page neither suggests nor sends the refused name again",
    async (key, makeTaken) => {
      // Their signup suggestion and their chosen name are the same, as when they took the default.
      const name = `Pat Refused${n + 1}`;
      const localPart = suggestMailboxName(name, "x@y.test");
      const input = visitor({ name, mailboxName: localPart });
      // Taken in Mailcow between the name check and the create.
      const { row } = await signUpWithMailbox(input, config, () =>
        makeTaken(`${localPart}@${DOMAIN}`),
      );
      expect(row).toMatchObject({
        status: "failed",
        lastErrorKey: key,
        refusedLocalParts: [localPart],
      });

      // What the mailbox page offers: not the refused name, even once Mailcow lets go of it.
      fake.state.aliases.delete(`${localPart}@${DOMAIN}`);
      fake.state.spamAliases.delete(`${localPart}@${DOMAIN}`);
      const offered = await mailboxNameAvailability(t.db, config, localPart, {
        forUserId: row.userId,
        refused: row.refusedLocalParts,
      });
      expect(offered).toEqual({
        free: false,
        suggestion: `${localPart}2`,
        refused: true,
      });

      // What the form does with it anyway: refuses it in words, and sends Mailcow nothing.
      const before = fake.state.requests.length;
      const again = await requestMailboxAgain(t.db, config, {
        userId: row.userId,
        input: newMailboxInput.parse({
          mailboxName: localPart,
          password: "Granite-Orchard-77",
          confirm: "Granite-Orchard-77",
        }),
        now: new Date(),
      });
      expect(!again.ok && again.error.fields?.mailboxName?.[0]).toBe(
        `The mail server refused "${localPart}" for your mailbox (it is already in use there). How about "${localPart}2"?`,
      );
      expect(routesSince(before)).not.toContain("POST add/mailbox");
      expect(await rowOf(row.userId)).toEqual(row);

      // The suggestion goes through.
      const other = await requestMailboxAgain(t.db, config, {
        userId: row.userId,
        input: newMailboxInput.parse({
          mailboxName: `${localPart}2`,
          password: "Granite-Orchard-77",
          confirm: "Granite-Orchard-77",
        }),
        now: new Date(),
      });
      if (!other.ok) throw new Error(other.error.message);
      await provisionWithinBudget(t.db, config, other.value, {
        password: "Granite-Orchard-77",
        now: new Date(),
        keepAlive: () => {},
        deadline: Date.now() + 10_000,
      });
      expect(await rowOf(row.userId)).toMatchObject({
        status: "active",
        localPart: `${localPart}2`,
        refusedLocalParts: [localPart],
      });
    },
  );
});

describe("the signup password and Mailcow's live policy (§5.7, §6)", () => {
  const withPolicy = async (
    policy: Partial<FakeMailcow["state"]["policy"]>,
    run: () => Promise<void>,
  ) => {
    const saved = { ...fake.state.policy };
    Object.assign(fake.state.policy, policy);
    try {
      await run();
    } finally {
      Object.assign(fake.state.policy, saved);
    }
  };

  it("reads the policy first, and sends the signup password when it meets it", async () => {
    await withPolicy({ length: 14, numbers: 1, lowerupper: 1 }, async () => {
      const sent: Sent[] = [];
      const row = await pendingRow(`policy.ok${++n}`);
      const outcome = await provisionMailbox(t.db, recordingClient(sent), row, {
        password: PASSWORD,
        now: new Date(),
      });
      expect(outcome.mailbox).toMatchObject({
        status: "active",
        mustSetPassword: false,
      });
      expect(sent.map((s) => s.route)).toEqual([
        "get/passwordpolicy",
        "add/mailbox",
      ]);
      expect(addBodies(sent)[0]).toMatchObject({
        password: PASSWORD,
        force_pw_update: 0,
      });
    });
  });

  it("never sends a signup password the policy refuses: one create, with a generated password to replace", async () => {
    // Fine for Portico's own rule (12 characters), short of Mailcow's 20 and without a special one.
    const signupPassword = "VioletHarbour42";
    await withPolicy({ length: 20, special_chars: 1 }, async () => {
      const sent: Sent[] = [];
      const row = await pendingRow(`policy.no${++n}`);
      const outcome = await provisionMailbox(t.db, recordingClient(sent), row, {
        password: signupPassword,
        now: new Date(),
      });
      expect(outcome.mailbox).toMatchObject({
        status: "active",
        mustSetPassword: true,
      });
      expect(sent.map((s) => s.route)).toEqual([
        "get/passwordpolicy",
        "add/mailbox",
      ]);
      expect(addBodies(sent)[0]).toMatchObject({ force_pw_update: 1 });
      expect(JSON.stringify(sent)).not.toContain(signupPassword);
    });
  });

  it("a policy that cannot be read means a generated password, not a guess", async () => {
    const sent: Sent[] = [];
    const row = await pendingRow(`policy.unread${++n}`);
    fake.failNext("html-500", { route: "get/passwordpolicy" });
    const outcome = await provisionMailbox(t.db, recordingClient(sent), row, {
      password: PASSWORD,
      now: new Date(),
    });
    expect(outcome.mailbox).toMatchObject({
      status: "active",
      mustSetPassword: true,
    });
    expect(JSON.stringify(addBodies(sent))).not.toContain(PASSWORD);
  });

  it("a slow policy read stays inside the signup budget; the attempt finishes afterwards", async () => {
    const input = visitor();
    const now = new Date();
    const created = await signUp(t.db, input, { mailcow: config, now });
    if (!created.ok) throw new Error(created.error.message);
    fake.failNext("delay", { route: "get/passwordpolicy", delayMs: 400 });
    const background: Promise<unknown>[] = [];
    const status = await provisionWithinBudget(
      t.db,
      config,
      created.value.mailbox!,
      {
        password: input.password,
        now,
        keepAlive: (p) => background.push(p),
        deadline: Date.now() + 50,
      },
    );
    expect(status).toBe("in_progress");
    await Promise.all(background);
    expect(await rowOf(created.value.subject!.id)).toMatchObject({
      status: "active",
      mustSetPassword: false,
    });
    expect(
      fake.checkPassword(`${input.mailboxName}@${DOMAIN}`, input.password),
    ).toBe(true);
  });
});

describe("a key Mailcow refuses (§2): one call, then wait for a person", () => {
  it("a wrong key (401): one call in a signup, one mail, no call from later runs, until the key changes", async () => {
    const wrong = { ...config, apiKey: "111111-222222-333333-444444-555555" };
    const refusedBefore = failedKeys();
    const keyMails = (await alerts("refused Portico's API key")).length;

    let before = fake.state.requests.length;
    const first = await signUpWithMailbox(visitor(), wrong);
    expect(first.status).toBe("halted");
    expect(first.row).toMatchObject({
      status: "pending",
      lastErrorKey: "auth",
    });
    expect(first.row.lastErrorMessage).toMatch(/Try again/);
    // The name check met the 401; the attempt then sent nothing.
    expect(routesSince(before)).toEqual([
      `GET get/mailbox/${first.row.localPart}%40${DOMAIN}`,
    ]);
    expect(await alerts("refused Portico's API key")).toHaveLength(
      keyMails + 1,
    );

    before = fake.state.requests.length;
    const second = await signUpWithMailbox(visitor(), wrong);
    expect(second.row).toMatchObject({
      status: "pending",
      lastErrorKey: "auth",
    });
    const later = new Date(Date.now() + 24 * 3600_000);
    expect(
      await provisionDueMailboxes(t.db, mailcowClient(wrong), later),
    ).toEqual({ attempted: 0, active: 0, pending: 0, failed: 0, halted: true });
    const job = await runMailJob(t.db, {
      transport: null,
      imap: null,
      mailcow: wrong,
      now: later,
    });
    expect(job.ran && job.mailboxes).toMatchObject({
      attempted: 0,
      halted: true,
    });
    const page = await liveMailbox(t.db, wrong, `x@${DOMAIN}`);
    expect(page.mailbox).toMatchObject({ ok: false, kind: "auth" });
    expect(routesSince(before)).toEqual([]);
    // Told once, not once per signup or run.
    expect(await alerts("refused Portico's API key")).toHaveLength(
      keyMails + 1,
    );

    // An admin tries again before fixing anything: one call, the answer on screen, no mail.
    const admin = await buildUser(t.db, { role: "admin" });
    const retried = await retryMailcowKey(t.db, mailcowClient(wrong), {
      actorId: admin.id,
      now: new Date(),
    });
    expect(!retried.ok && retried.error.message).toMatch(
      /still refuses the key/,
    );
    expect(routesSince(before)).toEqual(["POST edit/mailbox"]);
    expect(await getMailcowHalt(t.db, mailcowClient(wrong))).not.toBeNull();
    expect(await alerts("refused Portico's API key")).toHaveLength(
      keyMails + 1,
    );
    expect(failedKeys() - refusedBefore).toBe(2);

    // The key changes: the scheduled run creates both mailboxes.
    expect(await getMailcowHalt(t.db, mailcowClient(config))).toBeNull();
    const run = await provisionDueMailboxes(t.db, mailcowClient(config), later);
    expect(run.halted).toBe(false);
    for (const { row } of [first, second])
      expect(await rowOf(row.userId)).toMatchObject({ status: "active" });
  });

  it("a read-only key (403): reads work, the first create stops every later call, and admins are told it is read-only", async () => {
    const readOnly = { ...config, apiKey: fake.readOnlyKey };
    const mailsBefore = (await alerts("refused Portico's API key")).length;
    let before = fake.state.requests.length;
    const first = await signUpWithMailbox(visitor(), readOnly);
    expect(first.row).toMatchObject({
      status: "pending",
      lastErrorKey: "auth",
    });
    expect(routesSince(before)).toEqual([
      `GET get/mailbox/${first.row.localPart}%40${DOMAIN}`,
      "GET get/alias/all",
      "GET get/passwordpolicy",
      "POST add/mailbox",
    ]);
    const [mail] = await t.db
      .select({ body: outboundMail.bodyText })
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.toAddress, "ops@portico.test"),
          eq(
            outboundMail.subject,
            "Mailcow refused Portico's API key: mailboxes wait for you",
          ),
        ),
      )
      .orderBy(outboundMail.createdAt)
      .offset(mailsBefore);
    expect(mail?.body).toMatch(/read-only key/);

    before = fake.state.requests.length;
    await signUpWithMailbox(visitor(), readOnly);
    await provisionDueMailboxes(
      t.db,
      mailcowClient(readOnly),
      new Date(Date.now() + 24 * 3600_000),
    );
    expect(routesSince(before)).toEqual([]);

    // An admin's retry from the customer page is a person acting: it lifts the stop and tries once.
    const admin = await buildUser(t.db, { role: "admin" });
    const retried = await retryMailbox(
      t.db,
      mailcowClient(readOnly),
      first.row.id,
      { actorId: admin.id, now: new Date() },
    );
    expect(retried).toMatchObject({ ok: true, value: { status: "halted" } });
    expect(routesSince(before)).toEqual(["POST add/mailbox"]);
    expect(await alerts("refused Portico's API key")).toHaveLength(
      mailsBefore + 1,
    );
  });
});

describe("a mailbox Mailcow answers {} for (§5.4)", () => {
  it("is missing, not active, and the customer can create it again under the same name", async () => {
    const input = visitor();
    const { row } = await signUpWithMailbox(input);
    expect(row.status).toBe("active");
    const address = `${row.localPart}@${DOMAIN}`;

    const present = await liveMailbox(t.db, config, address);
    expect(isGoneFromMailcow(row, present.mailbox)).toBe(false);
    const refused = await requestMailboxAgain(t.db, config, {
      userId: row.userId,
      input: newMailboxInput.parse({
        mailboxName: row.localPart,
        password: "Granite-Orchard-77",
        confirm: "Granite-Orchard-77",
      }),
      now: new Date(),
    });
    expect(!refused.ok && refused.error.message).toBe(
      "You already have a mailbox.",
    );

    fake.state.mailboxes.delete(address);
    const gone = await liveMailbox(t.db, config, address);
    expect(gone.mailbox).toEqual({ ok: true, value: null });
    expect(isGoneFromMailcow(row, gone.mailbox)).toBe(true);
    // An answer that cannot be read is not "missing".
    fake.failNext("html-500", { route: "get/mailbox" });
    const unreadable = await liveMailbox(t.db, config, address);
    expect(isGoneFromMailcow(row, unreadable.mailbox)).toBe(false);

    const again = await requestMailboxAgain(t.db, config, {
      userId: row.userId,
      input: newMailboxInput.parse({
        mailboxName: row.localPart,
        password: "Granite-Orchard-77",
        confirm: "Granite-Orchard-77",
      }),
      now: new Date(),
    });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value).toMatchObject({ status: "pending", attempts: 0 });
    await provisionWithinBudget(t.db, config, again.value, {
      password: "Granite-Orchard-77",
      now: new Date(),
      keepAlive: () => {},
      deadline: Date.now() + 10_000,
    });
    expect(await rowOf(row.userId)).toMatchObject({ status: "active" });
    expect(fake.checkPassword(address, "Granite-Orchard-77")).toBe(true);
    const requestedAgain = (await auditTrail(t.db, "mailbox", row.id)).filter(
      (a) => a.action === "mailbox.requested",
    );
    expect(requestedAgain.at(-1)?.data).toMatchObject({
      previousStatus: "active",
      missingInMailcow: true,
    });
  });
});

describe("a password change refused for the domain's limits (§5.2)", () => {
  it("tells the customer and alerts the administrators once per cause", async () => {
    const input = visitor();
    const { row } = await signUpWithMailbox(input);
    const address = `${row.localPart}@${DOMAIN}`;
    const change = (password: string) =>
      changeMailboxPassword(t.db, mailcowClient(config), {
        viewer: { id: row.userId, email: input.email },
        input: { password, confirm: password, currentPassword: PASSWORD },
        now: new Date(),
      });
    const subject = `Mailbox ${address}: Mailcow refuses changes`;
    const limits = fake.state.domains.get(DOMAIN)!;
    const saved = { ...limits };
    try {
      // An operator lowers the per-mailbox maximum below this mailbox's 1024 MiB.
      fake.setDomainLimits(DOMAIN, { maxQuotaMib: 10 });
      const refused = await change("Granite-Orchard-77");
      expect(!refused.ok && refused.error.message).toMatch(
        /storage limit is sorted out.*Our team has been told/,
      );
      expect(await alerts(subject)).toEqual([
        { to: "ops@portico.test", subject },
      ]);
      const [mail] = await t.db
        .select({ body: outboundMail.bodyText })
        .from(outboundMail)
        .where(
          and(
            eq(outboundMail.subject, subject),
            eq(outboundMail.toAddress, "ops@portico.test"),
          ),
        );
      expect(mail?.body).toMatch(
        /only 10 MiB of storage left for this mailbox's 1,024 MiB/,
      );
      expect(await rowOf(row.userId)).toMatchObject({
        status: "active",
        lastErrorKey: "mailbox_quota_left_exceeded",
      });

      // The same cause again: the customer is told again, the staff are not.
      expect((await change("Granite-Orchard-78")).ok).toBe(false);
      expect(await alerts(subject)).toHaveLength(1);

      // Sorted out: the change goes through and the cause is cleared, so a new drop alerts anew.
      Object.assign(limits, saved);
      expect((await change("Granite-Orchard-79")).ok).toBe(true);
      expect(await rowOf(row.userId)).toMatchObject({ lastErrorKey: null });
      fake.setDomainLimits(DOMAIN, { maxQuotaMib: 10 });
      expect((await change("Granite-Orchard-80")).ok).toBe(false);
      expect(await alerts(subject)).toHaveLength(2);
    } finally {
      Object.assign(limits, saved);
    }
    expect(
      (await auditTrail(t.db, "mailbox", row.id))
        .map((a) => a.action)
        .filter((a) => a === "mailbox.change_refused"),
    ).toHaveLength(2);
  });
});
