import { describe, expect, it } from "vitest";
import { smsConfig } from "@/lib/sms/config";

const SID = `AC${"a1".repeat(16)}`;
const SERVICE = `MG${"b2".repeat(16)}`;

describe("smsConfig", () => {
  it("is off (null) when SMS_PROVIDER is unset or empty, whatever else is set", () => {
    expect(smsConfig({})).toBeNull();
    expect(smsConfig({ SMS_PROVIDER: "", TWILIO_ACCOUNT_SID: SID })).toBeNull();
  });

  it("reads Twilio with a fixed sender, against Twilio itself by default", () => {
    expect(
      smsConfig({
        SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: " token ",
        TWILIO_FROM: "+15005550006",
      }),
    ).toEqual({
      provider: "twilio",
      accountSid: SID,
      authToken: "token",
      sender: { kind: "from", from: "+15005550006" },
      apiUrl: "https://api.twilio.com",
    });
  });

  it("prefers the Messaging Service when both senders are set, and takes a stand-in URL", () => {
    expect(
      smsConfig({
        SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: "token",
        TWILIO_FROM: "Portico",
        TWILIO_MESSAGING_SERVICE_SID: SERVICE,
        TWILIO_API_URL: "http://127.0.0.1:3221",
      }),
    ).toMatchObject({
      sender: { kind: "messaging_service", messagingServiceSid: SERVICE },
      apiUrl: "http://127.0.0.1:3221",
    });
  });

  it("names every missing Twilio variable", () => {
    expect(() => smsConfig({ SMS_PROVIDER: "twilio" })).toThrow(
      [
        "Invalid environment:",
        "  TWILIO_ACCOUNT_SID must be set with SMS_PROVIDER=twilio",
        "  TWILIO_AUTH_TOKEN must be set with SMS_PROVIDER=twilio",
        "  TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID must be set with SMS_PROVIDER=twilio",
      ].join("\n"),
    );
  });

  it.each([
    ["TWILIO_ACCOUNT_SID", "SK123", "account SID"],
    ["TWILIO_FROM", "not a sender id!", "E.164"],
    ["TWILIO_MESSAGING_SERVICE_SID", "MG123", "Messaging Service SID"],
    ["TWILIO_API_URL", "api.twilio.com", "TWILIO_API_URL"],
    ["SMS_PROVIDER", "vonage", '"twilio" or "clicksend"'],
  ])("names a malformed %s", (name, value, words) => {
    const vars = {
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_FROM: "+15005550006",
      [name]: value,
    };
    expect(() => smsConfig(vars)).toThrow(name);
    expect(() => smsConfig(vars)).toThrow(words);
  });

  it("reads ClickSend, with or without a sender", () => {
    expect(
      smsConfig({
        SMS_PROVIDER: "clicksend",
        CLICKSEND_USERNAME: "ops@example.com",
        CLICKSEND_API_KEY: "KEY",
      }),
    ).toEqual({
      provider: "clicksend",
      username: "ops@example.com",
      apiKey: "KEY",
      from: undefined,
      apiUrl: "https://rest.clicksend.com",
    });
    expect(
      smsConfig({
        SMS_PROVIDER: "clicksend",
        CLICKSEND_USERNAME: "ops@example.com",
        CLICKSEND_API_KEY: "KEY",
        CLICKSEND_FROM: "Portico",
        CLICKSEND_API_URL: "http://127.0.0.1:3222",
      }),
    ).toMatchObject({ from: "Portico", apiUrl: "http://127.0.0.1:3222" });
  });

  it("names every missing ClickSend variable", () => {
    expect(() => smsConfig({ SMS_PROVIDER: "clicksend" })).toThrow(
      [
        "Invalid environment:",
        "  CLICKSEND_USERNAME must be set with SMS_PROVIDER=clicksend",
        "  CLICKSEND_API_KEY must be set with SMS_PROVIDER=clicksend",
      ].join("\n"),
    );
  });
});
