import { describe, expect, it } from "vitest";
import { DELIVERY, nextAttemptAt } from "@/lib/mail/deliver";

describe("outbox retry back-off", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const delay = (attempts: number) =>
    (nextAttemptAt(attempts, now).getTime() - now.getTime()) / 60_000;

  it("doubles from one minute", () => {
    expect([1, 2, 3, 4].map(delay)).toEqual([1, 2, 4, 8]);
  });

  it("never waits longer than the cap", () => {
    expect(delay(30)).toBe(DELIVERY.maxDelayMs / 60_000);
  });
});
