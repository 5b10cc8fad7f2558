import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { User } from "@/db/schema";
import { customerFiltersInput } from "@/lib/customers/schemas";
import { listCustomers } from "@/lib/customers/queries";
import {
  inboundMailFiltersInput,
  listInboundMail,
} from "@/lib/mail-ingest/ledger";
import { sessionOf } from "@/testing/actions";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { listTicketsForCustomer } from "@/lib/tickets/customer-queries";
import { listQueue } from "@/lib/tickets/queue-queries";
import {
  customerTicketFiltersInput,
  queueFiltersInput,
} from "@/lib/tickets/schemas";
import TicketsPage from "./(portal)/tickets/page";
import { GET as queueFeed } from "./api/staff/queue/route";
import CustomersPage from "./staff/customers/page";
import MailPage from "./staff/mail/page";
import QueuePage from "./staff/page";

// A NUL in `?q=` (PostgreSQL's text cannot hold one) answered 500 on every page with a search box.
// Each page and the live queue's feed is called as a browser would, with what a URL can carry.

const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));

const HOSTILE = [
  "\u0000",
  "printer\u0000jam",
  "%00",
  "line\r\nbreak",
  "\u0000".repeat(300),
  "\ud800 lone surrogate",
  "'); drop table tickets; --",
];

let t: TestDb;
let agent: User;
let customer: User;

beforeAll(async () => {
  t = await createTestDb({ asAppDatabase: true });
  agent = await buildUser(t.db, { role: "admin", name: "Ada Agent" });
  customer = await buildUser(t.db, { name: "Printer Jam Person" });
});

afterAll(async () => {
  await t?.close();
});

const searchParams = (q: string) => Promise.resolve({ q });

describe("a search with characters a database cannot hold", () => {
  it.each(HOSTILE)("renders the staff queue for %j", async (q) => {
    session.current = sessionOf(agent);
    await expect(
      QueuePage({ searchParams: searchParams(q) }),
    ).resolves.toBeTruthy();
  });

  it.each(HOSTILE)("answers the live queue's feed for %j", async (q) => {
    session.current = sessionOf(agent);
    const res = await queueFeed(
      new Request(
        `http://portal.test/api/staff/queue?${new URLSearchParams({ q })}`,
      ),
    );
    expect(res.status).toBe(200);
  });

  it.each(HOSTILE)("renders the staff customer list for %j", async (q) => {
    session.current = sessionOf(agent);
    await expect(
      CustomersPage({ searchParams: searchParams(q) }),
    ).resolves.toBeTruthy();
  });

  it.each(HOSTILE)("renders the staff mail ledger for %j", async (q) => {
    session.current = sessionOf(agent);
    await expect(
      MailPage({ searchParams: searchParams(q) }),
    ).resolves.toBeTruthy();
  });

  it.each(HOSTILE)("renders a customer's ticket list for %j", async (q) => {
    session.current = sessionOf(customer);
    await expect(
      TicketsPage({ searchParams: searchParams(q) }),
    ).resolves.toBeTruthy();
  });

  it("searches for the words around a NUL, as if it were a space", async () => {
    const ticket = await buildTicket(t.db, { customer });
    const [, word] = ticket.subject.split(" ");
    const q = `Subject\u0000${word}`;
    const now = new Date();

    const queue = await listQueue(
      t.db,
      { ...agent, emailVerified: true },
      queueFiltersInput.parse({ q, view: "all" }),
      now,
    );
    expect(queue.rows.map((r) => r.number)).toContain(ticket.number);

    const mine = await listTicketsForCustomer(
      t.db,
      { ...customer, emailVerified: true },
      customerTicketFiltersInput.parse({ q }),
    );
    expect(mine.rows.map((r) => r.number)).toEqual([ticket.number]);

    const people = await listCustomers(
      t.db,
      customerFiltersInput.parse({ q: "Printer\u0000Jam" }),
    );
    expect(people.rows.map((r) => r.id)).toEqual([customer.id]);

    const filters = inboundMailFiltersInput.parse({ q: "\u0000" });
    expect(filters.q).toBeUndefined();
    await expect(listInboundMail(t.db, filters)).resolves.toBeTruthy();
  });
});

describe("a department id past any serial id", () => {
  it("is refused by the live queue's feed with a field error (422), not a failed query", async () => {
    session.current = sessionOf(agent);
    const res = await queueFeed(
      new Request(
        "http://portal.test/api/staff/queue?departmentId=465304135168",
      ),
    );
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("departmentId");
  });

  it("leaves the staff queue page on its default filters", async () => {
    session.current = sessionOf(agent);
    await expect(
      QueuePage({
        searchParams: Promise.resolve({ departmentId: "465304135168" }),
      }),
    ).resolves.toBeTruthy();
  });
});
