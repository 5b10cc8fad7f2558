import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  apiCalls,
  attachments,
  outboundMail,
  ticketMessages,
  ticketParticipants,
  tickets,
  users,
} from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { handleOsTicketCall, osTicketFormatOf } from "@/lib/osticket/api-call";
import { listApiCalls, pruneApiCalls } from "@/lib/osticket/call-log";
import { PEER_HEADER } from "@/lib/peer";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

// The conformance suite for the osTicket-compatible API, written from
// docs/api.md: every row of its status table (§8) and the field rules (§4–§7,
// §10), plus Portico's additions (Idempotency-Key, rate limit, 413, call log, trusted proxies).

const CALLER = "198.51.100.20";
const OTHER = "198.51.100.99";
const NUMBER = /^[0-9]{6}$/;
const DENIED = (email: string) =>
  `Unable to create new ticket :Ticket denied: ${email}\n\nThis help desk is for use by authorized users only`;

let t: TestDb;
let restoreEnv: () => void;
const keys = {} as Record<
  "valid" | "otherIp" | "disabled" | "noCreate" | "proxy",
  string
>;

beforeAll(async () => {
  restoreEnv = setTestEnv({
    API_RATE_LIMIT_PER_MINUTE: "0",
    TRUSTED_PROXIES: "10.0.0.0/8",
  });
  t = await createTestDb();
  await seedDemoData(t.db);
  const make = async (ip: string, over: Record<string, string> = {}) => {
    const r = await createApiKey(
      t.db,
      { kind: "system" },
      apiKeyCreateInput.parse({
        ipAddress: ip,
        isActive: "on",
        canCreateTickets: "on",
        ...over,
      }),
    );
    if (!r.ok) throw new Error(r.error.message);
    return r.value.key;
  };
  keys.valid = await make(CALLER);
  keys.otherIp = await make(OTHER);
  keys.disabled = await make(CALLER, { isActive: "" });
  keys.noCreate = await make(CALLER, { canCreateTickets: "" });
  keys.proxy = await make("203.0.113.50");
});

afterAll(async () => {
  restoreEnv();
  await t.close();
});

type Call = {
  path?: string;
  method?: string;
  key?: string | null;
  peer?: string | null;
  headers?: Record<string, string>;
  body?: string;
};

async function call(c: Call = {}) {
  const path = c.path ?? "/api/tickets.json";
  const headers: Record<string, string> = { ...c.headers };
  const key = c.key === undefined ? keys.valid : c.key;
  if (key !== null) headers["x-api-key"] = key;
  const peer = c.peer === undefined ? CALLER : c.peer;
  if (peer !== null) headers[PEER_HEADER] = peer;
  const method = c.method ?? "POST";
  const req = new Request(`http://portal.test${path}`, {
    method,
    headers,
    body: method === "GET" ? undefined : c.body,
  });
  const segments = path.replace(/^\/api\//, "").split("/");
  const res = await handleOsTicketCall(t.db, req, osTicketFormatOf(segments));
  return {
    status: res.status,
    body: await res.text(),
    headers: res.headers,
  };
}

const json = (fields: Record<string, unknown>) => JSON.stringify(fields);
const minimal = {
  name: "Alice Min",
  email: "alice.min@example.com",
  subject: "Minimal",
  message: "Hello from the minimal case",
};

async function ticketByNumber(number: string) {
  const [ticket] = await t.db
    .select()
    .from(tickets)
    .where(eq(tickets.number, number));
  if (!ticket) throw new Error(`no ticket ${number}`);
  const messages = await t.db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticket.id))
    .orderBy(ticketMessages.createdAt);
  const mail = await t.db
    .select({ kind: outboundMail.kind, to: outboundMail.toAddress })
    .from(outboundMail)
    .where(eq(outboundMail.ticketId, ticket.id));
  return { ticket, messages, mail };
}

async function ticketCount() {
  const [row] = await t.db.select({ n: count() }).from(tickets);
  return row!.n;
}

