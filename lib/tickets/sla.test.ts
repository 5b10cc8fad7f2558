import { describe, expect, it } from "vitest";
import {
  formatDuration,
  nextSlaClock,
  replannedDueAt,
  slaDueAt,
  slaState,
} from "@/lib/tickets/sla";

const roundTheClock = (gracePeriodHours: number) => ({
  gracePeriodHours,
  hours: null,
  timeZone: "UTC",
  holidays: [],
});

describe("SLA", () => {
  const opened = new Date("2026-03-01T10:00:00Z");

  it("is due a grace period after opening", () => {
    expect(slaDueAt(opened, roundTheClock(18))).toEqual(
      new Date("2026-03-02T04:00:00Z"),
    );
  });

  it("tells time left, lateness, waiting on the customer, and nothing for finished tickets", () => {
    const due = slaDueAt(opened, roundTheClock(4));
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

describe("SLA clock", () => {
  const plan = {
    gracePeriodHours: 8,
    hours: {
      mon: [{ start: "09:00", end: "17:00" }],
      tue: [{ start: "09:00", end: "17:00" }],
      wed: [{ start: "09:00", end: "17:00" }],
      thu: [{ start: "09:00", end: "17:00" }],
      fri: [{ start: "09:00", end: "17:00" }],
      sat: [],
      sun: [],
    },
    timeZone: "UTC",
    holidays: [],
  };
  const open = {
    status: "open",
    dueAt: new Date("2026-01-09T16:00:00Z"),
    slaPausedAt: null,
  };

  it("pauses on pending and moves the due time on by the working hours waited", () => {
    const paused = nextSlaClock(
      open,
      "pending",
      new Date("2026-01-09T10:00:00Z"),
      plan,
    );
    expect(paused).toEqual({
      dueAt: open.dueAt,
      slaPausedAt: new Date("2026-01-09T10:00:00Z"),
    });
    // Waited Fri 10–17 and Mon 9–10: 8 working hours, so Fri 16:00 becomes Mon 16:00.
    const resumed = nextSlaClock(
      { status: "pending", ...paused },
      "open",
      new Date("2026-01-12T10:00:00Z"),
      plan,
    );
    expect(resumed).toEqual({
      dueAt: new Date("2026-01-12T16:00:00Z"),
      slaPausedAt: null,
    });
  });

  it("clears on resolving and starts afresh on reopening", () => {
    expect(
      nextSlaClock(open, "resolved", new Date("2026-01-09T10:00:00Z"), plan),
    ).toEqual({ dueAt: null, slaPausedAt: null });
    expect(
      nextSlaClock(
        { status: "closed", dueAt: null, slaPausedAt: null },
        "open",
        new Date("2026-01-09T15:00:00Z"),
        plan,
      ),
    ).toEqual({
      dueAt: new Date("2026-01-12T15:00:00Z"),
      slaPausedAt: null,
      slaStartedAt: new Date("2026-01-09T15:00:00Z"),
    });
  });

  describe("under another plan", () => {
    const fourHours = roundTheClock(4);
    // Opened Fri 9 Jan 10:00 under office hours: due Mon 10:00.
    const started = {
      status: "open",
      slaStartedAt: new Date("2026-01-09T10:00:00Z"),
      dueAt: new Date("2026-01-12T10:00:00Z"),
      slaPausedAt: null,
    };

    it("counts the new plan's grace period from when the ticket's began", () => {
      expect(replannedDueAt(started, plan, fourHours)).toEqual(
        new Date("2026-01-09T14:00:00Z"),
      );
      const underFourHours = {
        ...started,
        dueAt: new Date("2026-01-09T14:00:00Z"),
      };
      expect(replannedDueAt(underFourHours, fourHours, plan)).toEqual(
        new Date("2026-01-12T10:00:00Z"),
      );
    });

    it("keeps the working time already spent waiting on the customer", () => {
      // Waited two office hours (due moved from Mon 10:00 to Mon 12:00): the new plan adds them too.
      const waited = { ...started, dueAt: new Date("2026-01-12T12:00:00Z") };
      expect(replannedDueAt(waited, plan, fourHours)).toEqual(
        new Date("2026-01-09T16:00:00Z"),
      );
    });

    it("drops the due time with the plan, and leaves finished or hand-set ones alone", () => {
      expect(replannedDueAt(started, plan, null)).toBeNull();
      const byHand = { ...started, dueAt: new Date("2026-02-01T00:00:00Z") };
      expect(replannedDueAt(byHand, null, null)).toEqual(byHand.dueAt);
      const resolved = { ...started, status: "resolved", dueAt: null };
      expect(replannedDueAt(resolved, plan, fourHours)).toBeNull();
      const unknownStart = { ...started, slaStartedAt: null };
      expect(replannedDueAt(unknownStart, plan, fourHours)).toEqual(
        started.dueAt,
      );
    });
  });
});
