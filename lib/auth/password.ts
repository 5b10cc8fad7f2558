import "server-only";
import argon2 from "argon2";
import { withHashSlot } from "@/lib/auth/hash-slots";

// argon2id with the library's defaults (64 MiB, t=3, p=4), a few at a time (hash-slots.ts).
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => argon2.hash(password, { type: argon2.argon2id }));
}

export async function verifyPassword(
  hash: string,
  password: string,
): Promise<boolean> {
  try {
    return await withHashSlot(() => argon2.verify(hash, password));
  } catch {
    return false; // a malformed hash is a failed check, not a crash
  }
}

// Verifying against a fixed hash when the account doesn't exist keeps the timing the same,
// so response time doesn't reveal which emails have accounts.
const DUMMY_HASH =
  "$argon2id$v=19$m=65536,p=4,t=3$hW6KhHz/HM4ui0D2rHPtaQ$s1t7pKdCNLfpyfO1bsXCS+4ERiuRhoEROF73IhjxUl0";

export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(DUMMY_HASH, password);
}
