import { describe, expect, it } from "vitest";
import { maskPhone, parsePhone } from "@/lib/sms/phone";

describe("parsePhone", () => {
  it.each([
    ["+44 7400 123456", undefined, "+447400123456", "GB"],
    ["07400 123456", "GB", "+447400123456", "GB"],
    ["(07400) 123-456", "GB", "+447400123456", "GB"],
    ["0044 7400 123456", undefined, "+447400123456", "GB"],
    ["0044 7400 123456", "US", "+447400123456", "GB"],
    ["+49 151 23456789", undefined, "+4915123456789", "DE"],
    ["0151/23456789", "DE", "+4915123456789", "DE"],
    ["+33 6 12 34 56 78", undefined, "+33612345678", "FR"],
    ["06.12.34.56.78", "FR", "+33612345678", "FR"],
    ["(201) 555-0123", "US", "+12015550123", "US"],
    ["+1-201-555-0123", undefined, "+12015550123", "US"],
    ["+61 412 345 678", undefined, "+61412345678", "AU"],
    ["+91 98765 43210", undefined, "+919876543210", "IN"],
  ] as const)(
    "reads %s (default %s) as %s",
    (input, country, e164, expectedCountry) => {
      const result = parsePhone(input, country);
      expect(result).toMatchObject({
        ok: true,
        value: { e164, country: expectedCountry },
      });
    },
  );

  it("gives the number as written in its own country", () => {
    const result = parsePhone("+447400123456");
    expect(result.ok && result.value.national).toBe("07400 123456");
  });

  it.each([
    ["", "Enter a phone number."],
    ["   ", "Enter a phone number."],
    ["12", "That phone number is too short."],
    ["+44 77", "That phone number is too short."],
    ["+44 7400 123456 4567 89", "That phone number is too long."],
    ["1".repeat(60), "That is not a phone number."],
    ["+44 7400 123456 📱", "That is not a phone number."],
    ["📞📞📞", "That is not a phone number."],
    ["call me", "That is not a phone number."],
    ["+44 7400 l23456", "That is not a phone number."],
  ])("refuses %j: %s", (input, message) => {
    expect(parsePhone(input, "GB")).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message,
        fields: { phone: [message] },
      },
    });
  });

  it("asks for the country code when there is no default country", () => {
    const result = parsePhone("07400 123456");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/country code/);
  });

  it("refuses an unknown country calling code", () => {
    const result = parsePhone("+999 1234 5678");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("invalid_input");
  });

  it("refuses a number outside every allocated range", () => {
    const result = parsePhone("+44 1234 000000");
    expect(result.ok).toBe(false);
  });

  it("refuses landlines and toll-free numbers: they cannot receive a text", () => {
    for (const input of [
      "+44 20 7946 0958",
      "+49 30 12345678",
      "0800 123 4567",
    ]) {
      const result = parsePhone(input, "GB");
      expect(!result.ok && result.error.message).toBe(
        "That is not a phone number we can send texts to: please use a mobile number.",
      );
    }
  });

  it("accepts US numbers, whose plan does not tell mobiles from landlines", () => {
    expect(parsePhone("+1 212 555 0123").ok).toBe(true);
  });
});

describe("maskPhone", () => {
  it.each([
    ["+447911123789", "+44 •••• ••• 789"],
    ["+4915123456789", "+49 •••• •••• 789"],
    ["+12015550123", "+1 •••• ••• 123"],
    ["+33612345678", "+33 •••• •• 678"],
  ])("masks %s as %s", (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });

  it("never shows more than the last three digits of something that is not E.164", () => {
    expect(maskPhone("garbage 123456")).toBe("•••• 456");
  });
});
