import { describe, expect, it } from "vitest";
import { listenAddress } from "@/server/listen-address";

// A newcomer's first start: the demo accounts' password is in the README, so the server keeps to this
// machine unless someone chose where it listens.

describe("listenAddress", () => {
  it("keeps to 127.0.0.1, and says so, when the embedded database may hold the demo accounts", () => {
    for (const env of [
      {},
      { SEED_DEMO_DATA: "auto" },
      { DATABASE_URL: "" },
      { DATABASE_URL: "postgres://db/portico", SEED_DEMO_DATA: "always" },
    ]) {
      const address = listenAddress(undefined, env);
      expect(address.hostname, JSON.stringify(env)).toBe("127.0.0.1");
      expect(address.notice).toMatch(/HOSTNAME=0\.0\.0\.0/);
      expect(address.notice).toMatch(/-H 0\.0\.0\.0/);
    }
  });

  it("listens on every interface without demo data, as next start does", () => {
    for (const env of [
      { DATABASE_URL: "postgres://db/portico" },
      { SEED_DEMO_DATA: "never" },
    ])
      expect(listenAddress(undefined, env), JSON.stringify(env)).toEqual({
        hostname: undefined,
        notice: null,
      });
  });

  it("listens where HOSTNAME or -H says, demo data or not", () => {
    expect(listenAddress(undefined, { HOSTNAME: "0.0.0.0" })).toEqual({
      hostname: "0.0.0.0",
      notice: null,
    });
    expect(listenAddress("::", { HOSTNAME: "10.0.0.5" })).toEqual({
      hostname: "::",
      notice: null,
    });
  });
});
