import "server-only";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { domainToASCII } from "node:url";

// An in-process Mailcow speaking Mailcow's API as docs/mailcow.md describes it, over real HTTP on loopback (§9).
// Section numbers (§n) refer to docs/mailcow.md. Test-only: nothing in production points at it.

export type FakeDomain = {
  name: string;
  isActive: boolean;
  maxMailboxes: number;
  /** Per-mailbox maximum and domain total, in MiB as Mailcow stores them. */
  maxQuotaMib: number;
  totalQuotaMib: number;
  defQuotaMib: number;
};

export type FakeMailbox = {
  username: string;
  localPart: string;
  domain: string;
  name: string;
  active: number;
  quotaBytes: number;
  quotaUsed: number;
  messages: number;
  lastImapLogin: number;
  passwordSha256: string;
  attributes: Record<string, string>;
  tags: string[];
  created: string;
  modified: string | null;
};

export type FakePasswordPolicy = {
  length: number;
  chars: number;
  special_chars: number;
  lowerupper: number;
  numbers: number;
};

export type FakeRequest = {
  method: string;
  route: string;
  /** 0 while unanswered, or when the connection was dropped. */
  status: number;
  hadKey: boolean;
};

export type FaultKind =
  | "delay" // §9: answer only after `delayMs` (default: after commit)
  | "empty-200" // §1: PHP crash with display_errors on
  | "empty-500" // §1: PHP crash with display_errors off
  | "html-500" // §1: database or Docker helper down
  | "drop" // connection closed without an answer
  | "redirect"; // §1: plain HTTP answered with 301

export type FaultOptions = {
  /** Only requests to this route, e.g. "add/mailbox"; default any. */
  route?: string;
  /** Whether a write is applied before the fault; default "after-commit" for delay, else "before-commit". */
  when?: "before-commit" | "after-commit";
  delayMs?: number;
};

export type FakeMailcowState = {
  domains: Map<string, FakeDomain>;
  /** Alias domain → target domain. */
  aliasDomains: Map<string, string>;
  /** Alias addresses; their ids are their 1-based places in this set. */
  aliases: Set<string>;
  spamAliases: Set<string>;
  mailboxes: Map<string, FakeMailbox>;
  policy: FakePasswordPolicy;
  requests: FakeRequest[];
  /** 401s per caller IP (§2, fail2ban). */
  failedAuth: Map<string, number[]>;
  bannedUntil: Map<string, number>;
};

export type FakeMailcowOptions = {
  domain?: string;
  apiKey?: string;
  readOnlyKey?: string;
  /** Caller IPs the keys accept; "any" is Mailcow's "skip IP check". Default loopback. */
  allowedIps?: string[] | "any";
  maxMailboxes?: number;
  maxQuotaMib?: number;
  totalQuotaMib?: number;
  passwordPolicy?: Partial<FakePasswordPolicy>;
  /** PHP display_errors: a crash answers 200 (on, the stock default) or 500 (off). */
  displayErrors?: boolean;
  now?: () => number;
};

export type FakeMailcow = {
  url: string;
  apiKey: string;
  readOnlyKey: string;
  state: FakeMailcowState;
  failNext: (kind: FaultKind, options?: FaultOptions) => void;
  setUsage: (
    address: string,
    usage: Partial<
      Pick<FakeMailbox, "quotaUsed" | "messages" | "lastImapLogin">
    >,
  ) => void;
  setDomainLimits: (
    domain: string,
    limits: Partial<Omit<FakeDomain, "name">>,
  ) => void;
  addDomain: (name: string, limits?: Partial<Omit<FakeDomain, "name">>) => void;
  /** The keys' IP allow-list, as an operator edits it in Mailcow (§2). */
  setAllowedIps: (ips: string[] | "any") => void;
  checkPassword: (address: string, password: string) => boolean;
  close: () => Promise<void>;
};

type Reply = {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
};
type Entry = { type: string; log: unknown[]; msg: string | unknown[] };
type Role = "rw" | "ro" | "none";

