import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import {
  sendSms,
  smsBackoffSeconds,
  smsRetryDelaySeconds,
} from "@/lib/sms/send";
import type { SmsConfig } from "@/lib/sms/types";
import {
  startFakeClickSend,
  type FakeClickSend,
} from "@/testing/sms/clicksend-fake";
import { closedPortUrl } from "@/testing/sms/closed-port";
import { startFakeTwilio, type FakeTwilio } from "@/testing/sms/twilio-fake";

// sendSms against both fakes over loopback: what every provider must answer alike.

const TO = "+447400123456";
const MASKED = "+44 •••• ••• 456";
const CODE = "Your Portico code is 482913";

let twilio: FakeTwilio;
let clicksend: FakeClickSend;
beforeAll(async () => {
  twilio = await startFakeTwilio();
  clicksend = await startFakeClickSend();
});
afterEach(() => {
  twilio.setMode("normal");
  clicksend.setMode("normal");
  vi.restoreAllMocks();
});
afterAll(async () => {
  await twilio.close();
  await clicksend.close();
});

const providers = [
  {
    name: "Twilio",
    config: (apiUrl?: string): SmsConfig => ({
      provider: "twilio",
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      sender: { kind: "from", from: "+15005550006" },
      apiUrl: apiUrl ?? twilio.url,
    }),
    fake: () => twilio,
    refusedCredentials: (): SmsConfig => ({
      provider: "twilio",
      accountSid: twilio.accountSid,
      authToken: "wrong",
      sender: { kind: "from", from: "+15005550006" },
      apiUrl: twilio.url,
    }),
    credentialWords: "check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
    limited: "is limiting how fast we send (20429)",
    serverError: "had a server error (500, 20500)",
  },
  {
    name: "ClickSend",
    config: (apiUrl?: string): SmsConfig => ({
      provider: "clicksend",
      username: clicksend.username,
      apiKey: clicksend.apiKey,
      from: undefined,
      apiUrl: apiUrl ?? clicksend.url,
    }),
    fake: () => clicksend,
    refusedCredentials: (): SmsConfig => ({
      provider: "clicksend",
      username: clicksend.username,
      apiKey: "wrong",
      from: undefined,
      apiUrl: clicksend.url,
    }),
    credentialWords: "check CLICKSEND_USERNAME and CLICKSEND_API_KEY",
    limited: "is limiting how fast we send (TOO_MANY_REQUESTS)",
    serverError: "had a server error (500 INTERNAL_SERVER_ERROR)",
  },
];

/** Everything written to stdout and stderr while `run` runs. */
async function captureOutput<T>(run: () => Promise<T>) {
  let written = "";
  const capture = (chunk: unknown) => {
    written += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  const result = await run();
  vi.restoreAllMocks();
  return { result, written };
}

describe.each(providers)("sendSms through $name", (p) => {
  it("delivers, and logs the masked number but never the body", async () => {
    const { result, written } = await captureOutput(() =>
      sendSms(p.config(), { to: TO, body: CODE }),
    );
    expect(result).toEqual({ ok: true, providerId: expect.any(String) });
    expect(p.fake().messages.at(-1)).toMatchObject({ to: TO, body: CODE });
    expect(written).toContain(MASKED);
    expect(written).not.toContain("482913");
    expect(written).not.toContain(TO);
  });

  it("does not retry refused credentials, and says which variables to check", async () => {
    const outcome = await sendSms(p.refusedCredentials(), {
      to: TO,
      body: CODE,
    });
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(!outcome.ok && outcome.reason).toContain(p.credentialWords);
    expect(!outcome.ok && outcome.reason).toContain(MASKED);
  });

  it("retries when rate-limited, after the provider's Retry-After", async () => {
    p.fake().setMode("rate_limited", { retryAfterSeconds: 20 });
    const { result, written } = await captureOutput(() =>
      sendSms(p.config(), { to: TO, body: CODE }),
    );
    expect(result).toEqual({
      ok: false,
      retry: true,
      retryAfterSeconds: 20,
      reason: `${p.name} ${p.limited}. The text to ${MASKED} will be tried again.`,
    });
    expect(written).not.toContain("482913");
  });

  it("retries a server error", async () => {
    p.fake().setMode("server_error");
    expect(await sendSms(p.config(), { to: TO, body: CODE })).toEqual({
      ok: false,
      retry: true,
      reason: `${p.name} ${p.serverError}. The text to ${MASKED} will be tried again.`,
    });
  });

  it("retries when the provider cannot be reached", async () => {
    const config = p.config(await closedPortUrl());
    expect(await sendSms(config, { to: TO, body: CODE })).toEqual({
      ok: false,
      retry: true,
      reason: `${p.name} could not be reached: the connection failed (ECONNREFUSED). The text to ${MASKED} will be tried again.`,
    });
  });

  it("retries when the provider does not answer in time", async () => {
    p.fake().setMode("hang");
    const outcome = await sendSms(
      p.config(),
      { to: TO, body: CODE },
      { timeoutMs: 150 },
    );
    expect(outcome).toEqual({
      ok: false,
      retry: true,
      reason: `${p.name} could not be reached: no answer within 0.15 s. The text to ${MASKED} will be tried again.`,
    });
  });

  it("sends nothing to a number that is not E.164, and says why", async () => {
    const before = p.fake().messages.length;
    const outcome = await sendSms(p.config(), {
      to: "07400 123456",
      body: CODE,
    });
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(!outcome.ok && outcome.reason).toContain(
      `nothing was sent to ${p.name}`,
    );
    expect(p.fake().messages).toHaveLength(before);
  });

  it("sends nothing when the text is empty", async () => {
    const outcome = await sendSms(p.config(), { to: TO, body: "  " });
    expect(outcome).toMatchObject({ ok: false, retry: false });
  });
});

describe("smsBackoffSeconds", () => {
  const middle = () => 0.5;
  it("starts at 30 s and doubles per attempt, up to an hour", () => {
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8, 50].map((a) => smsBackoffSeconds(a, middle)),
    ).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it("spreads waits by at most 10 % either way, and never past an hour", () => {
    expect(smsBackoffSeconds(1, () => 0)).toBe(27);
    expect(smsBackoffSeconds(1, () => 0.999)).toBe(33);
    expect(smsBackoffSeconds(30, () => 0.999)).toBe(3600);
  });

  it("treats attempt 0 or less like the first", () => {
    expect(smsBackoffSeconds(0, middle)).toBe(30);
    expect(smsBackoffSeconds(-3, middle)).toBe(30);
  });
});

describe("smsRetryDelaySeconds", () => {
  it("waits for the provider's Retry-After when it is longer than the back-off", () => {
    const limited = {
      ok: false as const,
      retry: true,
      retryAfterSeconds: 300,
      reason: "",
    };
    expect(smsRetryDelaySeconds(limited, 1, () => 0.5)).toBe(300);
    expect(smsRetryDelaySeconds(limited, 6, () => 0.5)).toBe(960);
  });
});
