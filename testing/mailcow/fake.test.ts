import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";

// The fake itself, spoken to over raw HTTP, against docs/mailcow.md (§n).

let fake: FakeMailcow;
beforeEach(async () => {
  fake = await startFakeMailcow();
});
afterEach(async () => {
  await fake.close();
});

type RawOptions = {
  method?: string;
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  contentType?: string | null;
};

async function raw(route: string, options: RawOptions = {}) {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? fake.apiKey : options.key;
  if (key !== null) headers["X-API-Key"] = key;
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody && options.contentType !== null)
    headers["Content-Type"] = options.contentType ?? "application/json";
  const res = await fetch(`${fake.url}/api/v1/${route}`, {
    method: options.method ?? (hasBody ? "POST" : "GET"),
    headers,
    body:
      options.rawBody ?? (hasBody ? JSON.stringify(options.body) : undefined),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // Left undefined: several of Mailcow's replies have empty or non-JSON bodies.
  }
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    text,
    json,
  };
}

const jane = {
  local_part: "jane.doe",
  domain: "example.net",
  name: "Jane Doe",
  quota: 2048,
  password: "Blue-Kettle-42",
  password2: "Blue-Kettle-42",
  active: 1,
};

const msgs = (json: unknown) =>
  (json as { type: string; msg: unknown }[]).map((e) => [e.type, e.msg]);

describe("add/mailbox (§5.1)", () => {
  it("answers rl_saved then mailbox_added and stores the quota in bytes", async () => {
    const res = await raw("add/mailbox", { body: jane });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("application/json; charset=utf-8");
    expect(msgs(res.json)).toEqual([
      ["success", ["rl_saved", "jane.doe@example.net"]],
      ["success", ["mailbox_added", "jane.doe@example.net"]],
    ]);
    const got = await raw("get/mailbox/jane.doe%40example.net");
    expect(got.json).toMatchObject({
      username: "jane.doe@example.net",
      quota: 2048 * 1048576,
      active: 1,
      percent_in_use: 0,
    });
    expect(got.json).not.toHaveProperty("tags");
  });

  it("normalises the local part and the domain (§4)", async () => {
    await raw("add/mailbox", {
      body: { ...jane, local_part: " Jane.Doe ", domain: "EXAMPLE.Net" },
    });
    expect([...fake.state.mailboxes.keys()]).toEqual(["jane.doe@example.net"]);
  });

  it("reads flags and quota with PHP intval (§4)", async () => {
    await raw("add/mailbox", {
      body: {
        ...jane,
        active: "true",
        force_pw_update: "yes",
        tls_enforce_in: true,
        quota: "3 GB",
      },
    });
    const box = fake.state.mailboxes.get("jane.doe@example.net");
    expect(box?.active).toBe(0);
    expect(box?.attributes.force_pw_update).toBe("0");
    expect(box?.attributes.tls_enforce_in).toBe("1");
    expect(box?.quotaBytes).toBe(3 * 1048576);
  });

  it("treats an omitted or non-numeric quota as unlimited (§4)", async () => {
    await raw("add/mailbox", { body: { ...jane, quota: "abc" } });
    const got = await raw("get/mailbox/jane.doe@example.net");
    expect(got.json).toMatchObject({
      quota: 0,
      percent_in_use: "- ",
      percent_class: "info",
    });
  });

  const cases: [string, Record<string, unknown>, unknown][] = [
    [
      "mailbox_invalid (double dot)",
      { local_part: "jane..doe" },
      "mailbox_invalid",
    ],
    [
      "mailbox_invalid (no dot in domain)",
      { domain: "localhost" },
      "mailbox_invalid",
    ],
    [
      "quarantine_category_invalid",
      { quarantine_category: "nope" },
      "quarantine_category_invalid",
    ],
    ["domain_invalid", { domain: "-bad.example.net" }, "domain_invalid"],
    [
      "access_denied for an unknown domain",
      { domain: "nope.example" },
      "access_denied",
    ],
    [
      "password_complexity for an empty password",
      { password: "", password2: "" },
      "password_complexity",
    ],
    [
      'password_complexity for a confirmation of "0"',
      { password2: "0" },
      "password_complexity",
    ],
    ["password_mismatch", { password2: "Blue-Kettle-43" }, "password_mismatch"],
    [
      "password_complexity below the policy length",
      { password: "abc", password2: "abc" },
      "password_complexity",
    ],
  ];
  for (const [title, change, msg] of cases)
    it(`refuses with ${title}`, async () => {
      const res = await raw("add/mailbox", { body: { ...jane, ...change } });
      expect(res.status).toBe(200);
      expect(msgs(res.json)).toEqual([["danger", msg]]);
      expect(fake.state.mailboxes.size).toBe(0);
    });

  it("checks object_exists before the password (§5.1)", async () => {
    await raw("add/mailbox", { body: jane });
    const res = await raw("add/mailbox", {
      body: { ...jane, password: "x", password2: "y" },
    });
    expect(msgs(res.json)).toEqual([
      ["danger", ["object_exists", "jane.doe@example.net"]],
    ]);
  });

  it("refuses is_alias, is_spam_alias and domain_not_found", async () => {
    fake.state.aliases.add("sales@example.net");
    fake.state.spamAliases.add("spam1@example.net");
    fake.state.aliasDomains.set("example.org", "example.net");
    const alias = await raw("add/mailbox", {
      body: { ...jane, local_part: "sales" },
    });
    const spam = await raw("add/mailbox", {
      body: { ...jane, local_part: "spam1" },
    });
    const aliasDomain = await raw("add/mailbox", {
      body: { ...jane, domain: "example.org" },
    });
    expect(msgs(alias.json)).toEqual([
      ["danger", ["is_alias", "sales@example.net"]],
    ]);
    expect(msgs(spam.json)).toEqual([
      ["danger", ["is_spam_alias", "spam1@example.net"]],
    ]);
    expect(msgs(aliasDomain.json)).toEqual([
      ["danger", ["domain_not_found", "example.org"]],
    ]);
  });

  it("enforces the domain's capacity (checks 14–16)", async () => {
    fake.setDomainLimits("example.net", {
      maxMailboxes: 2,
      maxQuotaMib: 1024,
      totalQuotaMib: 1536,
    });
    const tooBig = await raw("add/mailbox", { body: { ...jane, quota: 2048 } });
    expect(msgs(tooBig.json)).toEqual([
      ["danger", ["mailbox_quota_exceeded", 1024]],
    ]);
    await raw("add/mailbox", {
      body: { ...jane, local_part: "a", quota: 1024 },
    });
    const left = await raw("add/mailbox", { body: { ...jane, quota: 1024 } });
    expect(msgs(left.json)).toEqual([
      ["danger", ["mailbox_quota_left_exceeded", 512]],
    ]);
    await raw("add/mailbox", {
      body: { ...jane, local_part: "b", quota: 512 },
    });
    const full = await raw("add/mailbox", { body: { ...jane, quota: 1 } });
    expect(msgs(full.json)).toEqual([
      ["danger", ["max_mailbox_exceeded", 2, 2]],
    ]);
  });

  it("crashes with an empty body on a NUL byte, creating nothing (§5.1)", async () => {
    const res = await raw("add/mailbox", {
      body: { ...jane, password: "Blue\0Kettle", password2: "Blue\0Kettle" },
    });
    expect([res.status, res.text]).toEqual([200, ""]);
    expect(fake.state.mailboxes.size).toBe(0);
  });
});

