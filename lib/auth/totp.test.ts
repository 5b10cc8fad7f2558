import { describe, expect, it } from "vitest";
import {
  isTotpSecret,
  newTotpSecret,
  totpCode,
  totpQrSvg,
  totpStep,
  totpUri,
} from "@/lib/auth/totp";

// RFC 6238 appendix B, SHA-1 rows. The seed is the ASCII "12345678901234567890"; the RFC prints
// 8-digit codes, and a 6-digit code is the same number mod 10^6: its last six digits.
const RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: Array<[seconds: number, eightDigits: string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP", () => {
  it.each(RFC_VECTORS)("matches RFC 6238 at T=%i", (seconds, eight) => {
    const at = seconds * 1000;
    expect(totpCode(RFC_SEED, at)).toBe(eight.slice(2));
    expect(totpStep(RFC_SEED, eight.slice(2), at)).toBe(
      Math.floor(seconds / 30),
    );
  });

  it("accepts a code one step early or late, and not two", () => {
    const at = 1111111111 * 1000;
    const code = totpCode(RFC_SEED, at);
    const step = Math.floor(at / 30_000);
    expect(totpStep(RFC_SEED, code, at + 30_000)).toBe(step);
    expect(totpStep(RFC_SEED, code, at - 30_000)).toBe(step);
    expect(totpStep(RFC_SEED, code, at + 61_000)).toBeNull();
  });

  it("refuses what is not a six-digit code, and forgives spaces", () => {
    const at = 59_000;
    expect(totpStep(RFC_SEED, "287 082", at)).toBe(1);
    for (const bad of ["", "28708", "2870822", "abcdef", "٢٨٧٠٨٢", "😀😀😀"])
      expect(totpStep(RFC_SEED, bad, at)).toBeNull();
  });

  it("makes 160-bit base32 secrets and an otpauth link apps read", async () => {
    const a = newTotpSecret();
    expect(isTotpSecret(a)).toBe(true);
    expect(newTotpSecret()).not.toBe(a);
    const uri = totpUri(a, "ana@example.com");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Portico:ana%40example\.com\?/);
    expect(new URL(uri).searchParams.get("secret")).toBe(a);
    const svg = await totpQrSvg(a, "ana@example.com");
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
  });
});
