import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tickets, users } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { handleOsTicketCall, osTicketFormatOf } from "@/lib/osticket/api-call";
import { PEER_HEADER } from "@/lib/peer";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

// `"source": "Web"` through the API handler: upstream validates its web form, which never reads the
// request's subject and message, so every such call is a 500 listing each field error in order, and
// nothing is created.

const CALLER = "198.51.100.20";
const PREFIX = "Unable to create new ticket :";
const WITHOUT_TOPIC = `${PREFIX}topicId\nSelect a Help Topic\nerr\nMissing or invalid data — Correct any errors below and try again\n21\nIssue Details is a required field`;
const WITH_TOPIC = `${PREFIX}20\nIssue Summary is a required field\n21\nIssue Details is a required field`;

let t: TestDb;
let restoreEnv: () => void;
let key: string;

beforeAll(async () => {
  restoreEnv = setTestEnv({ API_RATE_LIMIT_PER_MINUTE: "0" });
  t = await createTestDb();
  await seedDemoData(t.db);
  const created = await createApiKey(
    t.db,
    { kind: "system" },
    apiKeyCreateInput.parse({
      ipAddress: CALLER,
      isActive: "on",
      canCreateTickets: "on",
    }),
  );
  if (!created.ok) throw new Error(created.error.message);
  key = created.value.key;
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

const postJson = (fields: Record<string, unknown>) =>
  call("/api/tickets.json", JSON.stringify(fields));

async function rows() {
  const [ticketRows] = await t.db.select({ n: count() }).from(tickets);
  const [userRows] = await t.db.select({ n: count() }).from(users);
  return { tickets: ticketRows!.n, users: userRows!.n };
}

// A new address each time, so "nothing created" also covers the user a successful call would add.
let seq = 0;
const minimal = () => ({
  name: "Wendy Web",
  email: `wendy.web.${++seq}@example.com`,
  subject: "Sent as Web",
  message: "The subject and message are here, but upstream never reads them",
});

describe('tickets.json with "source": "Web"', () => {
  it("without a topic: the topic error, the form error, then the message field", async () => {
    const before = await rows();
    for (const extra of [{}, { topicId: 0 }, { topicId: "billing" }]) {
      expect(await postJson({ ...minimal(), source: "Web", ...extra })).toEqual(
        { status: 500, body: WITHOUT_TOPIC },
      );
    }
    expect(await rows()).toEqual(before);
  });

  it("with a topic: subject and message reported missing although both were sent", async () => {
    const before = await rows();
    for (const topicId of [1, "2", 10])
      expect(await postJson({ ...minimal(), source: "web", topicId })).toEqual({
        status: 500,
        body: WITH_TOPIC,
      });
    expect(await rows()).toEqual(before);
  });

  it("with a topic: an unknown sender without a name is reported first, as upstream checks the user before the form", async () => {
    const { email } = minimal();
    expect(await postJson({ email, source: "Web", topicId: 1 })).toEqual({
      status: 500,
      body: `${PREFIX}user\nIncomplete client information\n20\nIssue Summary is a required field\n21\nIssue Details is a required field`,
    });
  });

  it("with a topic: an existing customer needs no name", async () => {
    // The seed's customer; upstream never updates or asks for an existing user's details.
    const [customer] = await t.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.role, "customer"))
      .limit(1);
    expect(
      await postJson({ email: customer!.email, source: "Web", topicId: 1 }),
    ).toEqual({ status: 500, body: WITH_TOPIC });
  });

  it("with a topic: a banned sender is refused with 403", async () => {
    expect(
      await postJson({
        ...minimal(),
        email: "test@example.com",
        source: "Web",
        topicId: 1,
      }),
    ).toEqual({
      status: 403,
      body: `${PREFIX}Ticket denied: test@example.com\n\nThis help desk is for use by authorized users only`,
    });
  });

  it("answers tickets.xml the same way", async () => {
    const before = await rows();
    const xml = (attributes: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><ticket source="Web" ${attributes}><name>Wendy Web</name><email>wendy.xml@example.com</email><subject>Sent as Web</subject><message>Hello</message></ticket>`;
    expect(await call("/api/tickets.xml", xml(""))).toEqual({
      status: 500,
      body: WITHOUT_TOPIC,
    });
    expect(await call("/api/tickets.xml", xml('topicId="1"'))).toEqual({
      status: 500,
      body: WITH_TOPIC,
    });
    expect(await rows()).toEqual(before);
  });
});
