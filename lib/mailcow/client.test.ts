import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createMailcowClient,
  type CreateMailboxInput,
  type MailcowClientConfig,
} from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";

// The real client against the fake over loopback HTTP (docs/mailcow.md, §n).

let fake: FakeMailcow;
beforeEach(async () => {
  fake = await startFakeMailcow();
});
afterEach(async () => {
  await fake.close();
});

const client = (config: Partial<MailcowClientConfig> = {}) =>
  createMailcowClient({
    apiUrl: fake.url,
    apiKey: fake.apiKey,
    timeoutMs: 2_000,
    retryDelayMs: 0,
    ...config,
  });

const jane: CreateMailboxInput = {
  localPart: "jane.doe",
  domain: "example.net",
  name: "Jane Doe",
  password: "Blue-Kettle-42",
  quotaMb: 2048,
};

const routes = () => fake.state.requests.map((r) => `${r.method} ${r.route}`);

/** A fetch that records the JSON bodies the client sends. */
function recordingFetch(sent: unknown[]): typeof fetch {
  return (input, init) => {
    if (typeof init?.body === "string") sent.push(JSON.parse(init.body));
    return fetch(input, init);
  };
}

describe("createMailbox", () => {
  it("succeeds on the two success entries and sends flags as numbers", async () => {
    const sent: unknown[] = [];
    const result = await client({ fetch: recordingFetch(sent) }).createMailbox(
      jane,
    );
    expect(result).toEqual({
      ok: true,
      value: { address: "jane.doe@example.net", outcome: "created" },
    });
    expect(sent[0]).toMatchObject({
      active: 1,
      force_pw_update: 0,
      quota: 2048,
      tags: ["portico"],
    });
    expect(routes()).toEqual(["POST add/mailbox"]);
  });

  it("normalises the address before sending and in the result", async () => {
    const result = await client().createMailbox({
      ...jane,
      localPart: " Jane.Doe ",
      domain: "Example.NET",
    });
    expect(result).toMatchObject({
      ok: true,
      value: { address: "jane.doe@example.net" },
    });
    expect([...fake.state.mailboxes.keys()]).toEqual(["jane.doe@example.net"]);
  });

  it("adopts our own mailbox on object_exists when the caller's earlier attempt may have made it, and resets the password", async () => {
    const mailcow = client();
    await mailcow.createMailbox({ ...jane, password: "Old-Password-1" });
    const again = await mailcow.createMailbox({ ...jane, mayAdopt: true });
    expect(again).toEqual({
      ok: true,
      value: { address: "jane.doe@example.net", outcome: "adopted" },
    });
    expect(fake.checkPassword("jane.doe@example.net", jane.password)).toBe(
      true,
    );
  });

  it("never adopts on a first attempt: a mailbox with our tag and the same name may be another install's", async () => {
    const mailcow = client();
    await mailcow.createMailbox({ ...jane, password: "Their-Password-1" });
    const sent = fake.state.requests.length;
    const result = await mailcow.createMailbox(jane);
    expect(result).toMatchObject({
      ok: false,
      kind: "rejected",
      key: "object_exists",
      mayExist: false,
    });
    // Not one more call: no lookup, and above all no password reset on someone else's mailbox.
    expect(routes().slice(sent)).toEqual(["POST add/mailbox"]);
    expect(fake.checkPassword("jane.doe@example.net", "Their-Password-1")).toBe(
      true,
    );
  });

  it("refuses with object_exists when the mailbox is not ours, even when it may adopt", async () => {
    await client({ ownerTag: "someone-else" }).createMailbox(jane);
    const result = await client().createMailbox({ ...jane, mayAdopt: true });
    expect(result).toMatchObject({
      ok: false,
      kind: "rejected",
      key: "object_exists",
      args: ["jane.doe@example.net"],
      message: "A mailbox with this address already exists.",
    });
  });

  it("reconciles a create that timed out but happened: success, one mailbox", async () => {
    fake.failNext("delay", { route: "add/mailbox", delayMs: 5_000 });
    const result = await client({ timeoutMs: 300 }).createMailbox(jane);
    expect(result).toEqual({
      ok: true,
      value: { address: "jane.doe@example.net", outcome: "reconciled" },
    });
    expect(fake.state.mailboxes.size).toBe(1);
    expect(fake.checkPassword("jane.doe@example.net", jane.password)).toBe(
      true,
    );
    // The create is never retried: the GET found it, and the edit sets the intended password.
    expect(routes()).toEqual([
      "POST add/mailbox",
      "GET get/mailbox/jane.doe%40example.net",
      "POST edit/mailbox",
    ]);
    expect(fake.state.requests[0]?.status).toBe(0);
  });

  it("retries once after the reconciling GET finds nothing", async () => {
    fake.failNext("empty-500", { route: "add/mailbox" });
    const result = await client().createMailbox(jane);
    expect(result).toMatchObject({ ok: true, value: { outcome: "created" } });
    expect(routes()).toEqual([
      "POST add/mailbox",
      "GET get/mailbox/jane.doe%40example.net",
      "POST add/mailbox",
    ]);
  });

  it("gives up as unknown after one retry", async () => {
    fake.failNext("drop", { route: "add/mailbox" });
    fake.failNext("empty-200", { route: "add/mailbox" });
    const result = await client().createMailbox(jane);
    expect(result).toMatchObject({
      ok: false,
      kind: "unknown",
      mayExist: true,
    });
    expect(routes().filter((r) => r === "POST add/mailbox")).toHaveLength(2);
    expect(fake.state.mailboxes.size).toBe(0);
  });

  it("says the mailbox may exist when the lookup after an unanswered create is refused", async () => {
    // The create is applied, then the connection drops; the reconciling GET then meets a 401.
    fake.failNext("drop", { route: "add/mailbox", when: "after-commit" });
    const wrongKeyOnGet: typeof fetch = (input, init) => {
      if (init?.method !== "GET") return fetch(input, init);
      const headers = new Headers(init.headers);
      headers.set("X-API-Key", "WRONG-KEY");
      return fetch(input, { ...init, headers });
    };
    const result = await client({ fetch: wrongKeyOnGet }).createMailbox(jane);
    expect(result).toMatchObject({
      ok: false,
      kind: "auth",
      status: 401,
      mayExist: true,
    });
    expect(fake.state.mailboxes.has("jane.doe@example.net")).toBe(true);
  });

  const refusals: [
    string,
    () => void,
    Partial<CreateMailboxInput>,
    unknown[],
  ][] = [
    ["access_denied", () => undefined, { domain: "nope.example" }, []],
    [
      "is_alias",
      () => fake.state.aliases.add("sales@example.net"),
      { localPart: "sales" },
      ["sales@example.net"],
    ],
    [
      "is_spam_alias",
      () => fake.state.spamAliases.add("spam1@example.net"),
      { localPart: "spam1" },
      ["spam1@example.net"],
    ],
    [
      "domain_not_found",
      () => fake.state.aliasDomains.set("example.org", "example.net"),
      { domain: "example.org" },
      ["example.org"],
    ],
    ["domain_invalid", () => undefined, { domain: "-bad.example.net" }, []],
    ["password_complexity", () => (fake.state.policy.length = 20), {}, []],
    [
      "max_mailbox_exceeded",
      () => fake.setDomainLimits("example.net", { maxMailboxes: 0 }),
      {},
      [0, 0],
    ],
    [
      "mailbox_quota_exceeded",
      () => fake.setDomainLimits("example.net", { maxQuotaMib: 1024 }),
      {},
      [1024],
    ],
    [
      "mailbox_quota_left_exceeded",
      () => fake.setDomainLimits("example.net", { totalQuotaMib: 1024 }),
      {},
      [1024],
    ],
  ];
  for (const [key, arrange, change, args] of refusals)
    it(`reports ${key} as rejected with an explanation`, async () => {
      arrange();
      const result = await client().createMailbox({ ...jane, ...change });
      expect(result).toMatchObject({ ok: false, kind: "rejected", key, args });
      if (!result.ok && result.kind === "rejected")
        expect(result.message).not.toMatch(/refused the request/);
      expect(fake.state.mailboxes.size).toBe(0);
    });

  it("refuses inputs Mailcow would mishandle silently, without sending them", async () => {
    const mailcow = client();
    const cases: [Partial<CreateMailboxInput>, string][] = [
      [{ localPart: "jane+tag" }, "localPart"],
      [{ localPart: "jane..doe" }, "localPart"],
      [{ quotaMb: 0 }, "quotaMb"],
      [{ quotaMb: 1.5 }, "quotaMb"],
      [{ password: "{PLAIN}secret-secret" }, "password"],
      [{ password: "Blue\0Kettle-42" }, "password"],
      [{ password: "x".repeat(73) }, "password"],
    ];
    for (const [change, field] of cases) {
      const result = await mailcow.createMailbox({ ...jane, ...change });
      expect(result).toMatchObject({ ok: false, kind: "invalid", field });
      expect(JSON.stringify(result)).not.toContain("secret-secret");
    }
    expect(fake.state.requests).toHaveLength(0);
  });
});

