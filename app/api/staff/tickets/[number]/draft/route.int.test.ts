import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Ticket, User } from "@/db/schema";
import { sessionOf } from "@/testing/actions";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { draftsFor } from "@/lib/tickets/drafts";
import { PUT } from "./route";

// The autosave endpoint: the agent comes from the session only; bad input gets a clear answer,
// never a 500.

const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));

let t: TestDb;
let agent: User;
let customer: User;
let ticket: Ticket;
beforeAll(async () => {
  t = await createTestDb({ asAppDatabase: true });
  agent = await buildUser(t.db, { role: "agent" });
  customer = await buildUser(t.db);
  ticket = await buildTicket(t.db, { customer });
});
afterAll(async () => {
  await t?.close();
});

const put = (body: string, number = ticket.number) =>
  PUT(
    new Request(`http://portal.test/api/staff/tickets/${number}/draft`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body,
    }),
    { params: Promise.resolve({ number }) },
  );

describe("PUT /api/staff/tickets/[number]/draft", () => {
  it("keeps the signed-in agent's draft, whoever the body claims to be, and clears it when emptied", async () => {
    session.current = sessionOf(agent);
    const res = await put(
      JSON.stringify({
        kind: "reply",
        body: "Hello\u0000 there",
        userId: customer.id,
      }),
    );
    expect(res.status).toBe(200);
    expect(await draftsFor(t.db, ticket.id, agent.id)).toEqual({
      reply: "Hello\uFFFD there",
    });
    expect(await draftsFor(t.db, ticket.id, customer.id)).toEqual({});
    const cleared = await put(JSON.stringify({ kind: "reply", body: "" }));
    expect(((await cleared.json()) as { outcome: string }).outcome).toBe(
      "removed",
    );
    expect(await draftsFor(t.db, ticket.id, agent.id)).toEqual({});
  });

  it("refuses the signed-out (401) and customers (403)", async () => {
    session.current = null;
    expect(
      (await put(JSON.stringify({ kind: "reply", body: "Hi" }))).status,
    ).toBe(401);
    session.current = sessionOf(customer);
    expect(
      (await put(JSON.stringify({ kind: "reply", body: "Hi" }))).status,
    ).toBe(403);
    expect(await draftsFor(t.db, ticket.id, customer.id)).toEqual({});
  });

  it.each([
    ["not JSON", "{kind:", 422, undefined],
    [
      "an unknown kind",
      JSON.stringify({ kind: "customer", body: "x" }),
      422,
      "kind",
    ],
    ["no body", JSON.stringify({ kind: "note" }), 422, "body"],
    [
      "a body over 50,000 characters",
      JSON.stringify({ kind: "note", body: "x".repeat(50_001) }),
      422,
      "body",
    ],
    [
      "a request over 256 KiB",
      JSON.stringify({ kind: "note", body: "😀".repeat(70_000) }),
      413,
      undefined,
    ],
  ])("answers %s with %i, not a 500", async (_case, body, status, field) => {
    session.current = sessionOf(agent);
    const res = await put(body);
    expect(res.status).toBe(status);
    const answer = (await res.json()) as {
      error: { message: string; fields?: Record<string, string[]> };
    };
    expect(answer.error.message).toBeTruthy();
    if (field) expect(answer.error.fields?.[field]?.[0]).toBeTruthy();
  });

  it("answers 404 for a ticket that does not exist or a malformed number", async () => {
    session.current = sessionOf(agent);
    const body = JSON.stringify({ kind: "reply", body: "Hi" });
    expect((await put(body, "000000")).status).toBe(404);
    expect((await put(body, "../etc")).status).toBe(404);
  });
});
