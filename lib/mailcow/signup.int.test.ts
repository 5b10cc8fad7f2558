import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxes, outboundMail } from "@/db/schema";
import { signUpInput } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import type { MailcowConfig } from "@/lib/env";
import { runMailJob } from "@/lib/jobs/mail-job";
import { changeMailboxPassword } from "@/lib/mailcow/change-password";
import { createMailcowClient } from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import { mailcowClient, provisionWithinBudget } from "@/lib/mailcow/provision";
import { requestMailboxAgain } from "@/lib/mailcow/request-again";
import { newMailboxInput } from "@/lib/mailcow/schemas";
import { buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { fakeMailcowConfig } from "@/testing/mailcow/config";

// Issue 6 end to end below the browser: a customer signs up and gets a mailbox, whatever Mailcow
// answers (docs/mailcow.md), then changes its password from the mailbox page.

const DOMAIN = "example.net";
const PASSWORD = "Violet-Harbour-42";
let t: TestDb;
let fake: FakeMailcow;
let config: MailcowConfig;
// Nothing listens here: Mailcow is down.
let down: MailcowConfig;

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
  down = { ...config, apiUrl: "http://127.0.0.1:9" };
  await buildUser(t.db, { email: "ops@portico.test", role: "admin" });
});

/** The alerts administrators got about a mailbox. */
const alertsAbout = async (address: string) =>
  (
    await t.db
      .select({ to: outboundMail.toAddress, subject: outboundMail.subject })
      .from(outboundMail)
      .where(eq(outboundMail.kind, "mailbox_alert"))
  ).filter((m) => m.subject.includes(address));
afterAll(async () => {
  await Promise.all([t?.close(), fake?.close()]);
});

let n = 0;
function visitor(over: { mailboxName?: string; password?: string } = {}) {
  n += 1;
  return signUpInput.parse({
    name: `Jane Doe ${n}`,
    email: `jane${n}@customer.test`,
    password: over.password ?? PASSWORD,
    mailboxName: over.mailboxName ?? `jane${n}`,
  });
}

/** What the signup action does: create the account, then one bounded attempt; wait for the rest. */
async function signUpWithMailbox(
  input: ReturnType<typeof visitor>,
  cfg: MailcowConfig = config,
) {
  const now = new Date();
  const created = await signUp(t.db, input, { mailcow: config, now });
  if (!created.ok) return { created, status: null, mailbox: null };
  const background: Promise<unknown>[] = [];
  const status = await provisionWithinBudget(
    t.db,
    cfg,
    created.value.mailbox!,
    { password: input.password, now, keepAlive: (p) => background.push(p) },
  );
  await Promise.all(background);
  return { created, status, mailbox: await rowOf(created.value.subject!.id) };
}

function requested(created: Awaited<ReturnType<typeof signUp>>) {
  if (!created.ok) throw new Error(created.error.message);
  return created.value.mailbox!;
}

async function rowOf(userId: string) {
  const [row] = await t.db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.userId, userId));
  return row!;
}

const auditActions = async (id: string) =>
  (await auditTrail(t.db, "mailbox", id)).map((a) => a.action);

