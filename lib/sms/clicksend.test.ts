import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClickSendClient } from "@/lib/sms/clicksend";
import type { ClickSendConfig } from "@/lib/sms/types";
import {
  startFakeClickSend,
  type FakeClickSend,
} from "@/testing/sms/clicksend-fake";

// The real ClickSend client against the fake over loopback HTTP. What both providers share (rate
// limits, server errors, no connection, timeouts) is in send.test.ts.

const TO = "+61412345678";
const MASKED = "+61 •••• •• 678";

let fake: FakeClickSend;
beforeEach(async () => {
  fake = await startFakeClickSend({ invalidNumbers: ["+61400000000"] });
});
afterEach(async () => {
  await fake.close();
});

const client = (config: Partial<Omit<ClickSendConfig, "provider">> = {}) =>
  createClickSendClient(
    {
      username: fake.username,
      apiKey: fake.apiKey,
      from: undefined,
      apiUrl: fake.url,
      ...config,
    },
    { timeoutMs: 2_000 },
  );

describe("ClickSend send", () => {
  it("sends one message and answers ClickSend's message ID", async () => {
    const outcome = await client({ from: "Portico" }).send({
      to: TO,
      body: "Code: 123456",
    });
    expect(outcome).toEqual({
      ok: true,
      providerId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
    expect(fake.messages).toEqual([
      expect.objectContaining({
        to: TO,
        from: "Portico",
        body: "Code: 123456",
      }),
    ]);
  });

  it("leaves the sender to the account's default when CLICKSEND_FROM is unset", async () => {
    const outcome = await client().send({ to: TO, body: "Code: 1" });
    expect(outcome.ok).toBe(true);
    expect(fake.messages[0]?.from).toBeNull();
  });

  it.each([
    ["+61400000000", "+61 •••• •• 000"],
    ["+6", "•••• 6"],
  ])(
    "does not retry a number ClickSend refuses inside a 200 (%s)",
    async (to, masked) => {
      const outcome = await client().send({ to, body: "Code: 1" });
      expect(outcome).toEqual({
        ok: false,
        retry: false,
        reason: `ClickSend refused the number ${masked}: it is not a valid recipient (INVALID_RECIPIENT).`,
      });
      expect(fake.messages).toHaveLength(0);
    },
  );

  it("keeps a text for later when the account is out of credit, and says what to do", async () => {
    fake.setMode("no_credit");
    const outcome = await client().send({ to: TO, body: "Code: 1" });
    expect(outcome).toEqual({
      ok: false,
      retry: true,
      reason: `ClickSend has no credit left on the account: top it up in the ClickSend dashboard. The text to ${MASKED} will be tried again (INSUFFICIENT_CREDIT).`,
    });
  });

  it("does not retry a text without a body (MISSING_REQUIRED_FIELDS)", async () => {
    const outcome = await client().send({ to: TO, body: "" });
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(!outcome.ok && outcome.reason).toContain("MISSING_REQUIRED_FIELDS");
  });
});
