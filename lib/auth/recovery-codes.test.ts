import { describe, expect, it } from "vitest";
import {
  hashRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
} from "@/lib/auth/recovery-codes";

describe("recovery codes", () => {
  it("makes ten distinct codes that read well on paper", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      expect(normalizeRecoveryCode(code)).toBe(code);
    }
  });

  it("forgives case, spaces and a missing dash, and refuses the rest", () => {
    expect(normalizeRecoveryCode(" abcde fghjk ")).toBe("ABCDE-FGHJK");
    expect(normalizeRecoveryCode("ABCDEFGHJK")).toBe("ABCDE-FGHJK");
    for (const bad of [
      "",
      "ABCDE-FGHJ",
      "ABCDE-FGHJKL",
      "ABCD0-FGHJK",
      "123456",
    ])
      expect(normalizeRecoveryCode(bad)).toBeNull();
  });

  it("stores only a hash that differs per code", () => {
    const [a, b] = newRecoveryCodes(2);
    expect(hashRecoveryCode(a!)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(a!)).not.toContain(a!);
    expect(hashRecoveryCode(a!)).not.toBe(hashRecoveryCode(b!));
  });
});