describe("edit/mailbox (§5.2)", () => {
  beforeEach(async () => {
    await raw("add/mailbox", { body: jane });
  });

  it("changes the password and reports mailbox_modified", async () => {
    const res = await raw("edit/mailbox", {
      body: {
        items: ["jane.doe@example.net"],
        attr: { password: "Green-Teapot-77", password2: "Green-Teapot-77" },
      },
    });
    expect(msgs(res.json)).toEqual([
      ["success", ["mailbox_modified", "jane.doe@example.net"]],
    ]);
    expect(fake.checkPassword("jane.doe@example.net", "Green-Teapot-77")).toBe(
      true,
    );
  });

  it("discards the other changes of an item whose password fails", async () => {
    const res = await raw("edit/mailbox", {
      body: {
        items: "jane.doe@example.net",
        attr: { active: 0, password: "Green-Teapot-77", password2: "" },
      },
    });
    expect(msgs(res.json)).toEqual([["danger", "password_complexity"]]);
    expect(fake.state.mailboxes.get("jane.doe@example.net")?.active).toBe(1);
  });

  it('treats an empty or "0" password as no change', async () => {
    const res = await raw("edit/mailbox", {
      body: { items: ["jane.doe@example.net"], attr: { password: "0" } },
    });
    expect(msgs(res.json)).toEqual([
      ["success", ["mailbox_modified", "jane.doe@example.net"]],
    ]);
    expect(fake.checkPassword("jane.doe@example.net", "Blue-Kettle-42")).toBe(
      true,
    );
  });

  it("refuses username_invalid, access_denied and password_mismatch per item", async () => {
    const res = await raw("edit/mailbox", {
      body: {
        items: ["not-an-address", "nobody@example.net", "jane.doe@example.net"],
        attr: { password: "Green-Teapot-77", password2: "Green-Teapot-78" },
      },
    });
    expect(msgs(res.json)).toEqual([
      ["danger", ["username_invalid", "not-an-address"]],
      ["danger", "access_denied"],
      ["danger", "password_mismatch"],
    ]);
  });

  it("re-checks the quota on every edit (check 3)", async () => {
    fake.setDomainLimits("example.net", { maxQuotaMib: 1024 });
    const res = await raw("edit/mailbox", {
      body: { items: ["jane.doe@example.net"], attr: { active: 0 } },
    });
    expect(msgs(res.json)).toEqual([
      ["danger", ["mailbox_quota_left_exceeded", 1024]],
    ]);
  });

  it("answers Task completed for empty items", async () => {
    const res = await raw("edit/mailbox", {
      body: { items: [], attr: { active: 0 } },
    });
    expect(res.json).toEqual({ type: "success", msg: "Task completed" });
  });
});

