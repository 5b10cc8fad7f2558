import { createHash } from "node:crypto";
import { domainToASCII } from "node:url";
import {
  htmlEscape,
  mysqlTime,
  phpEmpty,
  phpIntval,
  phpString,
  asRecord,
} from "@/testing/mailcow/php";

// The fake Mailcow's memory (domains, mailboxes, aliases, the password policy, fail2ban) and the rules
// Mailcow applies to it when a mailbox is added, edited or deleted (docs/mailcow.md §5). No HTTP here:
// routes.ts turns requests into these calls and their outcomes into Mailcow's answers.

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

export type DomainLimits = Partial<Omit<FakeDomain, "name">>;

/** One line of Mailcow's message list, the body of every write's answer. */
export type Entry = { type: string; log: unknown[]; msg: string | unknown[] };

/** What a write did: its message list, or a PHP crash before any answer was written (§1). */
export type WriteOutcome = { entries: Entry[] } | { crashed: true };

export const MIB = 1048576;
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

export function createState(
  policy: Partial<FakePasswordPolicy> = {},
): FakeMailcowState {
  return {
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
      ...policy,
    },
    requests: [],
    failedAuth: new Map(),
    bannedUntil: new Map(),
  };
}

// §5.6: a domain from the stock template allows 10 mailboxes, 10 GiB each, 10 GiB in total.
export function addDomain(
  state: FakeMailcowState,
  name: string,
  limits: DomainLimits = {},
): void {
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
}

export function quotaSumMib(
  state: FakeMailcowState,
  domain: string,
  except?: string,
): number {
  return [...state.mailboxes.values()]
    .filter((m) => m.domain === domain && m.username !== except)
    .reduce((sum, m) => sum + m.quotaBytes / MIB, 0);
}

export const sha256 = (text: string) =>
  createHash("sha256").update(text).digest("hex");

export function checkPassword(
  state: FakeMailcowState,
  address: string,
  password: string,
): boolean {
  return (
    state.mailboxes.get(address.toLowerCase())?.passwordSha256 ===
    sha256(password)
  );
}

export function recordFailedAuth(
  state: FakeMailcowState,
  ip: string,
  now: number,
): void {
  const recent = (state.failedAuth.get(ip) ?? []).filter(
    (at) => now - at < FAIL2BAN.findTimeMs,
  );
  recent.push(now);
  state.failedAuth.set(ip, recent);
  if (recent.length >= FAIL2BAN.maxRetry)
    state.bannedUntil.set(ip, now + FAIL2BAN.banMs);
}

export const isBanned = (state: FakeMailcowState, ip: string, now: number) =>
  (state.bannedUntil.get(ip) ?? 0) > now;

// §5.1, checks in the server's order; the first failure ends the request.
export function addMailbox(
  state: FakeMailcowState,
  attr: Record<string, unknown>,
  caller: { hasKey: boolean; now: number },
): WriteOutcome {
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
  const danger = (msg: string | unknown[]): WriteOutcome => ({
    entries: [{ type: "danger", log, msg }],
  });
  const passwordLog = ["password_check", null, null];

  if (!isValidAddress(localPart, domain)) return danger("mailbox_invalid"); // 1
  if (localPart === "") return danger("mailbox_invalid"); // 2
  // 3 (unlimited_quota_acl) never applies to an API key: it is an admin.
  // Without a key the template lookup crashes the script (§2); nothing is created.
  if (!caller.hasKey) return { crashed: true };
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
    return {
      entries: [
        { type: "danger", log: passwordLog, msg: "password_complexity" },
      ],
    }; // 11
  if (phpString(password) !== phpString(password2))
    return {
      entries: [{ type: "danger", log: passwordLog, msg: "password_mismatch" }],
    }; // 12
  if (!meetsPolicy(state.policy, phpString(password)))
    return {
      entries: [
        { type: "danger", log: passwordLog, msg: "password_complexity" },
      ],
    }; // 13
  const count = [...state.mailboxes.values()].filter(
    (m) => m.domain === domain,
  ).length;
  if (count >= target.maxMailboxes)
    return danger(["max_mailbox_exceeded", count, target.maxMailboxes]); // 14
  // §4/§5.1: an omitted or non-numeric quota is the template's 0, i.e. unlimited.
  const quotaMib = attr.quota === undefined ? 0 : phpIntval(attr.quota);
  if (quotaMib > target.maxQuotaMib)
    return danger(["mailbox_quota_exceeded", target.maxQuotaMib]); // 15
  const usedMib = quotaSumMib(state, domain);
  if (usedMib + quotaMib > target.totalQuotaMib)
    return danger([
      "mailbox_quota_left_exceeded",
      target.totalQuotaMib - usedMib,
    ]); // 16
  // A NUL byte crashes the hashing step (§5.1): empty body, nothing created.
  if (phpString(password).includes("\0")) return { crashed: true };

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
  const stamp = mysqlTime(caller.now);
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
  return { entries };
}

// §5.2: each item is checked and applied on its own. No items at all yields no entries.
export function editMailbox(
  state: FakeMailcowState,
  body: Record<string, unknown>,
  now: number,
): Entry[] {
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
      domain.totalQuotaMib - quotaSumMib(state, domain.name, mailbox.username),
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
      if (!meetsPolicy(state.policy, phpString(attr.password))) {
        entries.push({
          type: "danger",
          log: passwordLog,
          msg: "password_complexity",
        }); // 7
        continue;
      }
    }
    const stamp = mysqlTime(now);
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
  return entries;
}

// §5.3: the body is a bare array; `{"items": […]}` yields access_denied for its one value.
export function deleteMailbox(state: FakeMailcowState, body: unknown): Entry[] {
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
  return entries;
}

// §6: lengths are UTF-8 bytes.
function meetsPolicy(p: FakePasswordPolicy, password: string): boolean {
  if (Buffer.byteLength(password, "utf8") < p.length) return false;
  if (p.chars && !/[A-Za-z]/.test(password)) return false;
  if (p.special_chars && !/[^A-Za-z0-9]/.test(password)) return false;
  if (p.lowerupper && !(/[a-z]/.test(password) && /[A-Z]/.test(password)))
    return false;
  if (p.numbers && !/[0-9]/.test(password)) return false;
  return true;
}

const stripAngles = (name: string) => name.replace(/^</, "").replace(/>$/, "");

function maskPasswords(attr: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...attr };
  for (const key of ["password", "password2"]) if (key in copy) copy[key] = "*";
  return copy;
}

export function splitAddress(address: string): [string, string] {
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
