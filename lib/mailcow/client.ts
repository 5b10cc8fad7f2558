import "server-only";
import { createHash } from "node:crypto";
import { domainToASCII } from "node:url";
import { z } from "zod";
import { errorCodes } from "@/lib/errors";
import type {
  Mailbox,
  MailboxActivity,
  MailcowDomain,
  MailcowFailure,
  MailcowPasswordPolicy,
  MailcowResult,
} from "@/lib/mailcow/types";

// The thin boundary around Mailcow's API v1 (docs/mailcow.md; §n = its sections).
// No business rules, no logging: callers get typed results and decide.

export type MailcowClientConfig = {
  apiUrl: string;
  apiKey: string;
  /** Per request, including reading the body. 10–15 s suits Mailcow (§1). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Tag that marks mailboxes Portico created (§5.1, §8). */
  ownerTag?: string;
  /** Pause between the reconciling GET and the one retry of an unknown create (§8). */
  retryDelayMs?: number;
};

export type CreateMailboxInput = {
  localPart: string;
  domain: string;
  name: string;
  password: string;
  /** MiB, an integer ≥ 1 (Mailcow reads 0 or anything non-numeric as unlimited). */
  quotaMb: number;
  activity?: MailboxActivity;
  forcePasswordUpdate?: boolean;
  /**
   * The caller's own earlier attempt for this address may have created it (its outcome was
   * unknown). Only then is object_exists on the first try taken as ours (§8); otherwise the
   * address belongs to someone else, whatever its tag and name.
   */
  mayAdopt?: boolean;
};

export type CreateMailboxOutcome = {
  address: string;
  /**
   * "created": this call made it. "reconciled": this call's own unanswered try made it.
   * "adopted": an earlier attempt of the caller's (`mayAdopt`) made it: object_exists, with our tag
   * and the same name. In the last two cases the password was set again.
   */
  outcome: "created" | "reconciled" | "adopted";
};

export type CreateMailboxResult =
  | { ok: true; value: CreateMailboxOutcome }
  | (MailcowFailure & {
      /** A create of this call went unanswered and nothing settled it: the mailbox may exist (§8). */
      mayExist: boolean;
    });

export type EditMailboxInput = {
  activity?: MailboxActivity;
  /** MiB, an integer ≥ 1. */
  quotaMb?: number;
  /** An empty name means "keep the current one" to Mailcow. */
  name?: string;
  password?: string;
  forcePasswordUpdate?: boolean;
};

export type MailcowClient = ReturnType<typeof createMailcowClient>;

/** Short English explanations of the keys that signup and a password change can meet (§5.1–5.3). */
export const MAILCOW_MESSAGES: Readonly<Record<string, string>> = {
  mailbox_invalid: "The mailbox address is not valid.",
  username_invalid: "The mailbox address is not valid.",
  domain_invalid: "The mail domain name is not valid.",
  access_denied:
    "Mailcow refused: the domain is not one of its domains, or the mailbox does not exist.",
  object_exists: "A mailbox with this address already exists.",
  is_alias: "This address is already in use as an alias.",
  is_spam_alias: "This address is already in use as a temporary alias.",
  domain_not_found:
    "This is an alias domain; mailboxes must be created in the main domain.",
  password_complexity: "The password does not meet Mailcow's password policy.",
  password_mismatch: "The password confirmation does not match.",
  max_mailbox_exceeded: "The mail domain has no room for more mailboxes.",
  mailbox_quota_exceeded:
    "The requested storage is above the domain's per-mailbox maximum.",
  mailbox_quota_left_exceeded:
    "The mail domain does not have enough storage left for this mailbox.",
  quarantine_category_invalid: "The quarantine category is not valid.",
  unlimited_quota_acl: "The API key may not create unlimited mailboxes.",
  redis_error: "Mailcow's Redis failed; try again later.",
};

const ACTIVITY_FLAG: Record<MailboxActivity, 0 | 1 | 2> = {
  disabled: 0,
  active: 1,
  login_disabled: 2,
};
const MAX_PASSWORD_BYTES = 72;
// §5.1: anything else may not survive the path rewrite of a GET.
const SAFE_LOCAL_PART = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