describe("delete/mailbox (§5.3)", () => {
  it("deletes with a bare array but not with an items wrapper", async () => {
    await raw("add/mailbox", { body: jane });
    const wrapped = await raw("delete/mailbox", {
      body: { items: ["jane.doe@example.net"] },
    });
    expect(msgs(wrapped.json)).toEqual([["danger", "access_denied"]]);
    expect(fake.state.mailboxes.size).toBe(1);
    const bare = await raw("delete/mailbox", {
      body: ["jane.doe@example.net"],
    });
    expect(msgs(bare.json)).toEqual([
      ["success", ["mailbox_removed", "jane.doe@example.net"]],
    ]);
    const again = await raw("delete/mailbox", {
      body: ["jane.doe@example.net"],
    });
    expect(msgs(again.json)).toEqual([["danger", "access_denied"]]);
  });
});

describe("reads (§5.4–5.8)", () => {
  it("answers {} for a missing mailbox, domain and empty list", async () => {
    expect((await raw("get/mailbox/nobody%40example.net")).json).toEqual({});
    expect((await raw("get/domain/nope.example")).json).toEqual({});
    expect((await raw("get/mailbox/all")).json).toEqual({});
  });

  it("drops an unknown domain filter and lists every mailbox (§5.5)", async () => {
    await raw("add/mailbox", { body: jane });
    const res = await raw("get/mailbox/all/nope.example");
    expect((res.json as unknown[]).length).toBe(1);
  });

  it("reports domain capacity in bytes, with quota_used_in_domain a string", async () => {
    await raw("add/mailbox", { body: jane });
    const res = await raw("get/domain/example.net");
    expect(res.json).toMatchObject({
      max_num_mboxes_for_domain: 10,
      mboxes_in_domain: 1,
      mboxes_left: 9,
      max_quota_for_mbox: 10240 * 1048576,
      quota_used_in_domain: String(2048 * 1048576),
      max_new_mailbox_quota: 8192 * 1048576,
    });
  });

  it("answers {} for an alias looked up as a mailbox, and lists it only under get/alias (§5.4)", async () => {
    expect((await raw("get/alias/all")).json).toEqual({});
    fake.state.aliases.add("sales@example.net");
    expect((await raw("get/mailbox/sales%40example.net")).json).toEqual({});
    const all = await raw("get/alias/all");
    expect(all.json).toEqual([
      expect.objectContaining({
        id: 1,
        address: "sales@example.net",
        domain: "example.net",
        active: 1,
      }),
    ]);
    expect((await raw("get/alias/1")).json).toMatchObject({
      address: "sales@example.net",
    });
    expect((await raw("get/alias/2")).json).toEqual({});
    expect((await raw("get/alias/all/example.net")).json).toHaveLength(1);
    expect((await raw("get/alias/all/other.example")).json).toEqual({});
    // The read-only key reads aliases too; no key reads nothing (§2).
    expect(
      (await raw("get/alias/all", { key: fake.readOnlyKey })).json,
    ).toHaveLength(1);
    expect((await raw("get/alias/all", { key: null })).text).toBe("");
  });

  it("serves the live password policy to the read-only key as well", async () => {
    Object.assign(fake.state.policy, { length: 14, numbers: 1 });
    expect(
      (await raw("get/passwordpolicy", { key: fake.readOnlyKey })).json,
    ).toMatchObject({ length: "14", numbers: "1" });
  });

  it("serves the password policy as strings and the version", async () => {
    expect((await raw("get/passwordpolicy")).json).toEqual({
      length: "6",
      chars: "0",
      special_chars: "0",
      lowerupper: "0",
      numbers: "0",
    });
    expect((await raw("get/status/version")).json).toEqual({
      version: "2026-07",
    });
  });
});