describe("signing up with a mailbox", () => {
  it("creates the mailbox with the signup password: active, TLS enforced, the configured quota", async () => {
    const input = visitor();
    const { status, mailbox } = await signUpWithMailbox(input);
    expect(status).toBe("active");
    expect(mailbox).toMatchObject({ status: "active", mustSetPassword: false });
    const address = `${input.mailboxName}@${DOMAIN}`;
    const box = fake.state.mailboxes.get(address)!;
    expect(box).toMatchObject({ active: 1, quotaBytes: 1024 * 1048576 });
    expect(box.attributes).toMatchObject({
      force_pw_update: "0",
      tls_enforce_in: "1",
      tls_enforce_out: "1",
    });
    expect(fake.checkPassword(address, PASSWORD)).toBe(true);
    expect(await auditActions(mailbox!.id)).toEqual([
      "mailbox.requested",
      "mailbox.provisioned",
    ]);
  });

  it("requires a mailbox name when mailboxes are on, and none when they are off", async () => {
    const refused = await signUp(
      t.db,
      { ...visitor(), mailboxName: undefined },
      { mailcow: config },
    );
    expect(!refused.ok && refused.error.fields?.mailboxName).toEqual([
      "Choose a name for your mailbox.",
    ]);
    const off = await signUp(t.db, visitor(), { mailcow: null });
    expect(off.ok && off.value.mailbox).toBeNull();
  });

  it("refuses reserved names and malformed ones in the form, before anything is created", () => {
    for (const [name, message] of [
      ["postmaster", /kept for the company/],
      ["support", /kept for the company/],
      ["jane..doe", /single "\.", "-" or "_"/],
      ["-jane", /not at the start or end/],
    ] as const) {
      const parsed = signUpInput.safeParse({
        name: "Jane",
        email: "jane@x.test",
        password: PASSWORD,
        mailboxName: name,
      });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(message);
    }
    // Upper case is simply lower-cased: addresses are case-insensitive.
    expect(
      signUpInput.parse({
        name: "Jane",
        email: "jane@x.test",
        password: PASSWORD,
        mailboxName: " Jane.Doe ",
      }).mailboxName,
    ).toBe("jane.doe");
  });

  it("refuses a name another customer has, and one Mailcow already has, suggesting a free one", async () => {
    const first = visitor({ mailboxName: "anna.taken" });
    await signUpWithMailbox(first);
    const again = await signUp(t.db, visitor({ mailboxName: "anna.taken" }), {
      mailcow: config,
    });
    expect(!again.ok && again.error.fields?.mailboxName).toEqual([
      '"anna.taken" is already taken. How about "anna.taken2"?',
    ]);

    // A mailbox the company made by hand in Mailcow, unknown to Portico.
    await createMailcowClient({
      apiUrl: fake.url,
      apiKey: fake.apiKey,
    }).createMailbox({
      localPart: "office",
      domain: DOMAIN,
      name: "Office",
      password: "Some-Office-Pass-1",
      quotaMb: 10,
    });
    const office = await signUp(t.db, visitor({ mailboxName: "office" }), {
      mailcow: config,
    });
    expect(!office.ok && office.error.fields?.mailboxName?.[0]).toMatch(
      /"office" is already taken\. How about "office2"\?/,
    );
  });

  it("signup still succeeds when Mailcow is down; the scheduled run creates the mailbox and asks for a password", async () => {
    const input = visitor();
    const { created, status, mailbox } = await signUpWithMailbox(input, down);
    expect(created.ok).toBe(true);
    expect(status).toBe("pending");
    expect(mailbox).toMatchObject({
      status: "pending",
      lastErrorKey: "unknown",
    });
    const address = `${input.mailboxName}@${DOMAIN}`;
    expect(fake.state.mailboxes.has(address)).toBe(false);
    // An outage clears up by itself: nobody is mailed about it.
    expect(await alertsAbout(address)).toEqual([]);

    const run = await runMailJob(t.db, {
      transport: null,
      now: new Date(mailbox!.nextAttemptAt!.getTime() + 1),
      imap: null,
      mailcow: config,
    });
    expect(run.ran && run.mailboxes).toMatchObject({ active: 1 });
    const after = await rowOf(mailbox!.userId);
    expect(after).toMatchObject({ status: "active", mustSetPassword: true });
    // A generated password the customer never saw; Mailcow asks for a new one.
    expect(fake.checkPassword(address, PASSWORD)).toBe(false);
    expect(fake.state.mailboxes.get(address)?.attributes.force_pw_update).toBe(
      "1",
    );

    const changed = await changeMailboxPassword(t.db, mailcowClient(config), {
      viewer: { id: mailbox!.userId, email: input.email },
      input: {
        password: "Granite-Orchard-77",
        confirm: "Granite-Orchard-77",
        currentPassword: PASSWORD,
      },
      now: new Date(),
    });
    expect(changed.ok).toBe(true);
    expect(fake.checkPassword(address, "Granite-Orchard-77")).toBe(true);
    expect(fake.state.mailboxes.get(address)?.attributes.force_pw_update).toBe(
      "0",
    );
    expect(await rowOf(mailbox!.userId)).toMatchObject({
      mustSetPassword: false,
    });
    expect(await auditActions(mailbox!.id)).toEqual([
      "mailbox.requested",
      "mailbox.retry_scheduled",
      "mailbox.provisioned",
      "mailbox.password_changed",
    ]);
  });

  it("answers within its budget when Mailcow is slow; the attempt finishes afterwards", async () => {
    const input = visitor();
    fake.failNext("delay", { route: "add/mailbox", delayMs: 600 });
    const now = new Date();
    const row = requested(await signUp(t.db, input, { mailcow: config, now }));
    const background: Promise<unknown>[] = [];
    const status = await provisionWithinBudget(t.db, config, row, {
      password: input.password,
      now,
      keepAlive: (p) => background.push(p),
      deadline: Date.now() + 100,
    });
    expect(status).toBe("in_progress");
    await Promise.all(background);
    expect(await rowOf(row.userId)).toMatchObject({
      status: "active",
      mustSetPassword: false,
    });
  });

  it("a refused API key is met once at signup, and the mailbox waits for the operator", async () => {
    const input = visitor();
    const before = fake.state.requests.length;
    const { status, mailbox } = await signUpWithMailbox(input, {
      ...config,
      apiKey: "WRONG-KEY-0000",
    });
    expect(status).toBe("halted");
    expect(mailbox).toMatchObject({ status: "pending", lastErrorKey: "auth" });
    // The name check ran with the right key; then the policy read met the 401, and nothing else
    // was sent (fail2ban counts each one).
    expect(fake.state.requests.slice(before).map((r) => r.route)).toEqual([
      `get/mailbox/${input.mailboxName}%40${DOMAIN}`,
      "get/alias/all",
      "get/passwordpolicy",
    ]);
    expect(fake.state.requests.at(-1)?.status).toBe(401);
  });

  it("a signup password that is too short for a mailbox, or fails Mailcow's policy, still gets a mailbox", async () => {
    // 11 characters: fine for the portal (10), short of the mailbox rule (12).
    const short = visitor({ password: "short-pass1" });
    const a = await signUpWithMailbox(short);
    expect(a.mailbox).toMatchObject({
      status: "active",
      mustSetPassword: true,
    });
    expect(
      fake.checkPassword(`${short.mailboxName}@${DOMAIN}`, "short-pass1"),
    ).toBe(false);

    const saved = { ...fake.state.policy };
    Object.assign(fake.state.policy, { numbers: 1, special_chars: 1 });
    try {
      const plain = visitor({ password: "violet harbour lantern" });
      const b = await signUpWithMailbox(plain);
      expect(b.mailbox).toMatchObject({
        status: "active",
        mustSetPassword: true,
      });
      expect(await auditActions(b.mailbox!.id)).toEqual([
        "mailbox.requested",
        "mailbox.provisioned",
      ]);
    } finally {
      Object.assign(fake.state.policy, saved);
    }
  });
});