const MIB = 1048576;
const JSON_TYPE = "application/json; charset=utf-8";
const FAIL2BAN = { maxRetry: 10, findTimeMs: 600_000, banMs: 1_800_000 };
const FLAG_ATTRIBUTES = [
  "force_pw_update",
  "force_tfa",
  "tls_enforce_in",
  "tls_enforce_out",
  "sogo_access",
  "imap_access",
  "pop3_access",
  "smtp_access",
  "sieve_access",
  "eas_access",
  "dav_access",
] as const;
const PROTOCOLS = ["imap", "pop3", "smtp", "sieve", "eas", "dav"] as const;
const TEMPLATE_FLAGS: Record<(typeof FLAG_ATTRIBUTES)[number], number> = {
  force_pw_update: 0,
  force_tfa: 0,
  tls_enforce_in: 0,
  tls_enforce_out: 0,
  sogo_access: 1,
  imap_access: 1,
  pop3_access: 1,
  smtp_access: 1,
  sieve_access: 1,
  eas_access: 1,
  dav_access: 1,
};

export async function startFakeMailcow(
  options: FakeMailcowOptions = {},
): Promise<FakeMailcow> {
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey ?? generateKey();
  const readOnlyKey = options.readOnlyKey ?? generateKey();
  let allowedIps = options.allowedIps ?? [
    "127.0.0.1",
    "::1",
    "::ffff:127.0.0.1",
  ];
  const displayErrors = options.displayErrors ?? true;
  const state: FakeMailcowState = {
    domains: new Map(),
    aliasDomains: new Map(),
    aliases: new Set(),
    spamAliases: new Set(),
    mailboxes: new Map(),
    policy: {
      length: 6,
      chars: 0,
      special_chars: 0,
      lowerupper: 0,
      numbers: 0,
      ...options.passwordPolicy,
    },
    requests: [],
    failedAuth: new Map(),
    bannedUntil: new Map(),
  };
  const faults: (FaultOptions & { kind: FaultKind })[] = [];
  const timers = new Set<NodeJS.Timeout>();

  // §5.6: a domain from the stock template allows 10 mailboxes, 10 GiB each, 10 GiB in total.
  const addDomain = (
    name: string,
    limits: Partial<Omit<FakeDomain, "name">> = {},
  ) => {
    const domain = name.toLowerCase();
    state.domains.set(domain, {
      name: domain,
      isActive: true,
      maxMailboxes: 10,
      maxQuotaMib: 10240,
      totalQuotaMib: 10240,
      defQuotaMib: 3072,
      ...limits,
    });
  };
  addDomain(options.domain ?? "example.net", {
    ...(options.maxMailboxes !== undefined && {
      maxMailboxes: options.maxMailboxes,
    }),
    ...(options.maxQuotaMib !== undefined && {
      maxQuotaMib: options.maxQuotaMib,
    }),
    ...(options.totalQuotaMib !== undefined && {
      totalQuotaMib: options.totalQuotaMib,
    }),
  });

  const crash = (): Reply => ({
    status: displayErrors ? 200 : 500,
    body: "",
    contentType: "text/html; charset=UTF-8",
  });
  const json = (status: number, value: unknown): Reply => ({
    status,
    body: JSON.stringify(value),
  });
  const generic = (status: number, type: string, msg: string) =>
    json(status, { type, msg });

  // §2: key lookup after stripping everything but letters, digits and "-".
  function authenticate(
    header: string | undefined,
    ip: string,
  ): { role: Role } | { reply: Reply } {
    if (header === undefined || header === "") return { role: "none" };
    const key = header.replace(/[^A-Za-z0-9-]/g, "");
    const role: Role | null =
      key === apiKey ? "rw" : key === readOnlyKey ? "ro" : null;
    const ipAllowed = allowedIps === "any" || allowedIps.includes(ip);
    if (role !== null && ipAllowed) return { role };
    recordFailedAuth(ip);
    const msg =
      role === null
        ? "authentication failed"
        : `api access denied for ip ${ip}`;
    // §1: produced before the JSON header is set, so the content type is HTML.
    return {
      reply: {
        status: 401,
        body: JSON.stringify({ type: "error", msg }),
        contentType: "text/html; charset=UTF-8",
      },
    };
  }

  function recordFailedAuth(ip: string) {
    const t = now();
    const recent = (state.failedAuth.get(ip) ?? []).filter(
      (at) => t - at < FAIL2BAN.findTimeMs,
    );
    recent.push(t);
    state.failedAuth.set(ip, recent);
    if (recent.length >= FAIL2BAN.maxRetry)
      state.bannedUntil.set(ip, t + FAIL2BAN.banMs);
  }

  const isBanned = (ip: string) => (state.bannedUntil.get(ip) ?? 0) > now();

  function respond(req: http.IncomingMessage, raw: string, ip: string): Reply {
    const routed = route(req, raw, ip);
    return routed.commit ? routed.commit() : routed.reply;
  }

  // The router (§1, §3): auth, then body, then method, then the endpoint.
  function route(
    req: http.IncomingMessage,
    raw: string,
    ip: string,
  ): { reply: Reply; commit?: () => Reply } {
    const url = new URL(req.url ?? "/", "http://fake");
    // nginx decodes the path before handing it to the router, which splits it on "/".
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    if (!path.startsWith("/api/v1/"))
      return { reply: generic(404, "error", "route not found") };
    const [action = "", category = "", object, extra] = path
      .slice("/api/v1/".length)
      .split("/");

    const fetchDest = req.headers["sec-fetch-dest"];
    if (fetchDest !== undefined && fetchDest !== "empty")
      return { reply: { status: 403, body: "" } };

    const auth = authenticate(headerValue(req.headers["x-api-key"]), ip);
    if ("reply" in auth) return { reply: auth.reply };
    const { role } = auth;

    const isWrite =
      action === "add" || action === "edit" || action === "delete";
    if (isWrite && (role === "ro" || (role === "none" && action !== "add")))
      return {
        reply: generic(403, "error", "API read/write access denied"),
      };

    // §3: the JSON body is read only with a JSON content type; otherwise POST data stays empty.
    let body: unknown = undefined;
    const contentType = headerValue(req.headers["content-type"]) ?? "";
    if (contentType.includes("application/json")) {
      const parsed = parsePhpJson(raw);
      if (action !== "get" && parsed === null)
        return {
          reply: generic(
            400,
            "error",
            "Request body doesn't contain valid json!",
          ),
        };
      body = parsed;
    }

    switch (action) {
      case "get":
        if (req.method !== "GET")
          return { reply: generic(405, "error", "only GET method is allowed") };
        if (role === "none") return { reply: { status: 200, body: "" } };
        return { reply: get(category, object, extra) };
      case "add":
      case "edit":
      case "delete": {
        if (body === undefined)
          return {
            reply: generic(200, "error", "Cannot find attributes in post data"),
          };
        if (req.method !== "POST")
          return {
            reply: generic(405, "error", "only POST method is allowed"),
          };
        if (category !== "mailbox")
          return {
            reply:
              action === "delete"
                ? { status: 200, body: "" }
                : generic(404, "error", "route not found"),
          };
        const run =
          action === "add"
            ? () => addMailbox(asRecord(body), role)
            : action === "edit"
              ? () => editMailbox(asRecord(body))
              : () => deleteMailbox(body);
        return { reply: { status: 200, body: "" }, commit: run };
      }
      default:
        return { reply: generic(404, "error", "route not found") };
    }
  }

  function get(
    category: string,
    object: string | undefined,
    extra: string | undefined,
  ): Reply {
    switch (category) {
      case "mailbox": {
        if (object === "all" || object === "reduced") {
          const wanted = (extra ?? "")
            .split(",")
            .map((d) => d.trim().toLowerCase())
            .filter((d) => d !== "");
          let list = [...state.mailboxes.values()];
          const known = wanted.filter((d) => state.domains.has(d));
          // §5.5: a filter naming no known domain is dropped silently.
          if (known.length > 0)
            list = list.filter((m) => known.includes(m.domain));
          return json(200, list.length === 0 ? {} : list.map(mailboxJson));
        }
        const found = state.mailboxes.get((object ?? "").toLowerCase());
        return json(200, found ? mailboxJson(found) : {});
      }
      case "domain": {
        const found = state.domains.get((object ?? "").toLowerCase());
        return json(200, found ? domainJson(found) : {});
      }
      case "alias": {
        const all = [...state.aliases].map((address, i) =>
          aliasJson(i + 1, address),
        );
        if (object === "all") {
          const wanted = (extra ?? "")
            .split(",")
            .map((d) => d.trim().toLowerCase())
            .filter((d) => d !== "");
          // An explicit domain list is taken as given: an unknown domain simply has no aliases.
          const list =
            wanted.length === 0
              ? all
              : all.filter((a) => wanted.includes(a.domain));
          return json(200, list.length === 0 ? {} : list);
        }
        // By id; anything else, an address included, is not found.
        const found = all.find((a) => String(a.id) === object);
        return json(200, found ?? {});
      }
      case "passwordpolicy": {
        const p = state.policy;
        // §5.7: values come from Redis, hence strings.
        return json(200, {
          length: String(p.length),
          chars: String(p.chars),
          special_chars: String(p.special_chars),
          lowerupper: String(p.lowerupper),
          numbers: String(p.numbers),
        });
      }
      case "status":
        return object === "version"
          ? json(200, { version: "2026-07" })
          : json(200, {});
      default:
        return generic(404, "error", "route not found");
    }
  }

  const quotaSumMib = (domain: string, except?: string) =>
    [...state.mailboxes.values()]
      .filter((m) => m.domain === domain && m.username !== except)
      .reduce((sum, m) => sum + m.quotaBytes / MIB, 0);

  // §5.1, checks in the server's order; the first failure ends the request.
  function addMailbox(attr: Record<string, unknown>, role: Role): Reply {
    const localPart = phpString(attr.local_part).trim().toLowerCase();
    const domainRaw = phpString(attr.domain).trim().toLowerCase();
    const domain = domainToASCII(domainRaw) || domainRaw;
    const username = `${localPart}@${domain}`;
    const log = [
      "mailbox",
      "add",
      "mailbox",
      maskPasswords(attr),
      null,
    ] as unknown[];
    const danger = (msg: string | unknown[]): Reply =>
      json(200, [{ type: "danger", log, msg }]);
    const passwordLog = ["password_check", null, null];

    if (!isValidAddress(localPart, domain)) return danger("mailbox_invalid"); // 1
    if (localPart === "") return danger("mailbox_invalid"); // 2
    // 3 (unlimited_quota_acl) never applies to an API key: it is an admin.
    // Without a key the template lookup crashes the script (§2); nothing is created.
    if (role === "none") return crash();
    const category = attr.quarantine_category;
    if (
      category !== undefined &&
      !["add_header", "reject", "all"].includes(phpString(category))
    )
      return danger("quarantine_category_invalid"); // 4
    if (!isHostname(domain)) return danger("domain_invalid"); // 5
    const isAliasDomain = state.aliasDomains.has(domain);
    const target = state.domains.get(domain);
    if (!target && !isAliasDomain) return danger("access_denied"); // 6
    if (state.mailboxes.has(username))
      return danger(["object_exists", htmlEscape(username)]); // 7
    if (state.aliases.has(username))
      return danger(["is_alias", htmlEscape(username)]); // 8
    if (state.spamAliases.has(username))
      return danger(["is_spam_alias", htmlEscape(username)]); // 9
    if (!target) return danger(["domain_not_found", htmlEscape(domain)]); // 10
    const password = attr.password;
    const password2 = attr.password2;
    if (phpEmpty(password) || phpEmpty(password2))
      return json(200, [
        { type: "danger", log: passwordLog, msg: "password_complexity" },
      ]); // 11
    if (phpString(password) !== phpString(password2))
      return json(200, [
        { type: "danger", log: passwordLog, msg: "password_mismatch" },
      ]); // 12
    if (!meetsPolicy(phpString(password)))
      return json(200, [
        { type: "danger", log: passwordLog, msg: "password_complexity" },
      ]); // 13
    const count = [...state.mailboxes.values()].filter(
      (m) => m.domain === domain,
    ).length;
    if (count >= target.maxMailboxes)
      return danger(["max_mailbox_exceeded", count, target.maxMailboxes]); // 14
    // §4/§5.1: an omitted or non-numeric quota is the template's 0, i.e. unlimited.
    const quotaMib = attr.quota === undefined ? 0 : phpIntval(attr.quota);
    if (quotaMib > target.maxQuotaMib)
      return danger(["mailbox_quota_exceeded", target.maxQuotaMib]); // 15
    const usedMib = quotaSumMib(domain);
    if (usedMib + quotaMib > target.totalQuotaMib)
      return danger([
        "mailbox_quota_left_exceeded",
        target.totalQuotaMib - usedMib,
      ]); // 16
    // A NUL byte crashes the hashing step (§5.1): empty body, nothing created.
    if (phpString(password).includes("\0")) return crash();

    const flags = { ...TEMPLATE_FLAGS };
    for (const flag of FLAG_ATTRIBUTES)
      if (attr[flag] !== undefined) flags[flag] = phpIntval(attr[flag]);
    applyProtocolAccess(flags, attr.protocol_access);
    const entries: Entry[] = [];
    let tags: string[] = [];
    if (Array.isArray(attr.tags)) {
      tags = attr.tags.map(phpString).slice(0, 26);
      if (attr.tags.length > 26)
        entries.push({
          type: "warning",
          log,
          msg: ["tag_limit_exceeded", "limit 25"],
        });
    }
    const stamp = mysqlTime(now());
    state.mailboxes.set(username, {
      username,
      localPart,
      domain,
      name: stripAngles(phpString(attr.name)),
      active: attr.active === undefined ? 1 : phpIntval(attr.active),
      quotaBytes: quotaMib * MIB,
      quotaUsed: 0,
      messages: 0,
      lastImapLogin: 0,
      passwordSha256: sha256(phpString(password)),
      attributes: {
        ...Object.fromEntries(
          Object.entries(flags).map(([k, v]) => [k, String(v)]),
        ),
        relayhost: "0",
        passwd_update: stamp,
        mailbox_format: "maildir:",
        quarantine_notification: phpString(
          attr.quarantine_notification ?? "hourly",
        ),
        quarantine_category: phpString(category ?? "reject"),
        attribute_hash: "",
      },
      tags,
      created: stamp,
      modified: null,
    });
    entries.push(
      {
        type: "success",
        log: [
          "ratelimit",
          "edit",
          "mailbox",
          { object: username, rl_frame: "s", rl_value: "" },
        ],
        msg: ["rl_saved", htmlEscape(username)],
      },
      { type: "success", log, msg: ["mailbox_added", htmlEscape(username)] },
    );
    return json(200, entries);
  }

  // §5.2: each item is checked and applied on its own.
  function editMailbox(body: Record<string, unknown>): Reply {
    const rawItems = body.items;
    const items =
      typeof rawItems === "string"
        ? [rawItems]
        : Array.isArray(rawItems)
          ? rawItems
          : [];
    const attr = asRecord(body.attr);
    const log = [
      "mailbox",
      "edit",
      "mailbox",
      { username: items, ...maskPasswords(attr) },
      null,
    ];
    const entries: Entry[] = [];
    for (const item of items) {
      const given = phpString(item);
      const [local = "", dom = ""] = splitAddress(given);
      if (!isValidAddress(local, dom)) {
        entries.push({
          type: "danger",
          log,
          msg: ["username_invalid", htmlEscape(given)],
        }); // 1
        continue;
      }
      // MySQL's collation makes the lookup case-insensitive.
      const mailbox = state.mailboxes.get(given.toLowerCase());
      const domain = mailbox && state.domains.get(mailbox.domain);
      if (!mailbox || !domain) {
        entries.push({ type: "danger", log, msg: "access_denied" }); // 2
        continue;
      }
      const keepQuota = attr.quota === undefined || attr.quota === "";
      const quotaMib = keepQuota
        ? mailbox.quotaBytes / MIB
        : phpIntval(attr.quota);
      // 3: runs on every edit, even without a new quota.
      const allowedMib = Math.min(
        domain.totalQuotaMib - quotaSumMib(domain.name, mailbox.username),
        domain.maxQuotaMib,
      );
      if (quotaMib > allowedMib) {
        entries.push({
          type: "danger",
          log,
          msg: ["mailbox_quota_left_exceeded", allowedMib],
        });
        continue;
      }
      const passwordLog = ["password_check", null, null];
      const changesPassword = !phpEmpty(attr.password);
      if (changesPassword) {
        if (phpEmpty(attr.password2)) {
          entries.push({
            type: "danger",
            log: passwordLog,
            msg: "password_complexity",
          }); // 5
          continue;
        }
        if (phpString(attr.password) !== phpString(attr.password2)) {
          entries.push({
            type: "danger",
            log: passwordLog,
            msg: "password_mismatch",
          }); // 6
          continue;
        }
        if (!meetsPolicy(phpString(attr.password))) {
          entries.push({
            type: "danger",
            log: passwordLog,
            msg: "password_complexity",
          }); // 7
          continue;
        }
      }
      const stamp = mysqlTime(now());
      if (attr.active !== undefined) mailbox.active = phpIntval(attr.active);
      mailbox.quotaBytes = quotaMib * MIB;
      const name = stripAngles(phpString(attr.name));
      if (name !== "") mailbox.name = name;
      if (changesPassword) {
        mailbox.passwordSha256 = sha256(phpString(attr.password));
        mailbox.attributes.passwd_update = stamp;
      }
      const flags: Record<string, number> = {};
      for (const flag of FLAG_ATTRIBUTES)
        if (attr[flag] !== undefined) flags[flag] = phpIntval(attr[flag]);
      applyProtocolAccess(flags, attr.protocol_access);
      for (const [k, v] of Object.entries(flags))
        mailbox.attributes[k] = String(v);
      // Tags only accumulate on edit.
      if (Array.isArray(attr.tags))
        for (const tag of attr.tags.map(phpString))
          if (!mailbox.tags.includes(tag)) mailbox.tags.push(tag);
      mailbox.modified = stamp;
      entries.push({
        type: "success",
        log,
        msg: ["mailbox_modified", htmlEscape(given)],
      });
    }
    return entries.length > 0
      ? json(200, entries)
      : generic(200, "success", "Task completed");
  }

  // §5.3: the body is a bare array; `{"items": […]}` yields access_denied for its one value.
  function deleteMailbox(body: unknown): Reply {
    const items = Array.isArray(body)
      ? body
      : typeof body === "object" && body !== null
        ? Object.values(body)
        : [body];
    const log = ["mailbox", "delete", "mailbox", { username: items }, null];
    const entries: Entry[] = [];
    for (const item of items) {
      const mailbox =
        typeof item === "string"
          ? state.mailboxes.get(item.toLowerCase())
          : undefined;
      if (!mailbox) {
        entries.push({ type: "danger", log, msg: "access_denied" });
        continue;
      }
      state.mailboxes.delete(mailbox.username);
      entries.push({
        type: "success",
        log,
        msg: ["mailbox_removed", htmlEscape(mailbox.username)],
      });
    }
    return entries.length > 0
      ? json(200, entries)
      : generic(200, "error", "Cannot delete item");
  }

  // §6: lengths are UTF-8 bytes.
  function meetsPolicy(password: string): boolean {
    const p = state.policy;
    if (Buffer.byteLength(password, "utf8") < p.length) return false;
    if (p.chars && !/[A-Za-z]/.test(password)) return false;
    if (p.special_chars && !/[^A-Za-z0-9]/.test(password)) return false;
    if (p.lowerupper && !(/[a-z]/.test(password) && /[A-Z]/.test(password)))
      return false;
    if (p.numbers && !/[0-9]/.test(password)) return false;
    return true;
  }

  function mailboxJson(m: FakeMailbox) {
    const domain = state.domains.get(m.domain);
    const percent =
      m.quotaBytes === 0
        ? "- "
        : Math.round((m.quotaUsed / m.quotaBytes) * 100);
    const maxNewMib = domain
      ? Math.min(
          domain.totalQuotaMib - quotaSumMib(domain.name, m.username),
          domain.maxQuotaMib,
        )
      : 0;
    return {
      username: m.username,
      active: m.active,
      active_int: m.active,
      domain: m.domain,
      name: m.name,
      local_part: m.localPart,
      quota: m.quotaBytes,
      messages: m.messages,
      attributes: { ...m.attributes },
      custom_attributes: [],
      quota_used: m.quotaUsed,
      percent_in_use: percent,
      created: m.created,
      modified: m.modified,
      authsource: "mailcow",
      percent_class:
        typeof percent === "string"
          ? "info"
          : percent >= 90
            ? "danger"
            : percent >= 75
              ? "warning"
              : "success",
      last_imap_login: m.lastImapLogin,
      last_smtp_login: 0,
      last_pop3_login: 0,
      last_sso_login: 0,
      max_new_quota: Math.max(0, maxNewMib) * MIB,
      spam_aliases: 0,
      pushover_active: 0,
      rl: false,
      rl_scope: "domain",
      is_relayed: 0,
      sender_acl: [],
      // §5.4: absent when the mailbox has no tags.
      ...(m.tags.length > 0 && { tags: [...m.tags] }),
    };
  }

  // The fake keeps only alias addresses; their target is Mailcow's "discard" address.
  function aliasJson(id: number, address: string) {
    const domain = splitAddress(address)[1];
    return {
      id,
      domain,
      public_comment: null,
      private_comment: null,
      goto: "null@localhost",
      address,
      is_catch_all: address.startsWith("@") ? 1 : 0,
      active: 1,
      active_int: 1,
      sogo_visible: 1,
      sogo_visible_int: 1,
      in_primary_domain: "",
      created: "2026-01-01 00:00:00",
      modified: null,
    };
  }

  function domainJson(d: FakeDomain) {
    const boxes = [...state.mailboxes.values()].filter(
      (m) => m.domain === d.name,
    );
    const usedMib = quotaSumMib(d.name);
    const maxNewMib = Math.max(
      0,
      Math.min(d.totalQuotaMib - usedMib, d.maxQuotaMib),
    );
    const bytes = boxes.reduce((s, m) => s + m.quotaUsed, 0);
    const msgs = boxes.reduce((s, m) => s + m.messages, 0);
    const active = d.isActive ? 1 : 0;
    return {
      domain_name: d.name,
      domain_h_name: d.name,
      description: "",
      active,
      active_int: active,
      max_num_mboxes_for_domain: d.maxMailboxes,
      mboxes_in_domain: boxes.length,
      mboxes_left: Math.max(0, d.maxMailboxes - boxes.length),
      max_quota_for_mbox: d.maxQuotaMib * MIB,
      def_quota_for_mbox: d.defQuotaMib * MIB,
      max_quota_for_domain: d.totalQuotaMib * MIB,
      quota_used_in_domain: String(usedMib * MIB),
      max_new_mailbox_quota: maxNewMib * MIB,
      def_new_mailbox_quota: Math.min(maxNewMib, d.defQuotaMib) * MIB,
      bytes_total: boxes.length === 0 ? 0 : String(bytes),
      msgs_total: boxes.length === 0 ? 0 : String(msgs),
      max_num_aliases_for_domain: 400,
      aliases_in_domain: 0,
      aliases_left: 400,
      backupmx: 0,
      backupmx_int: 0,
      gal: 1,
      gal_int: 1,
      relay_all_recipients: 0,
      relay_all_recipients_int: 0,
      relay_unknown_only: 0,
      relay_unknown_only_int: 0,
      relayhost: "0",
      rl: false,
      created: "2026-01-01 00:00:00",
      modified: null,
      domain_admins: "-",
    };
  }

  const server = http.createServer((req, res) => {
    const ip = req.socket.remoteAddress ?? "";
    if (isBanned(ip)) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      const routeName = url.pathname.replace(/^\/api\/v1\//, "");
      const faultIndex = faults.findIndex(
        (f) => f.route === undefined || routeName.startsWith(f.route),
      );
      const fault =
        faultIndex >= 0 ? faults.splice(faultIndex, 1)[0] : undefined;
      // Recorded on arrival, so a request that is never answered still counts.
      const record: FakeRequest = {
        method: req.method ?? "",
        route: routeName,
        status: 0,
        hadKey: headerValue(req.headers["x-api-key"]) !== undefined,
      };
      state.requests.push(record);
      const send = (reply: Reply) => {
        record.status = reply.status;
        res.writeHead(reply.status, {
          "Content-Type": reply.contentType ?? JSON_TYPE,
          ...reply.headers,
        });
        res.end(reply.body);
      };

      if (!fault) return send(respond(req, raw, ip));
      const when =
        fault.when ??
        (fault.kind === "delay" ? "after-commit" : "before-commit");
      let reply: Reply | undefined;
      if (when === "after-commit") reply = respond(req, raw, ip);
      switch (fault.kind) {
        case "delay": {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) send(reply ?? respond(req, raw, ip));
          }, fault.delayMs ?? 30_000);
          timers.add(timer);
          return;
        }
        case "empty-200":
          return send({ status: 200, body: "" });
        case "empty-500":
          return send({ status: 500, body: "" });
        case "html-500":
          return send({
            status: 500,
            body: "<html><body><h1>500 Internal Server Error</h1></body></html>",
            contentType: "text/html",
          });
        case "drop":
          req.socket.destroy();
          return;
        case "redirect":
          return send({
            status: 301,
            body: "",
            contentType: "text/html",
            headers: { Location: `https://mail.example.net${url.pathname}` },
          });
      }
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    // §2: a banned IP sees refused or reset connections, not HTTP errors.
    if (isBanned(socket.remoteAddress ?? "")) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve()),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    readOnlyKey,
    state,
    failNext: (kind, faultOptions = {}) => {
      faults.push({ kind, ...faultOptions });
    },
    setUsage: (address, usage) => {
      const mailbox = state.mailboxes.get(address.toLowerCase());
      if (!mailbox) throw new Error(`fake mailcow: no mailbox ${address}`);
      Object.assign(mailbox, usage);
    },
    setDomainLimits: (domain, limits) => {
      const found = state.domains.get(domain.toLowerCase());
      if (!found) throw new Error(`fake mailcow: no domain ${domain}`);
      Object.assign(found, limits);
    },
    addDomain,
    setAllowedIps: (ips) => {
      allowedIps = ips;
    },
    checkPassword: (address, password) =>
      state.mailboxes.get(address.toLowerCase())?.passwordSha256 ===
      sha256(password),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function generateKey(): string {
  return Array.from({ length: 5 }, () =>
    randomBytes(3).toString("hex").toUpperCase(),
  ).join("-");
}