describe("getMailbox", () => {
  it("returns null for Mailcow's {}", async () => {
    expect(await client().getMailbox("nobody@example.net")).toEqual({
      ok: true,
      value: null,
    });
  });

  it("returns quotas in bytes as numbers and maps the flags", async () => {
    const mailcow = client();
    await mailcow.createMailbox(jane);
    fake.setUsage("jane.doe@example.net", {
      quotaUsed: 52428800,
      messages: 12,
    });
    const result = await mailcow.getMailbox("Jane.Doe@Example.net");
    expect(result).toEqual({
      ok: true,
      value: {
        address: "jane.doe@example.net",
        localPart: "jane.doe",
        domain: "example.net",
        name: "Jane Doe",
        activity: "active",
        quotaBytes: 2048 * 1048576,
        quotaUsedBytes: 52428800,
        messages: 12,
        lastImapLoginAt: null,
        forcePasswordUpdate: false,
        tags: ["portico"],
      },
    });
  });

  it("reports a 5xx HTML page and an empty 200 as unknown", async () => {
    const mailcow = client();
    fake.failNext("html-500");
    expect(await mailcow.getMailbox("jane.doe@example.net")).toMatchObject({
      ok: false,
      kind: "unknown",
    });
    fake.failNext("empty-200");
    expect(await mailcow.getMailbox("jane.doe@example.net")).toMatchObject({
      ok: false,
      kind: "unknown",
    });
  });

  it("treats a redirect as a configuration error and does not follow it", async () => {
    fake.failNext("redirect");
    const result = await client().getMailbox("jane.doe@example.net");
    expect(result).toMatchObject({ ok: false, kind: "config" });
    expect(fake.state.requests).toHaveLength(1);
  });
});