describe("every refusal signup can meet", () => {
  // docs/mailcow.md §5.1: the keys a create with Portico's body can get, and what the customer is left with.
  const cases: {
    key: string;
    arrange?: (name: string) => Partial<MailcowConfig> | void;
    between?: (name: string) => Promise<void>;
    status: "failed" | "pending";
  }[] = [
    {
      key: "object_exists",
      // Made in Mailcow for someone else after the name check passed.
      between: (name) =>
        createMailcowClient({ apiUrl: fake.url, apiKey: fake.apiKey })
          .createMailbox({
            localPart: name,
            domain: DOMAIN,
            name: "Someone Else",
            password: "Someone-Else-Pass-1",
            quotaMb: 10,
          })
          .then(() => undefined),
      status: "failed",
    },
    {
      key: "is_alias",
      // Made an alias after the name check, which would have seen it.
      between: async (name) => void fake.state.aliases.add(`${name}@${DOMAIN}`),
      status: "failed",
    },
    {
      key: "is_spam_alias",
      arrange: (name) => void fake.state.spamAliases.add(`${name}@${DOMAIN}`),
      status: "failed",
    },
    {
      key: "access_denied",
      arrange: () => ({ domain: "not-a-mailcow-domain.test" }),
      status: "failed",
    },
    {
      key: "domain_not_found",
      arrange: () => {
        fake.state.aliasDomains.set("alias-domain.test", DOMAIN);
        return { domain: "alias-domain.test" };
      },
      status: "failed",
    },
    {
      key: "max_mailbox_exceeded",
      arrange: () =>
        fake.setDomainLimits(DOMAIN, {
          maxMailboxes: fake.state.mailboxes.size,
        }),
      status: "pending",
    },
    {
      key: "mailbox_quota_exceeded",
      arrange: () => ({ quotaMb: 20 * 1024 }),
      status: "pending",
    },
    {
      key: "mailbox_quota_left_exceeded",
      arrange: () =>
        fake.setDomainLimits(DOMAIN, {
          totalQuotaMib: Math.ceil(
            [...fake.state.mailboxes.values()].reduce(
              (sum, m) => sum + m.quotaBytes / 1048576,
              0,
            ),
          ),
        }),
      status: "pending",
    },
  ];

  it.each(cases)(
    "$key leaves the account working and the mailbox $status, with a human reason",
    async ({ key, arrange, between, status }) => {
      const input = visitor();
      const limits = fake.state.domains.get(DOMAIN)!;
      const saved = { ...limits };
      const over = arrange?.(input.mailboxName!) ?? {};
      try {
        const cfg = { ...config, ...over };
        const now = new Date();
        const row = requested(await signUp(t.db, input, { mailcow: cfg, now }));
        await between?.(input.mailboxName!);
        await provisionWithinBudget(t.db, cfg, row, {
          password: input.password,
          now,
          keepAlive: () => {},
          deadline: Date.now() + 10_000,
        });
        const after = await rowOf(row.userId);
        expect(after).toMatchObject({ status, lastErrorKey: key });
        expect(after.lastErrorMessage).toMatch(/^[A-Z].*\.$/);
        expect(after.lastErrorMessage).not.toContain(key);
        // Each needs a person: the administrators hear of it.
        expect(await alertsAbout(`${after.localPart}@${after.domain}`)).toEqual(
          [
            {
              to: "ops@portico.test",
              subject:
                status === "failed"
                  ? `Mailbox ${after.localPart}@${after.domain} could not be created`
                  : `Mailbox ${after.localPart}@${after.domain} is waiting: ${after.lastErrorMessage}`,
            },
          ],
        );
      } finally {
        Object.assign(limits, saved);
      }
    },
  );

  it("a customer whose name was refused picks another on the mailbox page and gets it", async () => {
    const input = visitor();
    const now = new Date();
    const row = requested(await signUp(t.db, input, { mailcow: config, now }));
    // Made an alias between the name check and the create.
    fake.state.aliases.add(`${input.mailboxName}@${DOMAIN}`);
    await provisionWithinBudget(t.db, config, row, {
      password: input.password,
      now,
      keepAlive: () => {},
      deadline: Date.now() + 10_000,
    });
    const mailbox = await rowOf(row.userId);
    expect(mailbox).toMatchObject({
      status: "failed",
      lastErrorKey: "is_alias",
    });

    const again = await requestMailboxAgain(t.db, config, {
      userId: mailbox!.userId,
      input: newMailboxInput.parse({
        mailboxName: `${input.mailboxName}.mail`,
        password: "Granite-Orchard-77",
        confirm: "Granite-Orchard-77",
      }),
      now: new Date(),
    });
    if (!again.ok) throw new Error(again.error.message);
    await provisionWithinBudget(t.db, config, again.value, {
      password: "Granite-Orchard-77",
      now: new Date(),
      keepAlive: () => {},
      deadline: Date.now() + 10_000,
    });
    const address = `${input.mailboxName}.mail@${DOMAIN}`;
    expect(await rowOf(mailbox!.userId)).toMatchObject({
      status: "active",
      localPart: `${input.mailboxName}.mail`,
    });
    expect(fake.checkPassword(address, "Granite-Orchard-77")).toBe(true);
  });
});

