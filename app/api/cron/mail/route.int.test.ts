import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDbHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { jobLeases, outboundMail } from "@/db/schema";
import { withJobLease } from "@/lib/jobs/lease";
import { enqueueMail } from "@/lib/mail/outbox";
import { forgetAppDatabase } from "@/testing/app-db";
import { setTestEnv } from "@/testing/env";
import { startSmtpSink, type SmtpSink } from "@/testing/smtp-sink";
import { GET, POST } from "./route";

const SECRET = "cron-secret-for-tests-0123456789";
let dir: string;
let sink: SmtpSink;
let restoreEnv: () => void;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-cron-"));
  sink = await startSmtpSink();
  restoreEnv = setTestEnv({
    PGLITE_DIR: path.join(dir, "db"),
    CRON_SECRET: SECRET,
    SMTP_URL: sink.url,
    DATABASE_URL: undefined,
  });
  await runMigrations(await getDbHandle());
});

afterAll(async () => {
  await (await getDbHandle()).close();
  forgetAppDatabase();
  restoreEnv();
  await sink.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (handler: typeof GET, auth?: string) =>
  handler(
    new Request("http://portal.test/api/cron/mail", {
      method: "POST",
      headers: auth ? { authorization: auth } : {},
    }),
  );

describe("/api/cron/mail", () => {
  it("refuses callers without the bearer secret", async () => {
    expect((await call(POST)).status).toBe(401);
    expect(
      (await call(POST, "Bearer wrong-secret-of-the-same-size!")).status,
    ).toBe(401);
    expect((await call(GET, SECRET)).status).toBe(401); // the scheme is required
  });

  it("delivers queued mail and reports what it did", async () => {
    const { db } = await getDbHandle();
    const mail = await enqueueMail(db, {
      kind: "test",
      to: "someone@example.com",
      subject: "From the cron",
      text: "hello",
    });
    const res = await call(GET, `Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ran: true,
      outbox: { sent: 1, retrying: 0, failed: 0, requeued: 0 },
    });
    expect(sink.messages.map((m) => m.subject)).toContain("From the cron");
    const [row] = await db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.id, mail.id));
    expect(row?.status).toBe("sent");
  });

  it("answers 409 without working while another run holds the lease", async () => {
    const { db } = await getDbHandle();
    const inner = await withJobLease(
      db,
      "mail",
      { now: new Date(), leaseMs: 60_000 },
      async () => {
        const res = await call(POST, `Bearer ${SECRET}`);
        return { status: res.status, body: await res.json() };
      },
    );
    expect(inner).toEqual({
      status: 409,
      body: { ran: false, reason: "locked" },
    });
    expect((await call(POST, `Bearer ${SECRET}`)).status).toBe(200); // released afterwards
  });

  it("takes over a lease whose holder crashed", async () => {
    const { db } = await getDbHandle();
    // A holder that died mid-run never released its lease; it ran out a minute ago.
    await db.insert(jobLeases).values({
      name: "mail",
      holder: "dead-process",
      leaseUntil: new Date(Date.now() - 60_000),
    });
    const res = await call(POST, `Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    expect(await db.select().from(jobLeases)).toEqual([]);
  });
});