const headerValue = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v[0] : v;

const sha256 = (text: string) =>
  createHash("sha256").update(text).digest("hex");

/** PHP `json_decode`: null for invalid JSON and for the literal `null`. */
function parsePhpJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/** PHP `(array)json_decode(…)` as the router reads attributes: anything but an object is empty. */
function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** PHP `intval` (§4): true→1, "true"→0, "3 GB"→3, 1.9→1. */
export function phpIntval(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number")
    return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === "string") {
    const m = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(value);
    return m ? Math.trunc(Number(m[0])) || 0 : 0;
  }
  if (Array.isArray(value)) return value.length > 0 ? 1 : 0;
  return value === null || value === undefined ? 0 : 1;
}

/** PHP `empty` for a password (§4): "", null and "0" are empty. */
function phpEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    value === "0" ||
    value === false ||
    value === 0
  );
}

function phpString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "";
  return "";
}

const htmlEscape = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#039;");

const stripAngles = (name: string) => name.replace(/^</, "").replace(/>$/, "");

function maskPasswords(attr: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...attr };
  for (const key of ["password", "password2"]) if (key in copy) copy[key] = "*";
  return copy;
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf("@");
  return at < 0 ? [address, ""] : [address.slice(0, at), address.slice(at + 1)];
}

// Roughly PHP's FILTER_VALIDATE_EMAIL, covering the cases §5.1 check 1 lists.
function isValidAddress(localPart: string, domain: string): boolean {
  if (localPart.length === 0 || localPart.length > 64) return false;
  if (
    !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(
      localPart,
    )
  )
    return false;
  if (domain === "" || !domain.includes(".")) return false;
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain);
}

// §5.1 check 5: labels of 1–63 characters that neither start nor end with "-".
function isHostname(domain: string): boolean {
  return domain
    .split(".")
    .every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

function applyProtocolAccess(flags: Record<string, number>, value: unknown) {
  if (!Array.isArray(value)) return;
  for (const protocol of PROTOCOLS)
    flags[`${protocol}_access`] = value.includes(protocol) ? 1 : 0;
}

function mysqlTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
