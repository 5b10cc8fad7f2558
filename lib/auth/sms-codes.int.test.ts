import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import {
  confirmPhone,
  SMS_CODES_PER_HOUR,
  startPhoneVerification,
} from "@/lib/auth/sms-codes";
import {
  beginSecondStep,
  challengeOwner,
  completeChallenge,
  enableSmsTwoFactor,
  textSignInCode,
} from "@/lib/auth/two-factor";
import { DELIVERED_BODY, deliverDueSms } from "@/lib/sms/outbox";
import type { SmsConfig } from "@/lib/sms/types";
import { getUserById } from "@/lib/users/queries";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import {
  startFakeClickSend,
  type FakeClickSend,
} from "@/testing/sms/clicksend-fake";
import { startFakeTwilio, type FakeTwilio } from "@/testing/sms/twilio-fake";

let t: TestDb;
let twilio: FakeTwilio;
let clicksend: FakeClickSend;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = setTestEnv({
    NEXTAUTH_SECRET: "test-secret-for-sms-code-tests-0123456789",
  });
  t = await createTestDb();
  twilio = await startFakeTwilio({ invalidNumbers: ["+447400000001"] });
  clicksend = await startFakeClickSend({ invalidNumbers: ["+447400000002"] });
});
afterAll(async () => {
  await Promise.all([twilio.close(), clicksend.close()]);
  restoreEnv();
  await t.close();
});

const PASSWORD = "a long enough passphrase";
let numbers = 100;
/** A fresh mobile number per test, so the per-number hourly limit never spills over. */
const freshNumber = () => `+4474001${String(numbers++).padStart(5, "0")}`;

const viaTwilio = (): SmsConfig => ({
  provider: "twilio",
  accountSid: twilio.accountSid,
  authToken: twilio.authToken,
  sender: { kind: "from", from: "+15005550006" },
  apiUrl: twilio.url,
});
const viaClickSend = (): SmsConfig => ({
  provider: "clicksend",
  username: clicksend.username,
  apiKey: clicksend.apiKey,
  from: undefined,
  apiUrl: clicksend.url,
});

async function newestText(to: string) {
  const [row] = await t.db
    .select()
    .from(s.outboundSms)
    .where(eq(s.outboundSms.to, to))
    .orderBy(desc(s.outboundSms.createdAt))
    .limit(1);
  return row!;
}
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;

describe("phone numbers", () => {
  it("confirms a number with the code kept in the SMS outbox when no provider is set", async () => {
    const user = await buildUser(t.db);
    const phone = freshNumber();
    const sent = await startPhoneVerification(
      t.db,
      user,
      phone.replace("+44", "+44 ").replace(/(\d{4})(\d+)$/, "$1 $2"),
      { config: null },
    );
    expect(sent).toEqual({
      ok: true,
      value: { to: expect.stringMatching(/•/) },
    });
    const text = await newestText(phone);
    expect(text.status).toBe("kept");
    const wrong = await confirmPhone(t.db, user, "000000");
    expect(!wrong.ok && wrong.error.fields?.code).toBeDefined();
    expect((await confirmPhone(t.db, user, codeIn(text.body))).ok).toBe(true);
    expect(await getUserById(t.db, user.id)).toMatchObject({
      phone,
      phoneVerifiedAt: expect.any(Date),
    });
    // Used once.
    expect((await confirmPhone(t.db, user, codeIn(text.body))).ok).toBe(false);
  });

  it("refuses what is not a mobile number, naming the field", async () => {
    const user = await buildUser(t.db);
    for (const raw of ["12", "not a number", "+1 (555) 0100", "😀"]) {
      const refused = await startPhoneVerification(t.db, user, raw, {
        config: null,
      });
      expect(!refused.ok && refused.error.fields?.phone).toBeDefined();
    }
  });

  it(`sends a number at most ${SMS_CODES_PER_HOUR} codes an hour`, async () => {
    const user = await buildUser(t.db);
    const phone = freshNumber();
    const now = new Date();
    for (let i = 0; i < SMS_CODES_PER_HOUR; i++)
      expect(
        (await startPhoneVerification(t.db, user, phone, { config: null, now }))
          .ok,
      ).toBe(true);
    const more = await startPhoneVerification(t.db, user, phone, {
      config: null,
      now,
    });
    expect(!more.ok && more.error.code).toBe("rate_limited");
    const later = await startPhoneVerification(t.db, user, phone, {
      config: null,
      now: new Date(now.getTime() + 3601_000),
    });
    expect(later.ok).toBe(true);
  });
});