describe("editMailbox", () => {
  beforeEach(async () => {
    await client().createMailbox(jane);
  });

  it("changes status, quota and name, sending flags as 1/0", async () => {
    const sent: unknown[] = [];
    const result = await client({ fetch: recordingFetch(sent) }).editMailbox(
      "jane.doe@example.net",
      { activity: "login_disabled", quotaMb: 4096, forcePasswordUpdate: true },
    );
    expect(result).toEqual({
      ok: true,
      value: { address: "jane.doe@example.net" },
    });
    expect(sent[0]).toEqual({
      items: ["jane.doe@example.net"],
      attr: { active: 2, quota: 4096, force_pw_update: 1 },
    });
    const got = await client().getMailbox("jane.doe@example.net");
    expect(got).toMatchObject({
      ok: true,
      value: {
        activity: "login_disabled",
        quotaBytes: 4096 * 1048576,
        forcePasswordUpdate: true,
      },
    });
  });

  it("changes the password when it meets the policy", async () => {
    const result = await client().editMailbox("jane.doe@example.net", {
      password: "Green-Teapot-77",
    });
    expect(result.ok).toBe(true);
    expect(fake.checkPassword("jane.doe@example.net", "Green-Teapot-77")).toBe(
      true,
    );
  });

  it("reports password_complexity from the live policy and keeps the old password", async () => {
    const mailcow = client();
    fake.state.policy = {
      length: 12,
      chars: 1,
      special_chars: 1,
      lowerupper: 1,
      numbers: 1,
    };
    const policy = await mailcow.getPasswordPolicy();
    expect(policy).toEqual({
      ok: true,
      value: {
        minBytes: 12,
        needsLetter: true,
        needsSpecial: true,
        needsLowerAndUpper: true,
        needsDigit: true,
      },
    });
    const result = await mailcow.editMailbox("jane.doe@example.net", {
      password: "green-teapot-seventy",
    });
    expect(result).toEqual({
      ok: false,
      kind: "rejected",
      key: "password_complexity",
      args: [],
      message: "The password does not meet Mailcow's password policy.",
    });
    expect(JSON.stringify(result)).not.toContain("green-teapot");
    expect(fake.checkPassword("jane.doe@example.net", jane.password)).toBe(
      true,
    );
  });

  it("reports access_denied for a mailbox that does not exist", async () => {
    const result = await client().editMailbox("nobody@example.net", {
      activity: "disabled",
    });
    expect(result).toMatchObject({
      ok: false,
      kind: "rejected",
      key: "access_denied",
    });
  });

  it("reports mailbox_quota_left_exceeded for a quota above the domain's room", async () => {
    const result = await client().editMailbox("jane.doe@example.net", {
      quotaMb: 20_000,
    });
    expect(result).toMatchObject({
      ok: false,
      kind: "rejected",
      key: "mailbox_quota_left_exceeded",
      args: [10240],
    });
  });

  it("refuses an empty password, which Mailcow would ignore", async () => {
    const result = await client().editMailbox("jane.doe@example.net", {
      password: "",
    });
    expect(result).toMatchObject({
      ok: false,
      kind: "invalid",
      field: "password",
    });
  });

  it("reports an empty 200 as unknown", async () => {
    fake.failNext("empty-200", { route: "edit/mailbox" });
    const result = await client().editMailbox("jane.doe@example.net", {
      activity: "disabled",
    });
    expect(result).toMatchObject({ ok: false, kind: "unknown" });
  });
});

