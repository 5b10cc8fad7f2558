import { describe, expect, it } from "vitest";
import { whileUnreachable } from "@/db/prepare";

const refused = () =>
  Object.assign(new Error("Failed query: select 1"), {
    cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
      code: "ECONNREFUSED",
    }),
  });

function clock() {
  let t = 0;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => t,
    pause: async (ms: number) => {
      pauses.push(ms);
      t += ms;
    },
  };
}

describe("whileUnreachable", () => {
  it("waits for a database that is still starting, backing off", async () => {
    const c = clock();
    let calls = 0;
    const result = await whileUnreachable(
      async () => {
        if (++calls < 5) throw refused();
        return "migrated";
      },
      { waitMs: 60_000, ...c },
    );
    expect(result).toBe("migrated");
    expect(c.pauses).toEqual([1000, 2000, 4000, 5000]);
  });

  it("gives up once the wait is over, with the connection error", async () => {
    const c = clock();
    await expect(
      whileUnreachable(
        async () => {
          throw refused();
        },
        { waitMs: 8_000, ...c },
      ),
    ).rejects.toThrow("Failed query");
    expect(c.pauses.reduce((a, b) => a + b, 0)).toBe(8_000);
  });

  it("does not retry what waiting cannot fix: a refused login, bad SQL", async () => {
    const c = clock();
    for (const code of ["28P01", "42601", "3D000"]) {
      let calls = 0;
      await expect(
        whileUnreachable(
          async () => {
            calls++;
            throw Object.assign(new Error(code), { code });
          },
          { waitMs: 60_000, ...c },
        ),
      ).rejects.toThrow(code);
      expect(calls).toBe(1);
    }
    expect(c.pauses).toEqual([]);
  });
});
