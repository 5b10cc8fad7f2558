import { describe, expect, it } from "vitest";
import { formatDuration, slaDueAt, slaState } from "@/lib/tickets/sla";

describe("SLA", () => {
  const opened = new Date("2026-03-01T10:00:00Z");

  it("is due a grace period after opening", () => {
    expect(slaDueAt(opened, 18)).toEqual(new Date("2026-03-02T04:00:00Z"));
  });

  it("tells time left, lateness, waiting on the customer, and nothing for finished tickets", () => {
    const due = slaDueAt(opened, 4);
    expect(slaState(due, "open", new Date("2026-03-01T12:30:00Z"))).toEqual({
      kind: "due",
      msLeft: 90 * 60_000,
    });
    expect(slaState(due, "open", new Date("2026-03-01T15:00:00Z"))).toEqual({
      kind: "overdue",
      msLate: 3600_000,
    });
    // Past due, but the team is waiting on the customer: not late.
    expect(slaState(due, "pending", new Date("2026-03-01T15:00:00Z"))).toEqual({
      kind: "waiting",
    });
    expect(slaState(due, "resolved", new Date("2026-03-01T15:00:00Z"))).toEqual(
      { kind: "none" },
    );
    expect(slaState(null, "open", opened)).toEqual({ kind: "none" });
  });

  it("formats durations compactly", () => {
    expect(formatDuration(45 * 60_000)).toBe("45 min");
    expect(formatDuration(200 * 60_000)).toBe("3 h 20 min");
    expect(formatDuration(52 * 3600_000)).toBe("2 d 4 h");
  });
});
