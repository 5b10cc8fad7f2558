import { describe, expect, it } from "vitest";
import {
  admitHashing,
  HASHING,
  withHashSlot,
  type Admission,
} from "@/lib/auth/hash-slots";
import { clientKey } from "@/lib/auth/client-address";

describe("hashing slots", () => {
  it("run at most a few hashes at once, and every queued one in turn", async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates: Array<() => void> = [];
    const jobs = Array.from({ length: 7 }, (_, i) =>
      withHashSlot(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        order.push(i);
        return i;
      }),
    );
    // Let the slots fill, then open the gates one by one as work arrives.
    for (let opened = 0; opened < jobs.length; opened++) {
      await expect.poll(() => gates.length).toBeGreaterThan(opened);
      expect(running).toBeLessThanOrEqual(HASHING.running);
      gates[opened]!();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(HASHING.running);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("free the slot when the work fails", async () => {
    await expect(
      withHashSlot(() => Promise.reject(new Error("bad hash"))),
    ).rejects.toThrow("bad hash");
    const done = await Promise.all(
      Array.from({ length: HASHING.running + 1 }, () =>
        withHashSlot(async () => "ok"),
      ),
    );
    expect(done).toHaveLength(HASHING.running + 1);
  });

  it("admit only a few calls per client, so one client cannot fill the line", () => {
    const mine = Array.from({ length: HASHING.perClient }, () =>
      admitHashing("192.0.2.1"),
    );
    expect(mine.every(Boolean)).toBe(true);
    expect(admitHashing("192.0.2.1")).toBeNull();
    const other = admitHashing("192.0.2.2");
    expect(other).not.toBeNull();
    mine[0]!.release();
    mine[0]!.release(); // twice is once
    const again = admitHashing("192.0.2.1");
    expect(again).not.toBeNull();
    expect(admitHashing("192.0.2.1")).toBeNull();
    for (const a of [again, mine[1], other]) a!.release();
  });

  it("refuse everyone once the line is full, until it drains", () => {
    const held: Admission[] = [];
    for (let i = 0; i < HASHING.admitted; i++) {
      const a = admitHashing(`client-${i}`);
      expect(a).not.toBeNull();
      held.push(a!);
    }
    expect(admitHashing("latecomer")).toBeNull();
    held.pop()!.release();
    const latecomer = admitHashing("latecomer");
    expect(latecomer).not.toBeNull();
    for (const a of [...held, latecomer!]) a.release();
  });
});

describe("clientKey", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    ["2001:db8:1:2::5", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:0000:0000:0000:0005", "2001:db8:1:2::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b::192.0.2.1", "64:ff9b:0:0::/64"],
    [null, "unknown"],
  ])("%j → %j", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
