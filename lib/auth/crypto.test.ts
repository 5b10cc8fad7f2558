import { afterEach, describe, expect, it } from "vitest";
import { open, seal } from "@/lib/auth/crypto";
import { setTestEnv } from "@/testing/env";

const OLD = "an-old-encryption-key-0123456789-abcdef";
const NEW = "a-new-encryption-key-0123456789-abcdefg";

let restore: (() => void) | null = null;
afterEach(() => restore?.());

describe("sealed secrets", () => {
  it("opens what it sealed, and never stores the plain text", () => {
    restore = setTestEnv({ ENCRYPTION_KEY: OLD });
    const sealed = seal("JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(seal("JBSWY3DPEHPK3PXP")).not.toBe(sealed); // a fresh IV each time
    expect(open(sealed)).toEqual({ plain: "JBSWY3DPEHPK3PXP", stale: false });
  });

  it("refuses an altered value and one sealed under an unknown key", () => {
    restore = setTestEnv({ ENCRYPTION_KEY: OLD });
    const sealed = seal("secret");
    const flipped = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(open(flipped)).toBeNull();
    restore();
    restore = setTestEnv({ ENCRYPTION_KEY: NEW });
    expect(open(sealed)).toBeNull();
  });

  it("still opens the previous key's values during a rotation, marking them stale", () => {
    restore = setTestEnv({ ENCRYPTION_KEY: OLD });
    const sealed = seal("rotate me");
    restore();
    restore = setTestEnv({
      ENCRYPTION_KEY: NEW,
      ENCRYPTION_KEY_PREVIOUS: OLD,
    });
    expect(open(sealed)).toEqual({ plain: "rotate me", stale: true });
    expect(open(seal("rotate me"))).toEqual({
      plain: "rotate me",
      stale: false,
    });
  });
});
