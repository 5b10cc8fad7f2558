import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundMail } from "@/db/schema";
import { DELIVERY, deliverDueMail, requeueStuckMail } from "@/lib/mail/deliver";
import { enqueueMail } from "@/lib/mail/outbox";
import { createMailTransport } from "@/lib/mail/transport";
import { createTestDb, type TestDb } from "@/testing/db";
import { startSmtpSink } from "@/testing/smtp-sink";

let t: TestDb;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  t = await createTestDb();
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

const status = async (id: string) =>
  (await t.db.select().from(outboundMail).where(eq(outboundMail.id, id)))[0]!;

describe("outbox delivery", () => {
  it("sends queued mail over SMTP with its Message-ID and threading headers, once", async () => {
    const mail = await enqueueMail(t.db, {
      kind: "test",
      to: "customer@example.com",
      subject: "[TICKET-123456] Hello",
      text: "Plain part",
      html: "<p>HTML part</p>",
      inReplyTo: "<first@portico.test>",
      references: ["<first@portico.test>"],
    });
    const transport = createMailTransport(sink.url)!;
    const now = new Date();
    expect(await deliverDueMail(t.db, transport, now)).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect(await deliverDueMail(t.db, transport, now)).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });

    const received = sink.messages.find(
      (m) => m.subject === "[TICKET-123456] Hello",
    );
    expect(received?.messageId).toBe(mail.messageId);
    expect(received?.inReplyTo).toBe("<first@portico.test>");
    expect(received?.text?.trim()).toBe("Plain part");
    expect(received?.headers.get("auto-submitted")).toBe("auto-generated");
    expect((await status(mail.id)).status).toBe("sent");
  });

  it("keeps mail queued with growing back-off while SMTP is down, then gives up", async () => {
    const mail = await enqueueMail(t.db, {
      kind: "test",
      to: "x@example.com",
      subject: "Retry me",
      text: ".",
    });
    const dead = nodemailer.createTransport({
      host: "127.0.0.1",
      port: 1,
      connectionTimeout: 500,
    });
    let now = new Date();
    expect(await deliverDueMail(t.db, dead, now)).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    const first = await status(mail.id);
    expect(first).toMatchObject({ status: "queued", attempts: 1 });
    expect(first.lastError).toMatch(/ECONNREFUSED/);
    // Not due yet: nothing is tried.
    expect(await deliverDueMail(t.db, dead, now)).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });

    for (let i = 2; i <= DELIVERY.maxAttempts; i++) {
      now = (await status(mail.id)).nextAttemptAt;
      await deliverDueMail(t.db, dead, now);
    }
    expect(await status(mail.id)).toMatchObject({
      status: "failed",
      attempts: DELIVERY.maxAttempts,
    });
  });

  it("puts mail claimed by a crashed sender back in the queue after its lease", async () => {
    const mail = await enqueueMail(t.db, {
      kind: "test",
      to: "y@example.com",
      subject: "Crash",
      text: ".",
    });
    const now = new Date();
    await t.db
      .update(outboundMail)
      .set({
        status: "sending",
        nextAttemptAt: new Date(now.getTime() + DELIVERY.leaseMs),
      })
      .where(eq(outboundMail.id, mail.id));
    expect(await requeueStuckMail(t.db, now)).toBe(0);
    expect(
      await requeueStuckMail(
        t.db,
        new Date(now.getTime() + DELIVERY.leaseMs + 1),
      ),
    ).toBe(1);
    expect((await status(mail.id)).status).toBe("queued");
  });

  it("sends the mail a request just queued first, however long the backlog", async () => {
    const backlogAt = new Date(Date.now() - 3600_000);
    const backlog = await Promise.all(
      [1, 2, 3].map((n) =>
        enqueueMail(
          t.db,
          {
            kind: "test",
            to: `b${n}@example.com`,
            subject: "Backlog",
            text: ".",
          },
          backlogAt,
        ),
      ),
    );
    const reply = await enqueueMail(t.db, {
      kind: "test",
      to: "customer@example.com",
      subject: "Your reply",
      text: ".",
    });
    const transport = createMailTransport(sink.url)!;
    const now = new Date();
    await deliverDueMail(t.db, transport, now, { limit: 1, newestFirst: true });
    expect((await status(reply.id)).status).toBe("sent");
    expect((await status(backlog[0]!.id)).status).toBe("queued");
    // The scheduled job works through the backlog oldest first.
    await deliverDueMail(t.db, transport, now, { limit: 1 });
    expect(
      (await Promise.all(backlog.map((m) => status(m.id)))).filter(
        (m) => m.status === "sent",
      ),
    ).toHaveLength(1);
  });
});