async function created(c: Call) {
  const r = await call(c);
  expect(r.body).toMatch(NUMBER);
  expect(r.status).toBe(201);
  return ticketByNumber(r.body);
}

describe("§8 row 1: created", () => {
  it("answers 201 with the bare six-digit number as text/html, and the ticket is an ordinary one", async () => {
    const r = await call({ body: json(minimal) });
    expect(r.status).toBe(201);
    expect(r.body).toMatch(NUMBER);
    expect(r.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(r.headers.get("content-length")).toBe(String(r.body.length));

    const { ticket, messages, mail } = await ticketByNumber(r.body);
    expect(ticket).toMatchObject({
      subject: "Minimal",
      source: "api",
      status: "open",
      priority: "normal",
      departmentId: 1,
      helpTopicId: null,
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: "customer",
      bodyText: "Hello from the minimal case",
      ip: CALLER,
    });
    const [customer] = await t.db
      .select()
      .from(users)
      .where(eq(users.id, ticket.customerId));
    expect(customer).toMatchObject({
      email: "alice.min@example.com",
      name: "Alice Min",
      role: "customer",
      passwordHash: null,
    });
    // alert and autorespond default to on: the department's agents and the customer are mailed.
    expect(mail.map((m) => m.kind).sort()).toContain("ticket_acknowledgement");
    expect(mail.map((m) => m.kind)).toContain("new_ticket_alert");
  });

  it("accepts any Content-Type: only the URL suffix decides the format", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const r = await call({
        body: json(minimal),
        headers: { "content-type": type },
      });
      expect(r.status).toBe(201);
    }
  });

  it("answers the same on the un-rewritten /api/http.php/tickets.json path", async () => {
    const r = await call({
      path: "/api/http.php/tickets.json",
      body: json(minimal),
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatch(NUMBER);
  });
});

describe("§8 rows 3–5: parse and routing errors (400)", () => {
  it.each([
    ["not JSON", "{nope"],
    ["a trailing comma", '{"email":"a@example.com",}'],
    ["an empty body", ""],
  ])("%s → Syntax error, malformed JSON", async (_, body) => {
    expect(await call({ body })).toMatchObject({
      status: 400,
      body: "Syntax error, malformed JSON",
    });
  });

  it.each(["{}", "null"])("%s → No errors", async (body) => {
    expect(await call({ body })).toMatchObject({
      status: 400,
      body: "No errors",
    });
  });

  it.each([
    ["GET", "/api/tickets.json"],
    ["PUT", "/api/tickets.json"],
    ["POST", "/api/tickets.yaml"],
    ["POST", "/api/http.php/tickets.yaml"],
    ["POST", "/api/tasks/cron"],
  ])("%s %s → URL not supported", async (method, path) => {
    expect(
      await call({ method, path, body: method === "GET" ? undefined : "{}" }),
    ).toMatchObject({ status: 400, body: "URL not supported" });
  });
});

describe("§8 row 6 and §2: authentication (401)", () => {
  it.each<[string, Call, string]>([
    ["no X-API-Key header", { key: null }, "Valid API key required"],
    ["an empty header", { key: "" }, "Valid API key required"],
    [
      "an unknown key",
      { key: "0123456789ABCDEF0123456789ABCDEF" },
      "Valid API key required",
    ],
    [
      "a key bound to another IP (no message of its own)",
      { key: "otherIp" },
      "Valid API key required",
    ],
    [
      "a disabled key",
      { key: "disabled" },
      "API key not found/active or source IP not authorized",
    ],
    [
      "a key without ticket permission",
      { key: "noCreate" },
      "API key not authorized",
    ],
  ])("%s", async (_, c, body) => {
    const key =
      c.key && c.key in keys ? keys[c.key as keyof typeof keys] : c.key;
    const before = await ticketCount();
    expect(await call({ ...c, key, body: json(minimal) })).toMatchObject({
      status: 401,
      body,
    });
    expect(await ticketCount()).toBe(before);
  });

  it("compares keys case-insensitively", async () => {
    const r = await call({
      key: keys.valid.toLowerCase(),
      body: json(minimal),
    });
    expect(r.status).toBe(201);
  });

  it("authenticates before reading the body: a bad key with a broken body is still 401", async () => {
    expect(
      await call({ key: "0123456789ABCDEF0123456789ABCDEF", body: "{broken" }),
    ).toMatchObject({ status: 401, body: "Valid API key required" });
  });

  it("ignores X-Forwarded-For from an untrusted peer, so spoofing cannot pass an IP binding", async () => {
    expect(
      await call({
        key: keys.otherIp,
        headers: { "x-forwarded-for": OTHER },
        body: json(minimal),
      }),
    ).toMatchObject({ status: 401, body: "Valid API key required" });
  });

  it("believes X-Forwarded-For only when the peer is a trusted proxy", async () => {
    const viaProxy = await call({
      key: keys.proxy,
      peer: "10.1.2.3",
      headers: { "x-forwarded-for": "198.51.100.1, 203.0.113.50" },
      body: json(minimal),
    });
    expect(viaProxy.status).toBe(201);
    // The nearest untrusted hop counts, not whatever the client wrote first.
    const forged = await call({
      key: keys.valid,
      peer: "10.1.2.3",
      headers: { "x-forwarded-for": `${CALLER}, 203.0.113.50` },
      body: json(minimal),
    });
    expect(forged.status).toBe(401);
  });

  it("fails closed when the server did not say who the peer is", async () => {
    expect(await call({ peer: null, body: json(minimal) })).toMatchObject({
      status: 401,
      body: "Valid API key required",
    });
  });

  it("sees an IPv4 peer on a dual-stack socket as its IPv4 address", async () => {
    const r = await call({ peer: `::ffff:${CALLER}`, body: json(minimal) });
    expect(r.status).toBe(201);
  });
});

describe("§8 row 7 and §7: the ban list (403)", () => {
  it("refuses a banned address, in any letter case, with the address as sent", async () => {
    const before = await ticketCount();
    for (const email of ["test@example.com", "TEST@Example.com"]) {
      expect(await call({ body: json({ ...minimal, email }) })).toMatchObject({
        status: 403,
        body: DENIED(email),
      });
    }
    expect(await ticketCount()).toBe(before);
  });

  it("answers 403 before the form's own errors", async () => {
    expect(
      await call({
        body: json({ ...minimal, email: "test@example.com", subject: "" }),
      }),
    ).toMatchObject({ status: 403, body: DENIED("test@example.com") });
  });
});

describe("§8 rows 8–17: validation failures are 500 with osTicket's exact text", () => {
  const USER =
    "Unable to create new ticket :user\nIncomplete client information";
  it.each<[string, Record<string, unknown>, string]>([
    ["a missing email", { ...minimal, email: undefined }, USER],
    [
      "a display-name email",
      { ...minimal, email: "Alice <alice@example.com>" },
      USER,
    ],
    ["an address at localhost", { ...minimal, email: "a@localhost" }, USER],
    [
      "a new user without a name",
      { ...minimal, name: undefined, email: "nobody-yet@example.com" },
      USER,
    ],
    [
      "a new user with an invalid phone",
      { ...minimal, email: "phone-abc@example.com", phone: "abc" },
      USER,
    ],
    [
      "a missing subject (row 9)",
      { ...minimal, subject: undefined },
      "Unable to create new ticket :20\nIssue Summary is a required field",
    ],
    [
      "a missing message (row 10)",
      { ...minimal, message: undefined },
      "Unable to create new ticket :21\nIssue Details is a required field",
    ],
    [
      "several failures at once (row 11)",
      { alert: true },
      "Unable to create new ticket :user\nIncomplete client information\n20\nIssue Summary is a required field\n21\nIssue Details is a required field",
    ],
    [
      "a new user without a name and no subject: the user comes first",
      { email: "nameless@example.com", message: "m" },
      "Unable to create new ticket :user\nIncomplete client information\n20\nIssue Summary is a required field",
    ],
    [
      "an unparsable due date (row 12)",
      { ...minimal, duedate: "not a date" },
      "Unable to create new ticket :duedate\nInvalid due date",
    ],
    [
      "a due date in the past (row 13)",
      { ...minimal, duedate: "2001-01-01" },
      "Unable to create new ticket :duedate\nDue date must be in the future",
    ],
    [
      "source Phone (row 14)",
      { ...minimal, source: "Phone" },
      "Unable to create new ticket :origin\nInvalid ticket origin given\nerr\nNo fields set up",
    ],
    [
      "source Email without a system email (row 15)",
      { ...minimal, source: "Email" },
      "Unable to create new ticket :emailId\nUnknown system email\nerr\nMissing or invalid data — Correct any errors below and try again",
    ],
  ])("%s", async (_, fields, body) => {
    const before = await ticketCount();
    expect(await call({ body: json(fields) })).toMatchObject({
      status: 500,
      body,
    });
    expect(await ticketCount()).toBe(before);
  });

  it("source Web asks for a help topic (row 16)", async () => {
    const r = await call({ body: json({ ...minimal, source: "Web" }) });
    expect(r.status).toBe(500);
    expect(r.body).toMatch(
      /^Unable to create new ticket :topicId\nSelect a Help Topic\nerr\n/,
    );
  });

  it("a top-level array reports every required field missing", async () => {
    expect(await call({ body: '["a","b"]' })).toMatchObject({
      status: 500,
      body: "Unable to create new ticket :user\nIncomplete client information\n20\nIssue Summary is a required field\n21\nIssue Details is a required field",
    });
  });
});

describe("§8 row 18: upstream's crashes become clean refusals, with nothing created", () => {
  it("a non-string message is 400", async () => {
    const before = await ticketCount();
    for (const message of [{ a: 1 }, ["x"]]) {
      expect(await call({ body: json({ ...minimal, message }) })).toMatchObject(
        { status: 400, body: "Syntax error, message must be a string" },
      );
    }
    expect(await ticketCount()).toBe(before);
  });

  it("malformed XML is 400", async () => {
    expect(
      await call({ path: "/api/tickets.xml", body: "<ticket><email>" }),
    ).toMatchObject({ status: 400, body: "Syntax error, malformed XML" });
  });

  it("a body over 8 MB is 413, streamed or declared, and creates nothing", async () => {
    const before = await ticketCount();
    const big = json({
      ...minimal,
      message: "x".repeat(8 * 1024 * 1024 + 10),
    });
    expect(await call({ body: big })).toMatchObject({
      status: 413,
      body: "Request body too large",
    });
    // A stream with no Content-Length is cut off once it passes the limit.
    const chunk = new Uint8Array(1024 * 1024).fill(120);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 20) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const req = new Request("http://portal.test/api/tickets.json", {
      method: "POST",
      headers: { "x-api-key": keys.valid, [PEER_HEADER]: CALLER },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await handleOsTicketCall(t.db, req, "json");
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(12); // stopped reading soon after 8 MB
    expect(await ticketCount()).toBe(before);
  });
});

describe("§4–§7: field rules", () => {
  it("keeps a message with a NUL or a lone surrogate in it, which PostgreSQL's text cannot hold", async () => {
    const { ticket, messages } = await created({
      body: json({
        ...minimal,
        subject: "Odd \ud800 bytes",
        message: "before\u0000after \udc00 end",
      }),
    });
    expect(ticket.subject).toBe("Odd \ufffd bytes");
    expect(messages[0]?.bodyText).toBe("before\ufffdafter \ufffd end");
  });

  it("matches an existing user case-insensitively and never changes their name", async () => {
    const { ticket } = await created({
      body: json({
        email: "ALICE@example.com",
        name: "Somebody Else",
        subject: "Existing user",
        message: "m",
      }),
    });
    const [alice] = await t.db
      .select()
      .from(users)
      .where(eq(users.id, ticket.customerId));
    expect(alice).toMatchObject({
      email: "alice@example.com",
      name: "Alice Martin",
    });
    // The name may be left out for an existing user.
    await created({
      body: json({ email: "alice@example.com", subject: "s", message: "m" }),
    });
  });

  it("strips HTML from a new user's name and keeps phone digits and notes", async () => {
    const { ticket } = await created({
      body: json({
        ...minimal,
        email: "hugo@example.com",
        name: "<b>Hugo</b> <script>x</script>Html",
        phone: "318-555-8634X123",
        notes: "VIP customer",
      }),
    });
    const [hugo] = await t.db
      .select()
      .from(users)
      .where(eq(users.id, ticket.customerId));
    expect(hugo).toMatchObject({
      name: "Hugo xHtml",
      phone: "3185558634X123",
      notes: "VIP customer",
    });
  });

  it("alert:false sends no staff alert; autorespond:false no acknowledgement", async () => {
    const quiet = await created({
      body: json({ ...minimal, alert: false, autorespond: false }),
    });
    expect(quiet.mail).toEqual([]);
    const noAck = await created({
      body: json({ ...minimal, autorespond: 0 }),
    });
    expect(noAck.mail.map((m) => m.kind)).not.toContain(
      "ticket_acknowledgement",
    );
    expect(noAck.mail.map((m) => m.kind)).toContain("new_ticket_alert");
    // PHP casting: the string "false" is true.
    const stringFalse = await created({
      body: json({ ...minimal, alert: "false" }),
    });
    expect(stringFalse.mail.map((m) => m.kind)).toContain("new_ticket_alert");
  });

  it("topicId sets department and SLA; unknown topics are ignored; priority ids map to names", async () => {
    const maintenance = await created({
      body: json({ ...minimal, topicId: 10 }),
    });
    expect(maintenance.ticket).toMatchObject({
      helpTopicId: 10,
      departmentId: 3,
    });
    const unknown = await created({
      body: json({ ...minimal, topicId: 999, priority: "high" }),
    });
    expect(unknown.ticket).toMatchObject({
      helpTopicId: null,
      departmentId: 1,
      priority: "normal",
    });
    // Beyond any database id, so it is as unknown as 999 (not a failed query).
    const huge = await created({
      body: json({ ...minimal, topicId: 465304135168 }),
    });
    expect(huge.ticket).toMatchObject({ helpTopicId: null, departmentId: 1 });
    const high = await created({ body: json({ ...minimal, priority: 3 }) });
    expect(high.ticket.priority).toBe("high");
    const emergency = await created({
      body: json({ ...minimal, priorityId: "4" }),
    });
    expect(emergency.ticket.priority).toBe("emergency");
  });

  it("stores the ip as sent, unvalidated", async () => {
    const { messages } = await created({
      body: json({ ...minimal, ip: "not-an-ip" }),
    });
    expect(messages[0]!.ip).toBe("not-an-ip");
  });

  it("escapes plain-text HTML and sanitises a text/html data URL", async () => {
    const text = await created({
      body: json({ ...minimal, message: "<b>bold</b>\nline two" }),
    });
    expect(text.messages[0]!.bodyText).toBe("<b>bold</b>\nline two");
    expect(text.messages[0]!.bodyHtml).toContain("&lt;b&gt;");

    const html = await created({
      body: json({
        ...minimal,
        message:
          'data:text/html;charset=utf-8,<p>The <b>printer</b> is on fire<script>alert(1)</script><img src=x onerror="alert(2)"></p>',
      }),
    });
    expect(html.messages[0]!.bodyHtml).toContain("<b>printer</b>");
    expect(html.messages[0]!.bodyHtml).not.toMatch(/script|onerror/);
    expect(html.messages[0]!.bodyText).toBe("The printer is on fire");
  });

  it("stores data-URL attachments and notes the ones it drops without failing the ticket", async () => {
    const { ticket, messages } = await created({
      body: json({
        ...minimal,
        attachments: [
          { "notes.txt": "data:text/plain;charset=utf-8,plain text content" },
          {
            "pixel.png":
              "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC",
          },
          {
            "huge.bin": `data:application/octet-stream;base64,${Buffer.alloc(1024 * 1024 + 1).toString("base64")}`,
          },
        ],
      }),
    });
    const files = await t.db
      .select({ name: attachments.filename, type: attachments.contentType })
      .from(attachments)
      .where(eq(attachments.ticketId, ticket.id));
    expect(files.map((f) => f.name).sort()).toEqual(["notes.txt", "pixel.png"]);
    const note = messages.find((m) => m.kind === "note");
    expect(note?.bodyText).toBe(
      "File Import Error\nhuge.bin: File size is too large",
    );
  });

  it("accepts unknown fields and does not act on uid, deptId or statusId", async () => {
    const { ticket } = await created({
      body: json({
        ...minimal,
        email: "uid-caller@example.com",
        uid: 1,
        deptId: 2,
        statusId: 3,
        favouriteColour: "green",
      }),
    });
    expect(ticket).toMatchObject({ departmentId: 1, status: "open" });
    const [owner] = await t.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.id, ticket.customerId));
    expect(owner!.email).toBe("uid-caller@example.com");
  });

  it("reads the legacy XML format with the same rules", async () => {
    const { ticket, messages } = await created({
      path: "/api/tickets.xml",
      body: `<?xml version="1.0"?><ticket alert="false" autorespond="false"><name>Xavier Ml</name><email>xml@example.com</email><subject>From XML</subject><message type="text/plain"><![CDATA[Hello from XML]]></message><topicId>2</topicId></ticket>`,
    });
    expect(ticket).toMatchObject({ subject: "From XML", helpTopicId: 2 });
    expect(messages[0]!.bodyText).toBe("Hello from XML");
  });
});

