import { describe, expect, it } from "vitest";
import { retryAfter } from "@/lib/sms/http";

describe("retryAfter", () => {
  const now = new Date("2026-12-05T01:00:00Z");

  it("reads a delay in seconds", () => {
    expect(retryAfter("120", now)).toBe(120);
    expect(retryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date as the seconds until then, never negative", () => {
    expect(retryAfter("Sat, 05 Dec 2026 01:01:30 GMT", now)).toBe(90);
    expect(retryAfter("Sat, 05 Dec 2026 00:59:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(retryAfter(null, now)).toBeUndefined();
    expect(retryAfter("", now)).toBeUndefined();
    expect(retryAfter("soon", now)).toBeUndefined();
    expect(retryAfter("-5", now)).toBeUndefined();
  });
});
