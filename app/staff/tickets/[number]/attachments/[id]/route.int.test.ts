import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { attachments, type Ticket, type User } from "@/db/schema";
import { sessionOf } from "@/testing/actions";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { storeAttachments } from "@/lib/tickets/attachments";
import { GET as customerDownload } from "../../../../../(portal)/tickets/[number]/attachments/[id]/route";
import { GET as staffDownload } from "./route";

// A file whose stored name or type holds CR/LF (written before intake cleaned them, or by any door
// that forgot to) must still download, with headers that say nothing the sender chose to inject.

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
  ticket = await buildTicket(t.db, {
    customer,
    messages: [{ kind: "customer", text: "See the file." }],
  });
});

afterAll(async () => {
  await t?.close();
});

async function storedRaw(filename: string, contentType: string) {
  const message = await t.db.query.ticketMessages.findFirst({
    where: (m, { eq }) => eq(m.ticketId, ticket.id),
  });
  const [row] = await t.db
    .insert(attachments)
    .values({
      ticketId: ticket.id,
      messageId: message!.id,
      filename,
      contentType,
      sizeBytes: 5,
      sha256: "0".repeat(64),
      data: new TextEncoder().encode("hello"),
    })
    .returning();
  return row!;
}

const params = (id: string) => ({
  params: Promise.resolve({ number: ticket.number, id }),
});
const request = new Request("http://portal.test/attachment");

describe("downloading an attachment", () => {
  it.each([
    ["a CR/LF in the type", "notes.txt", "text/plain\r\nSet-Cookie: a=b"],
    ["a bare LF in the type", "notes.txt", "text/plain\nX-Injected: 1"],
    ["a type that is not one", "notes.txt", "not a type"],
    ["an HTML type", "page.html", "text/html"],
    ["a CR/LF in the name", 'bad\r\nname".txt', "text/plain"],
  ])("answers 200 with safe headers for %s", async (_k, name, type) => {
    const row = await storedRaw(name, type);
    for (const [who, download] of [
      [agent, staffDownload],
      [customer, customerDownload],
    ] as const) {
      session.current = sessionOf(who);
      const res = await download(request, params(row.id));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("hello");
      expect(res.headers.get("content-type")).toMatch(
        /^(text\/plain|application\/octet-stream)$/,
      );
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(res.headers.get("x-injected")).toBeNull();
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; /);
      expect(res.headers.get("content-disposition")).not.toMatch(/[\r\n]/);
      expect(res.headers.get("content-length")).toBe("5");
    }
  });

  it("serves a type cleaned at intake as itself", async () => {
    const message = await t.db.query.ticketMessages.findFirst({
      where: (m, { eq }) => eq(m.ticketId, ticket.id),
    });
    await storeAttachments(t.db, ticket.id, message!.id, [
      {
        name: "../report.pdf",
        type: "Application/PDF; name=report.pdf",
        data: new TextEncoder().encode("%PDF-"),
      },
    ]);
    const row = await t.db.query.attachments.findFirst({
      where: (a, { eq }) => eq(a.filename, "report.pdf"),
    });
    expect(row?.contentType).toBe("application/pdf");
    session.current = sessionOf(agent);
    const res = await staffDownload(request, params(row!.id));
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(
      'filename="report.pdf"',
    );
  });
});