// §3: `msg` is a key, or the key followed by its arguments.
const messageEntry = z.object({
  type: z.string(),
  msg: z.union([z.string(), z.tuple([z.string()], z.unknown())]),
});
const messageList = z.array(messageEntry).min(1);
const routerReply = z.object({ type: z.string(), msg: z.string() });

const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const flag = z.union([z.number(), z.string()]).optional();

const mailboxPayload = z.object({
  username: z.string(),
  local_part: z.string(),
  domain: z.string(),
  name: z.string().nullable(),
  active: numeric,
  quota: numeric,
  quota_used: numeric.optional(),
  messages: numeric.optional(),
  last_imap_login: numeric.optional(),
  attributes: z.object({ force_pw_update: flag }).optional(),
  tags: z.array(z.string()).optional(),
});

const domainPayload = z.object({
  domain_name: z.string(),
  active: numeric,
  max_num_mboxes_for_domain: numeric,
  mboxes_in_domain: numeric,
  mboxes_left: numeric,
  max_quota_for_mbox: numeric,
  max_quota_for_domain: numeric,
  quota_used_in_domain: numeric,
  max_new_mailbox_quota: numeric,
});

const policyPayload = z.object({
  length: numeric,
  chars: numeric,
  special_chars: numeric,
  lowerupper: numeric,
  numbers: numeric,
});

const versionPayload = z.object({ version: z.string() });

// §3: an empty list is `{}`; only the address matters to Portico.
const aliasList = z.union([
  z.array(z.object({ address: z.string() })),
  z.object({}).strict(),
]);

type Reply = { ok: true; body: unknown } | MailcowFailure;

