import "server-only";
import { createHash, randomInt } from "node:crypto";

// Ten single-use codes that stand in for the authenticator when the phone is lost. Each has 50 bits
// of randomness, so a plain SHA-256 is enough to keep them unreadable at rest (a slow hash protects
// guessable secrets like passwords; these are not guessable), and sign-in limits the tries anyway.

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: codes get read off paper and typed back.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from(
      { length: 10 },
      () => ALPHABET[randomInt(ALPHABET.length)],
    ).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Lower case, spaces and a missing dash are all forgiven when a code is typed back. */
export function normalizeRecoveryCode(input: string): string | null {
  const bare = input.replace(/[\s-]+/g, "").toUpperCase();
  if (!/^[2-9A-HJ-NP-Z]{10}$/.test(bare)) return null;
  return `${bare.slice(0, 5)}-${bare.slice(5)}`;
}

export const hashRecoveryCode = (code: string): string =>
  createHash("sha256").update(`portico-recovery:${code}`).digest("hex");
