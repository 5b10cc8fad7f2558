import "server-only";
import { createHash, randomBytes } from "node:crypto";

// osTicket's API keys are 32 upper-case hex characters, compared case-insensitively because of the
// database collation (docs/api.md §2). Keys are stored hashed with a visible prefix (docs/style.md).

export const API_KEY_PATTERN = /^[0-9A-F]{32}$/;
const PREFIX_LENGTH = 8;

export function generateApiKey(): string {
  return randomBytes(16).toString("hex").toUpperCase();
}

/** The canonical (upper-case) form of a presented `X-API-Key`; `null` when it cannot be any key. */
export function normalizeApiKey(
  presented: string | null | undefined,
): string | null {
  const key = presented?.trim().toUpperCase() ?? "";
  return API_KEY_PATTERN.test(key) ? key : null;
}

/** The first characters of a key, safe to show in the staff settings and the logs. */
export function apiKeyPrefix(key: string): string {
  return key.toUpperCase().slice(0, PREFIX_LENGTH);
}

/** SHA-256 hex of the normalised key, the value to store and look up; a lower-case key hashes the same. */
export function apiKeyDigest(key: string): string {
  return createHash("sha256").update(key.toUpperCase()).digest("hex");
}