describe("Portico's additions", () => {
  beforeEach(() => {
    setTestEnv({ API_RATE_LIMIT_PER_MINUTE: "0" });
  });

  it("Idempotency-Key: a repeat returns the first answer and creates nothing", async () => {
    const headers = { "idempotency-key": "order-4711" };
    const first = await call({ headers, body: json(minimal) });
    expect(first.status).toBe(201);
    const before = await ticketCount();
    const again = await call({ headers, body: json(minimal) });
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await ticketCount()).toBe(before);

    expect(
      await call({ headers, body: json({ ...minimal, subject: "Other" }) }),
    ).toMatchObject({
      status: 422,
      body: "Idempotency-Key was already used for a different request",
    });
    // Another key's namespace is its own.
    const [calls] = await t.db
      .select({ n: count() })
      .from(apiCalls)
      .where(eq(apiCalls.replayed, true));
    expect(calls!.n).toBeGreaterThanOrEqual(1);
  });

  it("Idempotency-Key: two identical calls at once create one ticket", async () => {
    const headers = { "idempotency-key": "race-1" };
    const before = await ticketCount();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call({ headers, body: json(minimal) })),
    );
    expect(await ticketCount()).toBe(before + 1);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(answers.some((a) => a.status === 201)).toBe(true);
  });

  it("rate limit: calls over the per-minute limit get 429 with Retry-After", async () => {
    setTestEnv({ API_RATE_LIMIT_PER_MINUTE: "3" });
    const key = await createApiKey(
      t.db,
      { kind: "system" },
      apiKeyCreateInput.parse({
        ipAddress: CALLER,
        isActive: "on",
        canCreateTickets: "on",
      }),
    );
    if (!key.ok) throw new Error("key");
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 4; i++) {
      const r = await call({ key: key.value.key, body: json(minimal) });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const retryAfter = Number(limited!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited!.body).toMatch(/^Too many requests/);
    // Other keys are not held back.
    expect((await call({ body: json(minimal) })).status).toBe(201);
  });

  it("a caller that hangs up mid-body is logged as 499, not as a server error", async () => {
    const before = await ticketCount();
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"email":'));
      },
      pull(c) {
        controller.abort();
        c.error(new Error("aborted"));
      },
    });
    const req = new Request("http://portal.test/api/tickets.json", {
      method: "POST",
      headers: { "x-api-key": keys.valid, [PEER_HEADER]: CALLER },
      body,
      signal: controller.signal,
      duplex: "half",
    } as RequestInit);
    const res = await handleOsTicketCall(t.db, req, "json");
    expect(res.status).toBe(499);
    expect(await ticketCount()).toBe(before);
    const [latest] = await listApiCalls(t.db, { limit: 1 });
    expect(latest).toMatchObject({
      status: 499,
      error: "Client closed the request",
    });
  });

  it("keeps the call log for 90 days", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 91 * 86_400_000);
    await t.db.insert(apiCalls).values([
      {
        method: "POST",
        path: "/api/old",
        status: 201,
        durationMs: 1,
        createdAt: old,
      },
      {
        method: "POST",
        path: "/api/recent",
        status: 201,
        durationMs: 1,
        createdAt: now,
      },
    ]);
    await pruneApiCalls(t.db, now);
    const paths = (await listApiCalls(t.db, { limit: 1000 })).map(
      (c) => c.path,
    );
    expect(paths).toContain("/api/recent");
    expect(paths).not.toContain("/api/old");
  });

  it("logs every call, answered or refused, with key, IP, status and duration", async () => {
    await call({ key: "0123456789ABCDEF0123456789ABCDEF", body: "{}" });
    const r = await call({ body: json(minimal) });
    const [latest, refused] = await listApiCalls(t.db, { limit: 2 });
    expect(latest).toMatchObject({
      status: 201,
      ip: CALLER,
      method: "POST",
      path: "/api/tickets.json",
      ticketNumber: r.body,
      keyPrefix: keys.valid.slice(0, latest!.keyPrefix!.length),
      error: null,
    });
    expect(latest!.durationMs).toBeGreaterThanOrEqual(0);
    expect(refused).toMatchObject({
      status: 401,
      apiKeyId: null,
      error: "Valid API key required",
    });
  });

  it("logs each of many calls at once, each answered only once its call is in the log", async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call({ body: json({ ...minimal, subject: `Burst ${i}` }) }).then(
          async (r) => ({
            number: r.body,
            // Read as soon as this caller has its answer, while others may still be writing.
            logged: (await listApiCalls(t.db, { limit: 1000 })).some(
              (c) => c.ticketNumber === r.body,
            ),
          }),
        ),
      ),
    );
    expect(answers.map((a) => a.number)).toEqual(
      answers.map(() => expect.stringMatching(NUMBER)),
    );
    expect(answers.every((a) => a.logged)).toBe(true);
  });
});