describe("changing the mailbox password", () => {
  async function activeCustomer() {
    const input = visitor();
    const { mailbox } = await signUpWithMailbox(input);
    expect(mailbox?.status).toBe("active");
    return {
      viewer: { id: mailbox!.userId, email: input.email },
      address: `${input.mailboxName}@${DOMAIN}`,
    };
  }
  const change = (
    viewer: { id: string; email: string },
    password: string,
    currentPassword = PASSWORD,
    client = mailcowClient(config),
  ) =>
    changeMailboxPassword(t.db, client, {
      viewer,
      input: { password, confirm: password, currentPassword },
      now: new Date(),
    });

  it("asks for the portal password, not the old mailbox password", async () => {
    const { viewer, address } = await activeCustomer();
    const wrong = await change(viewer, "Granite-Orchard-77", "not my password");
    expect(!wrong.ok && wrong.error.fields?.currentPassword).toEqual([
      "That is not your portal password.",
    ]);
    expect(fake.checkPassword(address, PASSWORD)).toBe(true);
  });

  it("checks Mailcow's live policy first, in words, and sends nothing that fails it", async () => {
    const { viewer, address } = await activeCustomer();
    const saved = { ...fake.state.policy };
    Object.assign(fake.state.policy, { length: 16, numbers: 1, lowerupper: 1 });
    try {
      const edits = () =>
        fake.state.requests.filter((r) => r.route === "edit/mailbox").length;
      const before = edits();
      const refused = await change(viewer, "granite orchard lane");
      expect(!refused.ok && refused.error.fields?.password).toEqual([
        "Include both lower-case and upper-case letters.",
        "Include at least one digit.",
      ]);
      expect(edits()).toBe(before);
      expect((await change(viewer, "Granite Orchard Lane 7")).ok).toBe(true);
      expect(fake.checkPassword(address, "Granite Orchard Lane 7")).toBe(true);
    } finally {
      Object.assign(fake.state.policy, saved);
    }
  });

  it("password_complexity from Mailcow (policy changed meanwhile) is a field error, not a key", async () => {
    const { viewer } = await activeCustomer();
    const client = mailcowClient(config);
    const saved = { ...fake.state.policy };
    const raced = {
      ...client,
      getPasswordPolicy: async () => {
        const read = await client.getPasswordPolicy();
        // The admin tightens the policy between Portico's read and its edit.
        Object.assign(fake.state.policy, { special_chars: 1 });
        return read;
      },
    };
    try {
      const r = await change(viewer, "GraniteOrchardLane7", PASSWORD, raced);
      expect(!r.ok && r.error.fields?.password?.[0]).toMatch(
        /password rules just changed/,
      );
    } finally {
      Object.assign(fake.state.policy, saved);
    }
  });

  it("explains a mailbox Mailcow lost, a quota problem, no answer, and a refused key", async () => {
    const { viewer, address } = await activeCustomer();

    fake.failNext("drop", { route: "edit/mailbox" });
    const dropped = await change(viewer, "Granite-Orchard-77");
    expect(!dropped.ok && dropped.error.message).toMatch(
      /did not answer in time.*repeating is safe/,
    );

    const wrongKey = await change(
      viewer,
      "Granite-Orchard-77",
      PASSWORD,
      mailcowClient({ ...config, apiKey: "WRONG-KEY-0000" }),
    );
    expect(!wrongKey.ok && wrongKey.error.message).toMatch(
      /temporarily unavailable/,
    );

    const limits = fake.state.domains.get(DOMAIN)!;
    const saved = { ...limits };
    fake.setDomainLimits(DOMAIN, { maxQuotaMib: 10 });
    try {
      const quota = await change(viewer, "Granite-Orchard-77");
      expect(!quota.ok && quota.error.message).toMatch(/storage limit/);
    } finally {
      Object.assign(limits, saved);
    }

    fake.state.mailboxes.delete(address);
    const lost = await change(viewer, "Granite-Orchard-77");
    expect(!lost.ok && lost.error.message).toMatch(
      /does not know this mailbox/,
    );
  });
});
