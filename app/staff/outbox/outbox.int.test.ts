import { eq } from "drizzle-orm";
import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { outboundMail } from "@/db/schema";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { deliverDueMail } from "@/lib/mail/deliver";
import { enqueueMail } from "@/lib/mail/outbox";
import { HIDDEN_SECRET } from "@/lib/mail/sealed";
import { createMailTransport } from "@/lib/mail/transport";
import { sessionOf } from "@/testing/actions";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import { startSmtpSink, type SmtpSink } from "@/testing/smtp-sink";
import { inviteAgent } from "@/lib/users/agents";
import { agentInviteInput } from "@/lib/users/schemas";
import OutboundMailPage from "./[id]/page";

// A password link signs in whoever opens it. An admin reading the outbox (or anyone holding a dump of
// the database) must never see one that works, while its recipient gets a link that does.

const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));

const appUrl = "https://portal.example";
const LIVE_LINK = /\/reset-password\/[A-Za-z0-9_-]{20,}/;
let restoreEnv: () => void;
let t: TestDb;
let sink: SmtpSink;

beforeAll(async () => {
  restoreEnv = setTestEnv({
    NEXTAUTH_SECRET: "test-secret-for-the-outbox-0123456789abcdef",
  });
  [t, sink] = await Promise.all([
    createTestDb({ asAppDatabase: true }),
    startSmtpSink(),
  ]);
});

afterAll(async () => {
  restoreEnv();
  await Promise.all([t?.close(), sink?.close()]);
});

const rowsTo = (address: string) =>
  t.db.select().from(outboundMail).where(eq(outboundMail.toAddress, address));

async function staffView(id: string): Promise<string> {
  return renderToStaticMarkup(
    await OutboundMailPage({ params: Promise.resolve({ id }) }),
  );
}

/** Sends what is due to the sink and returns the link the recipient got. */
async function deliveredLink(to: string): Promise<string> {
  await deliverDueMail(t.db, createMailTransport(sink.url)!, new Date());
  const received = sink.messages.filter((m) =>
    [m.to].flat().some((a) => a?.text.includes(to)),
  );
  const text = received.at(-1)?.text ?? "";
  const link = /https:\/\/portal\.example\/reset-password\/\S+/.exec(text);
  if (!link) throw new Error(`no link in the delivered mail: ${text}`);
  return link[0];
}

describe("password links in the outbox", () => {
  it("are stored sealed, shown hidden to an admin, and reach the recipient working", async () => {
    const admin = await buildUser(t.db, { role: "admin" });
    const customer = await buildUser(t.db, { password: "an old passphrase!" });
    expect(
      (await requestPasswordReset(t.db, customer.email, { appUrl })).sent,
    ).toBe(true);
    const [row] = await rowsTo(customer.email);
    expect(row!.bodyText).not.toMatch(LIVE_LINK);
    expect(row!.bodyHtml).not.toMatch(LIVE_LINK);

    session.current = sessionOf(admin);
    const page = await staffView(row!.id);
    expect(page).toContain("Reset your Portico password");
    expect(page).toContain(`${appUrl}/reset-password/${HIDDEN_SECRET}`);
    expect(page).not.toMatch(LIVE_LINK);
    expect(page).not.toContain("[[sealed:");

    const link = await deliveredLink(customer.email);
    const token = link.split("/").at(-1)!;
    expect(row!.bodyText).not.toContain(token);
    const reset = await resetPassword(t.db, {
      token,
      password: "a brand new passphrase",
    });
    expect(reset.ok && reset.value.id).toBe(customer.id);
  });

  it("hide an agent's invitation link the same way", async () => {
    const admin = await buildUser(t.db, { role: "admin" });
    const input = agentInviteInput.parse({
      name: "Ivy Invited",
      email: `ivy-${Date.now()}@portico.test`,
      role: "agent",
    });
    const invited = await inviteAgent(t.db, admin.viewer, input, { appUrl });
    expect(invited.ok).toBe(true);
    const [row] = await rowsTo(input.email);
    expect(row!.kind).toBe("agent_invite");
    expect(row!.bodyText).not.toMatch(LIVE_LINK);
    session.current = sessionOf(admin);
    expect(await staffView(row!.id)).not.toMatch(LIVE_LINK);

    const token = (await deliveredLink(input.email)).split("/").at(-1)!;
    const set = await resetPassword(t.db, {
      token,
      password: "my first staff passphrase",
    });
    expect(set.ok && set.value.role).toBe("agent");
  });

  it("fail the mail, not send a broken link, when the secret changed before delivery", async () => {
    const customer = await buildUser(t.db, { password: "an old passphrase!" });
    await requestPasswordReset(t.db, customer.email, { appUrl });
    setTestEnv({
      NEXTAUTH_SECRET: "another-secret-after-a-rotation-0123456789",
    });
    try {
      const before = sink.messages.length;
      const summary = await deliverDueMail(
        t.db,
        createMailTransport(sink.url)!,
        new Date(),
      );
      expect(summary).toMatchObject({ sent: 0, failed: 1 });
      expect(sink.messages).toHaveLength(before);
      const [row] = await rowsTo(customer.email);
      expect(row).toMatchObject({ status: "failed" });
      expect(row!.lastError).toMatch(/new link must be requested/);
    } finally {
      setTestEnv({
        NEXTAUTH_SECRET: "test-secret-for-the-outbox-0123456789abcdef",
      });
    }
  });

  it("leave other mail as it was written", async () => {
    const customer = await buildUser(t.db);
    await enqueueMail(t.db, {
      kind: "test",
      to: customer.email,
      subject: "Plain",
      text: "See https://portal.example/tickets/123456",
    });
    await deliverDueMail(t.db, createMailTransport(sink.url)!, new Date());
    expect(sink.messages.at(-1)?.text?.trim()).toBe(
      "See https://portal.example/tickets/123456",
    );
  });
});
