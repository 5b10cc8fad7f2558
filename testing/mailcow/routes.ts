import type http from "node:http";
import { asRecord, parsePhpJson } from "@/testing/mailcow/php";
import {
  MIB,
  addMailbox,
  deleteMailbox,
  editMailbox,
  quotaSumMib,
  recordFailedAuth,
  splitAddress,
  type Entry,
  type FakeDomain,
  type FakeMailbox,
  type FakeMailcowState,
  type WriteOutcome,
} from "@/testing/mailcow/state";

// Mailcow's HTTP contract (docs/mailcow.md §1–§5): which paths exist, who may call them, and the
// status, content type and body each answer has, quirks included. The rules behind the writes are
// in state.ts.

export type Reply = {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
};

/** The API keys and the IP allow-list they share; an operator may change the list at any time (§2). */
export type Access = {
  apiKey: string;
  readOnlyKey: string;
  /** Caller IPs the keys accept; "any" is Mailcow's "skip IP check". */
  allowedIps: string[] | "any";
};

export type RouteContext = {
  state: FakeMailcowState;
  access: Access;
  /** PHP display_errors: a crash answers 200 (on, the stock default) or 500 (off). */
  displayErrors: boolean;
  now: () => number;
};

/** A routed request: the answer, or for a write the change still to apply, which yields the answer. */
type Routed = { reply: Reply; commit?: () => Reply };

type Role = "rw" | "ro" | "none";

export const JSON_TYPE = "application/json; charset=utf-8";

const json = (status: number, value: unknown): Reply => ({
  status,
  body: JSON.stringify(value),
});
const generic = (status: number, type: string, msg: string) =>
  json(status, { type, msg });

export const headerValue = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v[0] : v;

/** Routes and, for a write, applies the request at once. */
export function respond(
  ctx: RouteContext,
  req: http.IncomingMessage,
  raw: string,
  ip: string,
): Reply {
  const routed = route(ctx, req, raw, ip);
  return routed.commit ? routed.commit() : routed.reply;
}

// The router (§1, §3): auth, then body, then method, then the endpoint.
function route(
  ctx: RouteContext,
  req: http.IncomingMessage,
  raw: string,
  ip: string,
): Routed {
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

  const auth = authenticate(ctx, headerValue(req.headers["x-api-key"]), ip);
  if ("reply" in auth) return { reply: auth.reply };
  const { role } = auth;

  const isWrite = action === "add" || action === "edit" || action === "delete";
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
      return { reply: get(ctx.state, category, object, extra) };
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
      const { state, now } = ctx;
      const run =
        action === "add"
          ? () =>
              outcome(
                ctx,
                addMailbox(state, asRecord(body), {
                  hasKey: role !== "none",
                  now: now(),
                }),
              )
          : action === "edit"
            ? () =>
                entries(
                  editMailbox(state, asRecord(body), now()),
                  generic(200, "success", "Task completed"),
                )
            : () =>
                entries(
                  deleteMailbox(state, body),
                  generic(200, "error", "Cannot delete item"),
                );
      return { reply: { status: 200, body: "" }, commit: run };
    }
    default:
      return { reply: generic(404, "error", "route not found") };
  }
}

// §2: key lookup after stripping everything but letters, digits and "-".
function authenticate(
  { state, access, now }: RouteContext,
  header: string | undefined,
  ip: string,
): { role: Role } | { reply: Reply } {
  if (header === undefined || header === "") return { role: "none" };
  const key = header.replace(/[^A-Za-z0-9-]/g, "");
  const role: Role | null =
    key === access.apiKey ? "rw" : key === access.readOnlyKey ? "ro" : null;
  const ipAllowed =
    access.allowedIps === "any" || access.allowedIps.includes(ip);
  if (role !== null && ipAllowed) return { role };
  recordFailedAuth(state, ip, now());
  const msg =
    role === null ? "authentication failed" : `api access denied for ip ${ip}`;
  // §1: produced before the JSON header is set, so the content type is HTML.
  return {
    reply: {
      status: 401,
      body: JSON.stringify({ type: "error", msg }),
      contentType: "text/html; charset=UTF-8",
    },
  };
}

// §1: a PHP crash leaves an empty HTML page, its status set by display_errors.
function outcome(ctx: RouteContext, result: WriteOutcome): Reply {
  if ("crashed" in result)
    return {
      status: ctx.displayErrors ? 200 : 500,
      body: "",
      contentType: "text/html; charset=UTF-8",
    };
  return json(200, result.entries);
}

const entries = (list: Entry[], whenEmpty: Reply): Reply =>
  list.length > 0 ? json(200, list) : whenEmpty;

function get(
  state: FakeMailcowState,
  category: string,
  object: string | undefined,
  extra: string | undefined,
): Reply {
  switch (category) {
    case "mailbox": {
      if (object === "all" || object === "reduced") {
        const wanted = domainList(extra);
        let list = [...state.mailboxes.values()];
        const known = wanted.filter((d) => state.domains.has(d));
        // §5.5: a filter naming no known domain is dropped silently.
        if (known.length > 0)
          list = list.filter((m) => known.includes(m.domain));
        return json(
          200,
          list.length === 0 ? {} : list.map((m) => mailboxJson(state, m)),
        );
      }
      const found = state.mailboxes.get((object ?? "").toLowerCase());
      return json(200, found ? mailboxJson(state, found) : {});
    }
    case "domain": {
      const found = state.domains.get((object ?? "").toLowerCase());
      return json(200, found ? domainJson(state, found) : {});
    }
    case "alias": {
      const all = [...state.aliases].map((address, i) =>
        aliasJson(i + 1, address),
      );
      if (object === "all") {
        const wanted = domainList(extra);
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

const domainList = (extra: string | undefined) =>
  (extra ?? "")
    .split(",")
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== "");

function mailboxJson(state: FakeMailcowState, m: FakeMailbox) {
  const domain = state.domains.get(m.domain);
  const percent =
    m.quotaBytes === 0 ? "- " : Math.round((m.quotaUsed / m.quotaBytes) * 100);
  const maxNewMib = domain
    ? Math.min(
        domain.totalQuotaMib - quotaSumMib(state, domain.name, m.username),
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

function domainJson(state: FakeMailcowState, d: FakeDomain) {
  const boxes = [...state.mailboxes.values()].filter(
    (m) => m.domain === d.name,
  );
  const usedMib = quotaSumMib(state, d.name);
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