export function createMailcowClient(config: MailcowClientConfig) {
  const baseUrl = config.apiUrl.replace(/\/+$/, "");
  const timeoutMs = config.timeoutMs ?? 12_000;
  const doFetch = config.fetch ?? fetch;
  const ownerTag = config.ownerTag ?? "portico";
  const retryDelayMs = config.retryDelayMs ?? 1_000;
  // Names this URL and key without revealing the key: what a refusal of the key is recorded under.
  const keyFingerprint = createHash("sha256")
    .update(`${baseUrl}\n${config.apiKey.trim()}`)
    .digest("hex")
    .slice(0, 16);

  async function call(
    method: "GET" | "POST",
    route: string,
    body?: unknown,
  ): Promise<Reply> {
    // Without a key a GET answers an empty 200 (§2), which would look like an outage.
    if (config.apiKey.trim() === "")
      return {
        ok: false,
        kind: "config",
        detail: "The Mailcow API key is empty.",
      };
    let status: number;
    let text: string;
    try {
      const res = await doFetch(`${baseUrl}/api/v1/${route}`, {
        method,
        headers: {
          "X-API-Key": config.apiKey,
          Accept: "application/json",
          ...(method === "POST" && { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // §1: a followed redirect can turn a POST into a GET and a misleading 200.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      if (res.type === "opaqueredirect" || (status >= 300 && status < 400))
        return {
          ok: false,
          kind: "config",
          detail: `Mailcow answered ${route} with a redirect (${status}); the API URL must be the final https:// address.`,
        };
      text = await res.text();
    } catch (error) {
      const timedOut =
        error instanceof Error &&
        (error.name === "TimeoutError" || error.name === "AbortError");
      return {
        ok: false,
        kind: "unknown",
        detail: timedOut
          ? `${route} timed out after ${timeoutMs} ms`
          : `${route} failed: ${networkReason(error)}`,
      };
    }

    if (status >= 500)
      return {
        ok: false,
        kind: "unknown",
        detail: `${route} answered ${status}`,
      };
    // §1: 401 has an HTML content type but a JSON body, so parse regardless.
    const parsed = parseJson(text);
    const routerMsg = routerReply.safeParse(parsed);
    const said = routerMsg.success ? routerMsg.data.msg : "";
    if (status === 401 || status === 403)
      return {
        ok: false,
        kind: "auth",
        status,
        message:
          said || (status === 401 ? "authentication failed" : "access denied"),
      };
    if (status >= 400)
      return {
        ok: false,
        kind: "config",
        detail: `${route} answered ${status}${said ? `: ${said}` : ""}`,
      };
    if (text.trim() === "")
      return {
        ok: false,
        kind: "unknown",
        detail: `${route} answered ${status} with an empty body`,
      };
    if (parsed === undefined)
      return {
        ok: false,
        kind: "unknown",
        detail: `${route} answered ${status} with a body that is not JSON`,
      };
    return { ok: true, body: parsed };
  }

  /** §3 classification: success when an entry says `expectedKey` for `address`. */
  function classifyWrite(
    reply: Reply,
    route: string,
    expectedKey: string,
    address: string,
  ): MailcowResult<null> {
    if (!reply.ok) return reply;
    const list = messageList.safeParse(reply.body);
    if (!list.success) {
      const single = routerReply.safeParse(reply.body);
      return {
        ok: false,
        kind: "config",
        detail: single.success
          ? `${route} answered "${single.data.msg}" instead of a message list`
          : `${route} answered an unexpected shape`,
      };
    }
    const entries = list.data.map((entry) => {
      const [key, ...args] =
        typeof entry.msg === "string" ? [entry.msg] : entry.msg;
      return { type: entry.type, key, args: args.map(unescapeHtml) };
    });
    const done = entries.some(
      (e) =>
        e.type === "success" &&
        e.key === expectedKey &&
        typeof e.args[0] === "string" &&
        e.args[0].toLowerCase() === address,
    );
    if (done) return { ok: true, value: null };
    const danger = entries.find((e) => e.type === "danger");
    if (danger) return rejected(danger.key, danger.args);
    return {
      ok: false,
      kind: "unknown",
      detail: `${route} reported neither ${expectedKey} nor a refusal`,
    };
  }

  async function getMailbox(
    address: string,
  ): Promise<MailcowResult<Mailbox | null>> {
    const normal = normaliseAddress(address);
    if (!normal.ok) return normal;
    const reply = await call(
      "GET",
      `get/mailbox/${encodeURIComponent(normal.value)}`,
    );
    if (!reply.ok) return reply;
    // §5.4: not found is `{}`; an object without a username counts as not found too.
    if (!isRecord(reply.body))
      return unexpected("get/mailbox answered something other than an object");
    if (typeof reply.body.username !== "string")
      return { ok: true, value: null };
    const m = mailboxPayload.safeParse(reply.body);
    if (!m.success)
      return unexpected("get/mailbox answered an unexpected shape");
    const lastImap = m.data.last_imap_login ?? 0;
    return {
      ok: true,
      value: {
        address: m.data.username,
        localPart: m.data.local_part,
        domain: m.data.domain,
        name: m.data.name ?? "",
        activity: activityOf(m.data.active),
        quotaBytes: m.data.quota,
        quotaUsedBytes: m.data.quota_used ?? 0,
        messages: m.data.messages ?? 0,
        lastImapLoginAt: lastImap === 0 ? null : lastImap,
        forcePasswordUpdate: Number(m.data.attributes?.force_pw_update) === 1,
        tags: m.data.tags ?? [],
      },
    };
  }

  async function editMailbox(
    address: string,
    input: EditMailboxInput,
  ): Promise<MailcowResult<{ address: string }>> {
    const normal = normaliseAddress(address);
    if (!normal.ok) return normal;
    const attr: Record<string, string | number> = {};
    if (input.activity !== undefined)
      attr.active = ACTIVITY_FLAG[input.activity];
    if (input.quotaMb !== undefined) {
      const bad = quotaProblem(input.quotaMb);
      if (bad) return bad;
      attr.quota = input.quotaMb;
    }
    if (input.name !== undefined) attr.name = input.name;
    if (input.password !== undefined) {
      const bad = passwordProblem(input.password);
      if (bad) return bad;
      attr.password = input.password;
      attr.password2 = input.password;
    }
    if (input.forcePasswordUpdate !== undefined)
      attr.force_pw_update = input.forcePasswordUpdate ? 1 : 0;
    const reply = await call("POST", "edit/mailbox", {
      items: [normal.value],
      attr,
    });
    const result = classifyWrite(
      reply,
      "edit/mailbox",
      "mailbox_modified",
      normal.value,
    );
    return result.ok ? { ok: true, value: { address: normal.value } } : result;
  }

  /**
   * Creates the mailbox, tagged as Portico's. An unknown outcome is reconciled with a GET before one
   * retry (§8). object_exists counts as success only for a mailbox with our tag and the same name
   * that this call, or (with `mayAdopt`) the caller's earlier attempt, may have created.
   */
  async function createMailbox(
    input: CreateMailboxInput,
  ): Promise<CreateMailboxResult> {
    const normal = normaliseAddress(`${input.localPart}@${input.domain}`);
    if (!normal.ok) return settled(normal);
    const address = normal.value;
    const badQuota = quotaProblem(input.quotaMb);
    if (badQuota) return settled(badQuota);
    const badPassword = passwordProblem(input.password);
    if (badPassword) return settled(badPassword);
    const [localPart = "", domain = ""] = address.split("@");
    // §5.1: always send name and quota; flags as numbers because of intval (§4).
    const body = {
      local_part: localPart,
      domain,
      name: input.name,
      quota: input.quotaMb,
      password: input.password,
      password2: input.password,
      active: ACTIVITY_FLAG[input.activity ?? "active"],
      force_pw_update: input.forcePasswordUpdate ? 1 : 0,
      // The issue asks for TLS on both legs of delivery for customers' mailboxes.
      tls_enforce_in: 1,
      tls_enforce_out: 1,
      tags: [ownerTag],
    };
    const expectedName = input.name.replace(/^</, "").replace(/>$/, "");

    const attempt = async () =>
      classifyWrite(
        await call("POST", "add/mailbox", body),
        "add/mailbox",
        "mailbox_added",
        address,
      );
    // The mailbox exists; it is ours only if it carries our tag and the name we sent.
    const adoptIfOurs = async (
      outcome: "reconciled" | "adopted",
      existing?: Mailbox,
    ): Promise<CreateMailboxResult> => {
      let mailbox = existing;
      if (!mailbox) {
        const found = await getMailbox(address);
        if (!found.ok) return unsettled(found);
        if (!found.value)
          return unsettled({
            ok: false,
            kind: "unknown",
            detail:
              "add/mailbox said object_exists but the mailbox is not there",
          });
        mailbox = found.value;
      }
      if (!mailbox.tags.includes(ownerTag) || mailbox.name !== expectedName)
        return settled(rejected("object_exists", [address]));
      // §8: the earlier attempt's password, and whether it must be replaced, may not be what this
      // call wants: set both again.
      const edited = await editMailbox(address, {
        password: input.password,
        forcePasswordUpdate: input.forcePasswordUpdate ?? false,
      });
      return edited.ok
        ? { ok: true, value: { address, outcome } }
        : unsettled(edited);
    };
    const isExists = (r: MailcowResult<null>) =>
      !r.ok && r.kind === "rejected" && r.key === "object_exists";

    const first = await attempt();
    if (first.ok) return { ok: true, value: { address, outcome: "created" } };
    // §8: on a first attempt the address belongs to someone else, unless the caller's own
    // unanswered attempt may have made it; a tag and a name are not proof (another install).
    if (isExists(first))
      return input.mayAdopt ? adoptIfOurs("adopted") : settled(first);
    if (first.kind !== "unknown") return settled(first);

    // §8, rule 10: a create that timed out may still have happened. Never repeat it blindly.
    const found = await getMailbox(address);
    if (!found.ok) return unsettled(found.kind === "unknown" ? first : found);
    if (found.value) return adoptIfOurs("reconciled", found.value);
    if (retryDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    const second = await attempt();
    if (second.ok) return { ok: true, value: { address, outcome: "created" } };
    if (isExists(second)) return adoptIfOurs("reconciled");
    return second.kind === "unknown" ? unsettled(second) : settled(second);
  }

  /**
   * Every address Mailcow has as an alias, lower-cased. A mailbox GET answers `{}` for an alias
   * (§5.4), so only this list shows that a name is taken by one (§5.1 check 8).
   */
  async function listAliasAddresses(): Promise<MailcowResult<string[]>> {
    const reply = await call("GET", "get/alias/all");
    if (!reply.ok) return reply;
    const list = aliasList.safeParse(reply.body);
    if (!list.success)
      return unexpected("get/alias/all answered an unexpected shape");
    return {
      ok: true,
      value: Array.isArray(list.data)
        ? list.data.map((a) => a.address.toLowerCase())
        : [],
    };
  }

  /** Idempotent: a mailbox that is already gone counts as deleted (§8). */
  async function deleteMailbox(
    address: string,
  ): Promise<MailcowResult<{ outcome: "deleted" | "already_gone" }>> {
    const normal = normaliseAddress(address);
    if (!normal.ok) return normal;
    // §5.3: a bare array; `{"items": […]}` deletes nothing.
    const reply = await call("POST", "delete/mailbox", [normal.value]);
    const result = classifyWrite(
      reply,
      "delete/mailbox",
      "mailbox_removed",
      normal.value,
    );
    if (result.ok) return { ok: true, value: { outcome: "deleted" } };
    if (result.kind === "rejected" && result.key === "access_denied") {
      const found = await getMailbox(normal.value);
      if (found.ok && found.value === null)
        return { ok: true, value: { outcome: "already_gone" } };
    }
    return result;
  }

  /** Capacity of a mail domain, sizes in bytes; null when Mailcow has no such domain. */
  async function getDomain(
    domain: string,
  ): Promise<MailcowResult<MailcowDomain | null>> {
    const name = domainToASCII(domain.trim().toLowerCase());
    if (name === "" || /[/?#%&+]/.test(name))
      return invalid("domain", "The domain name is not valid.");
    const reply = await call("GET", `get/domain/${encodeURIComponent(name)}`);
    if (!reply.ok) return reply;
    if (!isRecord(reply.body))
      return unexpected("get/domain answered something other than an object");
    if (typeof reply.body.domain_name !== "string")
      return { ok: true, value: null };
    const d = domainPayload.safeParse(reply.body);
    if (!d.success)
      return unexpected("get/domain answered an unexpected shape");
    return {
      ok: true,
      value: {
        domain: d.data.domain_name,
        isActive: d.data.active === 1,
        maxMailboxes: d.data.max_num_mboxes_for_domain,
        mailboxes: d.data.mboxes_in_domain,
        mailboxesLeft: d.data.mboxes_left,
        maxQuotaPerMailboxBytes: d.data.max_quota_for_mbox,
        maxQuotaForDomainBytes: d.data.max_quota_for_domain,
        quotaAllocatedBytes: d.data.quota_used_in_domain,
        maxNewMailboxQuotaBytes: d.data.max_new_mailbox_quota,
      },
    };
  }

  async function getPasswordPolicy(): Promise<
    MailcowResult<MailcowPasswordPolicy>
  > {
    const reply = await call("GET", "get/passwordpolicy");
    if (!reply.ok) return reply;
    const p = policyPayload.safeParse(reply.body);
    if (!p.success)
      return unexpected("get/passwordpolicy answered an unexpected shape");
    return {
      ok: true,
      value: {
        minBytes: p.data.length,
        needsLetter: p.data.chars === 1,
        needsSpecial: p.data.special_chars === 1,
        needsLowerAndUpper: p.data.lowerupper === 1,
        needsDigit: p.data.numbers === 1,
      },
    };
  }

  /**
   * Whether the key may create and change mailboxes, changing nothing: an edit of no mailbox
   * answers "Task completed" (§5.2), and a read-only key gets 403 as for any write (§2).
   */
  async function checkWriteAccess(): Promise<MailcowResult<null>> {
    const reply = await call("POST", "edit/mailbox", { items: [], attr: {} });
    if (!reply.ok) return reply;
    const answer = routerReply.safeParse(reply.body);
    return answer.success && answer.data.type === "success"
      ? { ok: true, value: null }
      : unexpected("edit/mailbox answered an empty edit with something else");
  }

  /** Cheap reachability and key check (§5.8). */
  async function ping(): Promise<MailcowResult<{ version: string }>> {
    const reply = await call("GET", "get/status/version");
    if (!reply.ok) return reply;
    const v = versionPayload.safeParse(reply.body);
    return v.success
      ? { ok: true, value: { version: v.data.version } }
      : unexpected("get/status/version answered an unexpected shape");
  }

  return {
    keyFingerprint,
    createMailbox,
    listAliasAddresses,
    getMailbox,
    editMailbox,
    deleteMailbox,
    getDomain,
    getPasswordPolicy,
    checkWriteAccess,
    ping,
  };
}

// A create's failure, and whether a mailbox may have been made anyway.
const settled = (f: MailcowFailure): CreateMailboxResult => ({
  ...f,
  mayExist: false,
});
const unsettled = (f: MailcowFailure): CreateMailboxResult => ({
  ...f,
  mayExist: true,
});

function rejected(key: string, args: unknown[]): MailcowFailure {
  return {
    ok: false,
    kind: "rejected",
    key,
    args,
    message: MAILCOW_MESSAGES[key] ?? `Mailcow refused the request (${key}).`,
  };
}

const invalid = (field: string, message: string): MailcowFailure => ({
  ok: false,
  kind: "invalid",
  field,
  message,
});

const unexpected = (detail: string): MailcowFailure => ({
  ok: false,
  kind: "config",
  detail,
});

/** §4 normalisation (trim, lower-case, punycode), refusing what the GET path cannot carry (§1). */
function normaliseAddress(
  address: string,
): { ok: true; value: string } | MailcowFailure {
  const at = address.lastIndexOf("@");
  const localPart = address.slice(0, Math.max(at, 0)).trim().toLowerCase();
  const domain = domainToASCII(
    address
      .slice(at + 1)
      .trim()
      .toLowerCase(),
  );
  if (at < 0 || localPart.length > 64 || !SAFE_LOCAL_PART.test(localPart))
    return invalid(
      "localPart",
      'Use a–z and 0–9 with single ".", "-" or "_" between them, at most 64 characters.',
    );
  if (domain === "" || !domain.includes("."))
    return invalid("domain", "The domain name is not valid.");
  return { ok: true, value: `${localPart}@${domain}` };
}

function quotaProblem(quotaMb: number): MailcowFailure | null {
  // §4: 0 or a fraction would silently become unlimited or be truncated, and negatives are accepted.
  return Number.isInteger(quotaMb) && quotaMb >= 1
    ? null
    : invalid(
        "quotaMb",
        "The quota must be a whole number of MiB, at least 1.",
      );
}

/** Passwords Mailcow would mishandle without an error (§5.1, §5.2). Never echoes the password. */
function passwordProblem(password: string): MailcowFailure | null {
  if (password === "" || password === "0")
    return invalid("password", "Mailcow treats this password as empty.");
  if (/[\u0000-\u001f\u007f]/.test(password))
    return invalid("password", "The password contains control characters.");
  if (/^\{[^}]*\}/.test(password))
    return invalid(
      "password",
      'The password may not start with a "{…}" scheme prefix.',
    );
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES)
    return invalid(
      "password",
      `The password may be at most ${MAX_PASSWORD_BYTES} bytes.`,
    );
  return null;
}

function activityOf(active: number): MailboxActivity {
  return active === 1 ? "active" : active === 2 ? "login_disabled" : "disabled";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// §3: string arguments are HTML-escaped by the server.
function unescapeHtml(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, "&");
}

// fetch says only "fetch failed"; the code on its cause (ECONNREFUSED…) says what happened.
function networkReason(error: unknown): string {
  return (
    errorCodes(error)[0] ??
    (error instanceof Error ? error.message : "network error")
  );
}