describe.each([
  ["Twilio", viaTwilio, () => twilio, "+447400000001", /21211/],
  [
    "ClickSend",
    viaClickSend,
    () => clicksend,
    "+447400000002",
    /INVALID_RECIPIENT|not a valid/i,
  ],
] as const)(
  "texts through %s",
  (_name, config, fake, invalid, invalidWords) => {
    it("delivers the code, and keeps no copy of it once sent", async () => {
      const user = await buildUser(t.db);
      const phone = freshNumber();
      await startPhoneVerification(t.db, user, phone, { config: config() });
      expect((await newestText(phone)).status).toBe("pending");
      expect(await deliverDueSms(t.db, config())).toMatchObject({ sent: 1 });
      const received = fake().messages.find((m) => m.to === phone)!;
      const row = await newestText(phone);
      expect(row).toMatchObject({
        status: "sent",
        body: DELIVERED_BODY,
        providerId: expect.any(String),
      });
      expect((await confirmPhone(t.db, user, codeIn(received.body))).ok).toBe(
        true,
      );
    });

    it("gives up on an invalid number at once, saying why", async () => {
      const user = await buildUser(t.db);
      await startPhoneVerification(t.db, user, invalid, { config: config() });
      expect(await deliverDueSms(t.db, config())).toMatchObject({ failed: 1 });
      const row = await newestText(invalid);
      expect(row.status).toBe("failed");
      expect(row.lastError).toMatch(invalidWords);
      expect(row.body).not.toMatch(/\d{6}/);
    });

    it("waits and tries again while the account is rate-limited", async () => {
      const user = await buildUser(t.db);
      const phone = freshNumber();
      const now = new Date();
      await startPhoneVerification(t.db, user, phone, {
        config: config(),
        now,
      });
      fake().setMode("rate_limited", { retryAfterSeconds: 120 });
      try {
        expect(await deliverDueSms(t.db, config(), { now })).toMatchObject({
          retrying: 1,
        });
      } finally {
        fake().setMode("normal");
      }
      const waiting = await newestText(phone);
      expect(waiting.status).toBe("pending");
      expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(
        now.getTime() + 120_000,
      );
      // Not due yet, then due.
      expect(await deliverDueSms(t.db, config(), { now })).toMatchObject({
        sent: 0,
      });
      expect(
        await deliverDueSms(t.db, config(), {
          now: new Date(now.getTime() + 3600_000),
        }),
      ).toMatchObject({ sent: 1 });
    });
  },
);

describe("codes by text as the second factor", () => {
  it("signs a customer in with the texted code, once", async () => {
    const phone = freshNumber();
    const user = await buildUser(t.db, {
      password: PASSWORD,
      phone,
      phoneVerifiedAt: new Date(),
    });
    const on = await enableSmsTwoFactor(t.db, user.viewer, PASSWORD);
    expect(on.ok && on.value.recoveryCodes).toHaveLength(10);

    const challenge = await beginSecondStep(
      t.db,
      { id: user.id, twoFactor: "sms" },
      { sms: null },
    );
    const text = await newestText(phone);
    expect(text.body).toMatch(/sign-in code/);
    const done = await completeChallenge(t.db, challenge, codeIn(text.body), {
      client: "203.0.113.40",
    });
    expect(done.ok && done.value.id).toBe(user.id);
    const again = await beginSecondStep(
      t.db,
      { id: user.id, twoFactor: "sms" },
      { sms: null },
    );
    const replay = await completeChallenge(t.db, again, codeIn(text.body), {
      client: "203.0.113.40",
    });
    expect(replay.ok).toBe(false);
  });

  it("texts a new code on request, and only the newest one works", async () => {
    const phone = freshNumber();
    const user = await buildUser(t.db, {
      password: PASSWORD,
      phone,
      phoneVerifiedAt: new Date(),
      twoFactor: "sms",
    });
    const challenge = await beginSecondStep(
      t.db,
      { id: user.id, twoFactor: "sms" },
      { sms: null },
    );
    const first = codeIn((await newestText(phone)).body);
    expect(await challengeOwner(t.db, challenge)).toBe(user.id);
    expect((await textSignInCode(t.db, user.id, { sms: null })).ok).toBe(true);
    const second = codeIn((await newestText(phone)).body);
    if (first !== second) {
      const stale = await completeChallenge(t.db, challenge, first, {
        client: "203.0.113.41",
      });
      expect(stale.ok).toBe(false);
    }
    const done = await completeChallenge(t.db, challenge, second, {
      client: "203.0.113.41",
    });
    expect(done.ok).toBe(true);
    // An account signing in with an app gets no text.
    const appUser = await buildUser(t.db, { twoFactor: "totp" });
    expect((await textSignInCode(t.db, appUser.id, { sms: null })).ok).toBe(
      false,
    );
  });

  it("is never offered to staff, nor without a confirmed number", async () => {
    const agent = await buildUser(t.db, {
      role: "agent",
      password: PASSWORD,
      phone: freshNumber(),
      phoneVerifiedAt: new Date(),
    });
    const staff = await enableSmsTwoFactor(t.db, agent.viewer, PASSWORD);
    expect(!staff.ok && staff.error.message).toMatch(/authenticator app/);
    const unconfirmed = await buildUser(t.db, {
      password: PASSWORD,
      phone: freshNumber(),
    });
    const refused = await enableSmsTwoFactor(
      t.db,
      unconfirmed.viewer,
      PASSWORD,
    );
    expect(!refused.ok && refused.error.message).toMatch(/Confirm a phone/);
    const rows = await t.db
      .select()
      .from(s.users)
      .where(and(eq(s.users.id, agent.id), eq(s.users.twoFactor, "sms")));
    expect(rows).toEqual([]);
  });
});
