import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tickets, users } from "@/db/schema";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { handleOsTicketCall, osTicketFormatOf } from "@/lib/osticket/api-call";
import { NO_DEPARTMENT } from "@/lib/osticket/errors";
import { PEER_HEADER } from "@/lib/peer";
import { setUpFromCommandLine } from "@/lib/setup/first-run";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

// The API on a new install that nobody has set up yet (no department, no demo data): every call is
// refused in osTicket's form, the ones that would have made a ticket with a message saying what to
// do, and a refused call leaves no user behind.

const CALLER = "198.51.100.30";
const NOT_SET_UP = `Unable to create new ticket :${NO_DEPARTMENT.key}\n${NO_DEPARTMENT.message}`;

let t: TestDb;
let restoreEnv: () => void;
let key: string;

beforeAll(async () => {
  restoreEnv = setTestEnv({ API_RATE_LIMIT_PER_MINUTE: "0" });
  t = await createTestDb();
  const made = await createApiKey(
    t.db,
    { kind: "system" },
    apiKeyCreateInput.parse({
      ipAddress: CALLER,
      isActive: "on",
      canCreateTickets: "on",
    }),
  );
  if (!made.ok) throw new Error(made.error.message);
  key = made.value.key;
});

afterAll(async () => {
  restoreEnv();
  await t.close();
});

async function call(path: string, body: string) {
  const req = new Request(`http://portal.test${path}`, {
    method: "POST",
    headers: { "x-api-key": key, [PEER_HEADER]: CALLER },
    body,
  });
  const segments = path.replace(/^\/api\//, "").split("/");
  const res = await handleOsTicketCall(t.db, req, osTicketFormatOf(segments));
  return { status: res.status, body: await res.text() };
}

async function counts() {
  const [u] = await t.db.select({ n: count() }).from(users);
  const [k] = await t.db.select({ n: count() }).from(tickets);
  return { users: u!.n, tickets: k!.n };
}

const json = (fields: Record<string, unknown>) => JSON.stringify(fields);
const good = {
  name: "Nina New",
  email: "nina.new@example.com",
  subject: "First ticket",
  message: "Hello",
};
const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ticket alert="true" autorespond="true" source="API">
  <name>Xavier Xml</name><email>xavier@example.com</email>
  <subject>From XML</subject><message type="text/plain">Hello</message>
</ticket>`;
const mail = [
  'From: "Erin Email" <erin.new@example.com>',
  "To: support@acme.example",
  "Subject: Piped before setup",
  "Message-ID: <before-setup@example.com>",
  "",
  "Hello by mail",
  "",
].join("\r\n");

describe("the osTicket API before setup", () => {
  it("answers every would-be ticket with osTicket's 500 and what to do, and creates nobody", async () => {
    const existing = await buildUser(t.db, { email: "known@example.com" });
    const before = await counts();

    const wouldCreate: Array<[string, string]> = [
      ["/api/tickets.json", json(good)],
      ["/api/tickets.json", json({ ...good, email: "Other@Example.com" })],
      ["/api/tickets.json", json({ ...good, topicId: 1, priority: 3 })],
      ["/api/tickets.json", json({ ...good, email: existing.email })],
      ["/api/http.php/tickets.json", json({ ...good, phone: "5551234" })],
      ["/api/tickets.xml", xml],
    ];
    for (const [path, body] of wouldCreate)
      expect(await call(path, body), `${path} ${body}`).toEqual({
        status: 500,
        body: NOT_SET_UP,
      });

    // The usual refusals keep their own answers.
    expect(await call("/api/tickets.json", "{")).toMatchObject({
      status: 400,
    });
    expect(
      await call("/api/tickets.json", json({ ...good, subject: undefined })),
    ).toEqual({
      status: 500,
      body: "Unable to create new ticket :20\nIssue Summary is a required field",
    });
    expect(
      await call("/api/tickets.json", json({ ...good, name: undefined })),
    ).toEqual({
      status: 500,
      body: "Unable to create new ticket :user\nIncomplete client information",
    });
    // Piped mail from a new sender: refused too, and its sender is not kept.
    expect(await call("/api/tickets.email", mail)).toEqual({
      status: 500,
      body: NOT_SET_UP,
    });

    expect(await counts()).toEqual(before);
  });

  it("takes the same call once setup has made a department: one user, one ticket", async () => {
    const done = await setUpFromCommandLine(
      t.db,
      {
        name: "Olga Ops",
        email: "olga@acme.example",
        companyName: null,
        supportAddress: null,
      },
      { appUrl: "https://help.acme.example" },
    );
    expect(done.ok).toBe(true);
    const before = await counts();
    const created = await call("/api/tickets.json", json(good));
    expect(created.status).toBe(201);
    expect(created.body).toMatch(/^\d{6}$/);
    expect(await counts()).toEqual({
      users: before.users + 1,
      tickets: before.tickets + 1,
    });
  });
});