describe("transport and routing (§1, §3)", () => {
  it("ignores a POST body without a JSON content type", async () => {
    const res = await raw("add/mailbox", { body: jane, contentType: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      type: "error",
      msg: "Cannot find attributes in post data",
    });
  });

  it("answers 400 to invalid JSON and to the literal null", async () => {
    for (const rawBody of ["{nope", "null"]) {
      const res = await raw("add/mailbox", { rawBody });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        type: "error",
        msg: "Request body doesn't contain valid json!",
      });
    }
  });

  it("answers 405 to the wrong method", async () => {
    const get = await raw("add/mailbox", { body: jane, method: "PUT" });
    expect([get.status, get.json]).toEqual([
      405,
      { type: "error", msg: "only POST method is allowed" },
    ]);
    const post = await raw("get/status/version", { method: "POST" });
    expect([post.status, post.json]).toEqual([
      405,
      { type: "error", msg: "only GET method is allowed" },
    ]);
  });

  it("answers 404 to an unknown route, but an empty 200 under delete/", async () => {
    const res = await raw("frobnicate/mailbox");
    expect([res.status, res.json]).toEqual([
      404,
      { type: "error", msg: "route not found" },
    ]);
    const del = await raw("delete/nothing", { body: ["x"] });
    expect([del.status, del.text]).toEqual([200, ""]);
  });
});

describe("authentication (§2)", () => {
  it("gives a GET without a key an empty 200", async () => {
    const res = await raw("get/status/version", { key: null });
    expect([res.status, res.text]).toEqual([200, ""]);
  });

  it("crashes an add without a key, unless the address is malformed", async () => {
    const crash = await raw("add/mailbox", { body: jane, key: null });
    expect([crash.status, crash.text]).toEqual([200, ""]);
    const invalid = await raw("add/mailbox", {
      body: { ...jane, local_part: "a..b" },
      key: null,
    });
    expect(msgs(invalid.json)).toEqual([["danger", "mailbox_invalid"]]);
    expect(fake.state.mailboxes.size).toBe(0);
  });

  it("answers 500 to a keyless add when display_errors is off", async () => {
    const quiet = await startFakeMailcow({ displayErrors: false });
    try {
      const res = await fetch(`${quiet.url}/api/v1/add/mailbox`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(jane),
      });
      expect([res.status, await res.text()]).toEqual([500, ""]);
    } finally {
      await quiet.close();
    }
  });

  it("answers 403 to an edit or delete without a key, and to a read-only key", async () => {
    const denied = { type: "error", msg: "API read/write access denied" };
    const edit = await raw("edit/mailbox", {
      body: { items: [], attr: {} },
      key: null,
    });
    expect([edit.status, edit.json]).toEqual([403, denied]);
    const ro = await raw("add/mailbox", { body: jane, key: fake.readOnlyKey });
    expect([ro.status, ro.json]).toEqual([403, denied]);
    const roGet = await raw("get/status/version", { key: fake.readOnlyKey });
    expect(roGet.status).toBe(200);
  });

  it("answers a wrong key with 401, a JSON body and an HTML content type", async () => {
    const res = await raw("get/status/version", { key: "WRONG-KEY" });
    expect(res.status).toBe(401);
    expect(res.contentType).toMatch(/^text\/html/);
    expect(res.json).toEqual({ type: "error", msg: "authentication failed" });
  });

  it("refuses a valid key from an IP that is not allowed", async () => {
    const strict = await startFakeMailcow({ allowedIps: ["203.0.113.9"] });
    try {
      const res = await fetch(`${strict.url}/api/v1/get/status/version`, {
        headers: { "X-API-Key": strict.apiKey },
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        type: "error",
        msg: "api access denied for ip 127.0.0.1",
      });
    } finally {
      await strict.close();
    }
  });

  it("lets a test edit the allow-list, as an operator would in Mailcow", async () => {
    fake.setAllowedIps(["203.0.113.9"]);
    expect((await raw("get/status/version")).json).toEqual({
      type: "error",
      msg: "api access denied for ip 127.0.0.1",
    });
    fake.setAllowedIps("any");
    expect((await raw("get/status/version")).json).toEqual({
      version: "2026-07",
    });
  });

  it("bans the caller after 10 failed keys: connections fail, not HTTP errors", async () => {
    for (let i = 0; i < 10; i++)
      expect((await raw("get/status/version", { key: "WRONG" })).status).toBe(
        401,
      );
    await expect(raw("get/status/version")).rejects.toThrow();
  });
});
