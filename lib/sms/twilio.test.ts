import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTwilioClient } from "@/lib/sms/twilio";
import type { TwilioConfig } from "@/lib/sms/types";
import { startFakeTwilio, type FakeTwilio } from "@/testing/sms/twilio-fake";

// The real Twilio client against the fake over loopback HTTP. What both providers share (rate limits,
// server errors, no connection, timeouts) is in send.test.ts.

const TO = "+447400123456";

let fake: FakeTwilio;
beforeEach(async () => {
  fake = await startFakeTwilio({
    invalidNumbers: ["+15005550001"],
    unsubscribedNumbers: ["+447400999888"],
  });
});
afterEach(async () => {
  await fake.close();
});

const client = (config: Partial<Omit<TwilioConfig, "provider">> = {}) =>
  createTwilioClient(
    {
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      sender: { kind: "from", from: "+15005550006" },
      apiUrl: fake.url,
      ...config,
    },
    { timeoutMs: 2_000 },
  );

describe("Twilio send", () => {
  it("creates a Message and answers its SID", async () => {
    const outcome = await client().send({ to: TO, body: "Code: 123456" });
    expect(outcome).toEqual({
      ok: true,
      providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });
    expect(fake.messages).toEqual([
      expect.objectContaining({
        id: outcome.ok ? outcome.providerId : "",
        to: TO,
        from: "+15005550006",
        body: "Code: 123456",
      }),
    ]);
  });

  it("sends through a Messaging Service when one is configured", async () => {
    const service = `MG${"0".repeat(32)}`;
    const outcome = await client({
      sender: { kind: "messaging_service", messagingServiceSid: service },
    }).send({ to: TO, body: "Code: 1" });
    expect(outcome.ok).toBe(true);
    expect(fake.messages[0]?.from).toBe(service);
  });

  it.each([
    [
      "+15005550001",
      21211,
      "+1 •••• ••• 001",
      "it is not a valid phone number",
    ],
    [
      "+447400999888",
      21610,
      "+44 •••• ••• 888",
      "unsubscribed by replying STOP",
    ],
  ])(
    "does not retry a refused number %s (%i)",
    async (to, code, masked, words) => {
      const outcome = await client().send({ to, body: "Code: 1" });
      expect(outcome).toEqual({
        ok: false,
        retry: false,
        reason: expect.stringContaining(
          `Twilio refused the number ${masked}: `,
        ),
      });
      expect(!outcome.ok && outcome.reason).toContain(words);
      expect(!outcome.ok && outcome.reason).toContain(`(${code}).`);
      expect(!outcome.ok && outcome.reason).not.toContain(to);
      expect(fake.messages).toHaveLength(0);
    },
  );

  it("explains a missing recipient (21604)", async () => {
    const outcome = await client().send({ to: "", body: "Code: 1" });
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(!outcome.ok && outcome.reason).toContain("(21604)");
  });

  it("never puts the message body in a reason", async () => {
    fake.setMode("server_error");
    const outcome = await client().send({ to: TO, body: "Code: 987654" });
    expect(JSON.stringify(outcome)).not.toContain("987654");
  });
});