describe("deleteMailbox", () => {
  it("deletes, then treats access_denied plus {} as already gone", async () => {
    const mailcow = client();
    await mailcow.createMailbox(jane);
    expect(await mailcow.deleteMailbox("jane.doe@example.net")).toEqual({
      ok: true,
      value: { outcome: "deleted" },
    });
    expect(await mailcow.deleteMailbox("jane.doe@example.net")).toEqual({
      ok: true,
      value: { outcome: "already_gone" },
    });
  });
});

describe("auth and transport", () => {
  it("never retries a 401 (one request reaches Mailcow)", async () => {
    const result = await client({ apiKey: "WRONG-KEY" }).createMailbox(jane);
    expect(result).toEqual({
      ok: false,
      kind: "auth",
      status: 401,
      message: "authentication failed",
      mayExist: false,
    });
    expect(fake.state.requests).toHaveLength(1);
  });

  it("reports 403 for a read-only key on a write, and reads with it", async () => {
    const readOnly = client({ apiKey: fake.readOnlyKey });
    expect(await readOnly.createMailbox(jane)).toEqual({
      ok: false,
      kind: "auth",
      status: 403,
      message: "API read/write access denied",
      mayExist: false,
    });
    expect(fake.state.requests).toHaveLength(1);
    expect(fake.state.mailboxes.size).toBe(0);
    expect(await readOnly.ping()).toEqual({
      ok: true,
      value: { version: "2026-07" },
    });
  });

  it("reports a POST without the JSON content type as a configuration error", async () => {
    const stripContentType: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete("Content-Type");
      return fetch(input, { ...init, headers });
    };
    const result = await client({ fetch: stripContentType }).createMailbox(
      jane,
    );
    expect(result).toMatchObject({
      ok: false,
      kind: "config",
      detail: expect.stringContaining("Cannot find attributes in post data"),
    });
    expect(fake.state.requests).toHaveLength(1);
  });

  it("reports an empty API key as a configuration error without calling", async () => {
    expect(await client({ apiKey: "" }).ping()).toMatchObject({
      ok: false,
      kind: "config",
    });
    expect(fake.state.requests).toHaveLength(0);
  });

  it("reads domain capacity in bytes, and null for an unknown domain", async () => {
    const mailcow = client();
    await mailcow.createMailbox(jane);
    expect(await mailcow.getDomain("Example.NET")).toEqual({
      ok: true,
      value: {
        domain: "example.net",
        isActive: true,
        maxMailboxes: 10,
        mailboxes: 1,
        mailboxesLeft: 9,
        maxQuotaPerMailboxBytes: 10240 * 1048576,
        maxQuotaForDomainBytes: 10240 * 1048576,
        quotaAllocatedBytes: 2048 * 1048576,
        maxNewMailboxQuotaBytes: 8192 * 1048576,
      },
    });
    expect(await mailcow.getDomain("nope.example")).toEqual({
      ok: true,
      value: null,
    });
  });
});

describe("listAliasAddresses", () => {
  it("lists every alias, lower-cased, and an empty list for Mailcow's `{}`", async () => {
    expect(await client().listAliasAddresses()).toEqual({
      ok: true,
      value: [],
    });
    fake.state.aliases.add("sales@example.net");
    fake.state.aliases.add("Info@Example.net");
    expect(await client().listAliasAddresses()).toEqual({
      ok: true,
      value: ["sales@example.net", "info@example.net"],
    });
    expect(routes()).toEqual(["GET get/alias/all", "GET get/alias/all"]);
  });
});

describe("checkWriteAccess", () => {
  it("passes for the read-write key without changing anything, and is a 403 for the read-only key", async () => {
    await client().createMailbox(jane);
    const before = JSON.stringify([...fake.state.mailboxes.values()]);
    expect(await client().checkWriteAccess()).toEqual({
      ok: true,
      value: null,
    });
    expect(JSON.stringify([...fake.state.mailboxes.values()])).toBe(before);
    expect(
      await client({ apiKey: fake.readOnlyKey }).checkWriteAccess(),
    ).toMatchObject({ ok: false, kind: "auth", status: 403 });
    expect(
      await client({ apiKey: "WRONG-KEY" }).checkWriteAccess(),
    ).toMatchObject({ ok: false, kind: "auth", status: 401 });
  });
});

describe("keyFingerprint", () => {
  it("differs per key and URL, and does not contain the key", () => {
    const a = client().keyFingerprint;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(client().keyFingerprint).toBe(a);
    expect(client({ apiKey: fake.readOnlyKey }).keyFingerprint).not.toBe(a);
    expect(client({ apiUrl: `${fake.url}/` }).keyFingerprint).toBe(a);
    expect(client({ apiUrl: "http://127.0.0.1:9" }).keyFingerprint).not.toBe(a);
    expect(fake.apiKey.replace(/-/g, "").toLowerCase()).not.toContain(a);
  });
});