describe("§10: POST /api/tickets.email", () => {
  const mail = (
    headers: Record<string, string>,
    body = "Hello, this ticket arrived by piped email.",
  ) =>
    [
      ...Object.entries({
        From: '"Erin Email" <erin@example.com>',
        To: "support@portico.test",
        Subject: "Piped email ticket",
        "Content-Type": "text/plain; charset=utf-8",
        ...headers,
      }).map(([k, v]) => `${k}: ${v}`),
      "",
      body,
      "",
    ].join("\r\n");

  it("keeps a mail with NUL bytes in its subject and body", async () => {
    const { ticket, messages } = await created({
      path: "/api/tickets.email",
      body: mail(
        {
          "Message-ID": "<nul-bytes@example.com>",
          Subject: "Printer \u0000 jam",
        },
        "Paper stuck\u0000 again",
      ),
    });
    expect(ticket.subject).toBe("Printer \ufffd jam");
    expect(messages[0]?.bodyText).toContain("Paper stuck\ufffd again");
  });

  it("creates a ticket; the same Message-ID again returns the same number and creates nothing", async () => {
    const raw = mail({ "Message-ID": "<piped-1@example.com>" });
    const first = await call({ path: "/api/tickets.email", body: raw });
    expect(first.status).toBe(201);
    expect(first.body).toMatch(NUMBER);
    const { ticket, messages } = await ticketByNumber(first.body);
    expect(ticket).toMatchObject({
      subject: "Piped email ticket",
      source: "email",
    });
    expect(messages[0]!.bodyText).toBe(
      "Hello, this ticket arrived by piped email.",
    );
    const [erin] = await t.db
      .select()
      .from(users)
      .where(eq(users.id, ticket.customerId));
    expect(erin).toMatchObject({
      email: "erin@example.com",
      name: "Erin Email",
    });

    const before = await ticketCount();
    const repeat = await call({ path: "/api/tickets.email", body: raw });
    expect(repeat).toMatchObject({ status: 201, body: first.body });
    expect(await ticketCount()).toBe(before);
    expect((await ticketByNumber(first.body)).messages).toHaveLength(1);
  });

  it("threads a reply by In-Reply-To into the existing ticket", async () => {
    const original = await call({
      path: "/api/tickets.email",
      body: mail({ "Message-ID": "<piped-2@example.com>" }),
    });
    const reply = await call({
      path: "/api/tickets.email",
      body: mail(
        {
          "Message-ID": "<piped-2-reply@example.com>",
          "In-Reply-To": "<piped-2@example.com>",
          Subject: "Re: Piped email ticket",
        },
        "Here is more detail.",
      ),
    });
    expect(reply).toMatchObject({ status: 201, body: original.body });
    const { messages } = await ticketByNumber(original.body);
    expect(messages.map((m) => m.bodyText)).toEqual([
      "Hello, this ticket arrived by piped email.",
      "Here is more detail.",
    ]);
  });

  it("threads by a #number in the subject only for the ticket's own customer", async () => {
    const original = await call({
      path: "/api/tickets.email",
      body: mail({ "Message-ID": "<piped-3@example.com>" }),
    });
    const own = await call({
      path: "/api/tickets.email",
      body: mail(
        {
          "Message-ID": "<piped-3-own@example.com>",
          Subject: `Re: Ticket #${original.body}`,
        },
        "Me again.",
      ),
    });
    expect(own.body).toBe(original.body);
    const stranger = await call({
      path: "/api/tickets.email",
      body: mail(
        {
          From: "mallory@example.net",
          "Message-ID": "<piped-3-stranger@example.net>",
          Subject: `Re: Ticket #${original.body}`,
        },
        "Let me in.",
      ),
    });
    expect(stranger.status).toBe(201);
    expect(stranger.body).not.toBe(original.body);
    const [mallory] = await t.db
      .select({ name: users.name })
      .from(users)
      .where(eq(users.email, "mallory@example.net"));
    expect(mallory!.name).toBe("Mallory"); // made from the address when no display name
  });

  it("records To/Cc addresses other than the system's as participants", async () => {
    const r = await call({
      path: "/api/tickets.email",
      body: mail({
        "Message-ID": "<piped-4@example.com>",
        // The seeded Support department's address is one of Portico's own.
        Cc: "Colleague <colleague@example.com>, Support <SUPPORT@portico.test>",
      }),
    });
    const { ticket } = await ticketByNumber(r.body);
    const participants = await t.db
      .select({ email: ticketParticipants.email })
      .from(ticketParticipants)
      .where(eq(ticketParticipants.ticketId, ticket.id));
    expect(participants.map((p) => p.email)).toEqual(["colleague@example.com"]);
  });

  it("refuses mail without a usable From (500) and banned senders (403)", async () => {
    expect(
      await call({
        path: "/api/tickets.email",
        body: "this is not an email at all",
      }),
    ).toMatchObject({
      status: 500,
      body: "Unable to create new ticket :user\nIncomplete client information",
    });
    expect(
      await call({
        path: "/api/tickets.email",
        body: mail({
          From: "test@example.com",
          "Message-ID": "<banned@example.com>",
        }),
      }),
    ).toMatchObject({ status: 403, body: DENIED("test@example.com") });
  });

  it("decodes an RFC 2047 subject", async () => {
    const r = await call({
      path: "/api/tickets.email",
      body: mail({
        "Message-ID": "<piped-5@example.com>",
        Subject: "=?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=",
      }),
    });
    const { ticket } = await ticketByNumber(r.body);
    expect(ticket.subject).toBe("Grüße aus Köln");
  });
});
