import { describe, expect, it } from "vitest";
import {
  API_KEY_PATTERN,
  apiKeyDigest,
  apiKeyPrefix,
  generateApiKey,
  normalizeApiKey,
} from "@/lib/osticket/api-key-format";

const key = "58978C385F8C030C1146BD27985BA6F4";

describe("API key format (docs/api.md §2)", () => {
  it("generates 32 upper-case hex characters, different each time", () => {
    const keys = Array.from({ length: 50 }, generateApiKey);
    expect(keys.every((k) => API_KEY_PATTERN.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(50);
  });

  it("normalises a presented key case-insensitively", () => {
    expect(normalizeApiKey(key)).toBe(key);
    expect(normalizeApiKey(key.toLowerCase())).toBe(key);
    expect(normalizeApiKey(` ${key} `)).toBe(key);
  });

  it.each([null, undefined, "", "   ", "not-a-key", `${key}0`, key.slice(1)])(
    "refuses %j as any key",
    (presented) => {
      expect(normalizeApiKey(presented)).toBeNull();
    },
  );

  it("shows a prefix and hashes the lower-case form the same", () => {
    expect(apiKeyPrefix(key.toLowerCase())).toBe("58978C38");
    expect(apiKeyDigest(key.toLowerCase())).toBe(apiKeyDigest(key));
    expect(apiKeyDigest(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});
