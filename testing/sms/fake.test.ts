import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startFakeClickSend,
  type FakeClickSend,
} from "@/testing/sms/clicksend-fake";
import { startFakeTwilio, type FakeTwilio } from "@/testing/sms/twilio-fake";

// The fakes themselves, spoken to over raw HTTP: the requests they accept and the exact answers they
// give. The real clients against them are covered in lib/sms/*.test.ts.

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let twilio: FakeTwilio;
let clicksend: FakeClickSend;
beforeAll(async () => {
  twilio = await startFakeTwilio({ invalidNumbers: ["+15005550001"] });
  clicksend = await startFakeClickSend();
});
afterAll(async () => {
  await twilio.close();
  await clicksend.close();
});

describe("fake Twilio", () => {
  const post = async (
    form: Record<string, string>,
    options: { auth?: string; path?: string } = {},
  ) => {
    const res = await fetch(
      `${twilio.url}${options.path ?? `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`}`,
      {
        method: "POST",
        headers: {
          Authorization:
            options.auth ?? basic(twilio.accountSid, twilio.authToken),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(form).toString(),
      },
    );
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const text = { To: "+447400123456", From: "+15005550006", Body: "Hi" };

  it("answers 201 with a Message resource", async () => {
    const { status, body } = await post(text);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      account_sid: twilio.accountSid,
      to: "+447400123456",
      from: "+15005550006",
      body: "Hi",
      status: "queued",
      direction: "outbound-api",
      api_version: "2010-04-01",
      error_code: null,
      num_segments: "1",
    });
    expect(body.uri).toBe(
      `/2010-04-01/Accounts/${twilio.accountSid}/Messages/${body.sid}.json`,
    );
  });

  it("refuses wrong credentials with 20003 and a Basic challenge", async () => {
    const { status, headers, body } = await post(text, {
      auth: basic(twilio.accountSid, "nope"),
    });
    expect(status).toBe(401);
    expect(headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(body).toEqual({
      code: 20003,
      message: "Authenticate",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    });
  });

  it("refuses another account's path with the same credentials", async () => {
    const { status } = await post(text, {
      path: `/2010-04-01/Accounts/AC${"f".repeat(32)}/Messages.json`,
    });
    expect(status).toBe(401);
  });

  it.each([
    [{ From: "+15005550006", Body: "Hi" }, 21604],
    [{ To: "+447400123456", Body: "Hi" }, 21603],
    [{ To: "+447400123456", From: "+15005550006" }, 21602],
    [{ ...text, Body: "x".repeat(1601) }, 21617],
    [{ ...text, To: "447400123456" }, 21211],
    [{ ...text, To: "+1234567" }, 21211],
    [{ ...text, To: "+15005550001" }, 21211],
  ])("answers 400 to %j with code %i", async (form, code) => {
    const { status, body } = await post(form);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code,
      status: 400,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
  });
});

describe("fake ClickSend", () => {
  const post = async (payload: unknown, auth?: string) => {
    const res = await fetch(`${clicksend.url}/v3/sms/send`, {
      method: "POST",
      headers: {
        Authorization: auth ?? basic(clicksend.username, clicksend.apiKey),
        "Content-Type": "application/json",
      },
      body: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
    return { status: res.status, body: await res.json() };
  };

  it("answers 200 with the envelope and each message's status", async () => {
    const { status, body } = await post({
      messages: [
        { source: "portico", to: "+61412345678", body: "Hi" },
        { source: "portico", to: "0412345678", body: "Hi" },
      ],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      http_code: 200,
      response_code: "SUCCESS",
      response_msg: "Messages queued for delivery.",
      data: {
        total_count: 2,
        queued_count: 1,
        messages: [
          {
            status: "SUCCESS",
            to: "+61412345678",
            message_id: expect.stringMatching(/^[0-9A-F-]{36}$/),
          },
          { status: "INVALID_RECIPIENT", to: "0412345678" },
        ],
      },
    });
  });

  it.each([
    ["wrong credentials", 401, "UNAUTHORIZED"],
    ["a body that is not JSON", 400, "BAD_REQUEST"],
    ["no messages", 400, "BAD_REQUEST"],
  ])("answers %s with %i %s", async (what, status, code) => {
    const reply =
      what === "wrong credentials"
        ? await post({ messages: [] }, basic(clicksend.username, "nope"))
        : await post(what === "no messages" ? { messages: [] } : "{");
    expect(reply).toEqual({
      status,
      body: {
        http_code: status,
        response_code: code,
        response_msg: expect.any(String),
        data: null,
      },
    });
  });

  it("answers 429 TOO_MANY_REQUESTS with Retry-After when rate-limited", async () => {
    clicksend.setMode("rate_limited", { retryAfterSeconds: 9 });
    const res = await fetch(`${clicksend.url}/v3/sms/send`, {
      method: "POST",
      headers: { Authorization: basic(clicksend.username, clicksend.apiKey) },
      body: "{}",
    });
    clicksend.setMode("normal");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("9");
    expect(await res.json()).toMatchObject({
      response_code: "TOO_MANY_REQUESTS",
    });
  });
});
