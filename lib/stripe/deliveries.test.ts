import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { takeGroup } from "@/lib/stripe/deliveries";

// Which waiting deliveries are applied in one transaction: never two of one order, nor one event
// twice, nor one that may touch any order.

const delivery = (id: string, key: string | null) => ({
  event: { id } as Stripe.Event,
  now: new Date(),
  key,
  resolve: () => {},
  reject: () => {},
});

const ids = (ds: Array<{ event: { id: string } }>) => ds.map((d) => d.event.id);

describe("takeGroup", () => {
  it("groups one event per order, in arrival order, and leaves the rest waiting in theirs", () => {
    const queue = {
      waiting: [
        delivery("e1", "order-a"),
        delivery("e2", null),
        delivery("e3", "order-b"),
        delivery("e4", "order-a"),
        delivery("e1", "order-a"),
        delivery("e5", "order-c"),
      ],
    };
    expect(ids(takeGroup(queue))).toEqual(["e1", "e3", "e5"]);
    expect(ids(queue.waiting)).toEqual(["e2", "e4", "e1"]);
    // An event that may touch any order goes on its own.
    expect(ids(takeGroup(queue))).toEqual(["e2"]);
    expect(ids(takeGroup(queue))).toEqual(["e4"]);
    expect(ids(takeGroup(queue))).toEqual(["e1"]);
    expect(queue.waiting).toEqual([]);
  });

  it("keeps a group to 32 events", () => {
    const queue = {
      waiting: Array.from({ length: 40 }, (_, i) =>
        delivery(`e${i}`, `order-${i}`),
      ),
    };
    expect(takeGroup(queue)).toHaveLength(32);
    expect(ids(queue.waiting)).toEqual(
      Array.from({ length: 8 }, (_, i) => `e${32 + i}`),
    );
  });
});
