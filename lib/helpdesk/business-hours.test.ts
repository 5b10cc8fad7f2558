import { describe, expect, it } from "vitest";
import {
  addWorkingTime,
  businessHoursSchema,
  summarizeHours,
  timeZoneSchema,
  workingTimeBetween,
  type BusinessHours,
  type WorkCalendar,
} from "@/lib/helpdesk/business-hours";

const H = 3600_000;
const nineToFive = [{ start: "09:00", end: "17:00" }];
const weekdays: BusinessHours = {
  mon: nineToFive,
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: nineToFive,
  sat: [],
  sun: [],
};
const berlin: WorkCalendar = {
  hours: weekdays,
  timeZone: "Europe/Berlin",
  holidays: [],
};
const at = (iso: string) => new Date(iso);

describe("business hours: adding working time", () => {
  it("carries the rest of a Friday over the weekend to Monday", () => {
    // Fri 16:00 in Berlin (CET) + 4 working hours = 1 h Friday, 3 h Monday: Mon 12:00.
    expect(addWorkingTime(at("2026-01-09T15:00:00Z"), 4 * H, berlin)).toEqual(
      at("2026-01-12T11:00:00Z"),
    );
  });

  it("starts counting at the next opening when a ticket arrives out of hours", () => {
    expect(addWorkingTime(at("2026-01-10T10:00:00Z"), 1 * H, berlin)).toEqual(
      at("2026-01-12T09:00:00Z"),
    );
  });

  it("is due at closing time, not the next morning, when the hours end exactly", () => {
    expect(addWorkingTime(at("2026-01-12T08:00:00Z"), 8 * H, berlin)).toEqual(
      at("2026-01-12T16:00:00Z"),
    );
  });

  it("keeps 09:00 local across the spring change of clocks", () => {
    // Fri 16:00 CET + 2 h: 1 h Friday, then Monday 09:00 CEST (UTC+2) + 1 h = 08:00Z.
    const from = at("2026-03-27T15:00:00Z");
    const due = addWorkingTime(from, 2 * H, berlin);
    expect(due).toEqual(at("2026-03-30T08:00:00Z"));
    expect(workingTimeBetween(from, due, berlin)).toBe(2 * H);
  });

  it("counts the 25-hour autumn day in full, and a holiday on it stops a round-the-clock plan", () => {
    const cal: WorkCalendar = {
      hours: null,
      timeZone: "Europe/Berlin",
      holidays: ["2026-10-25"],
    };
    // Midnight Oct 25 in Berlin (CEST); the holiday ends at midnight CET, 25 hours later.
    expect(addWorkingTime(at("2026-10-24T22:00:00Z"), 1 * H, cal)).toEqual(
      at("2026-10-26T00:00:00Z"),
    );
    expect(
      workingTimeBetween(
        at("2026-10-24T22:00:00Z"),
        at("2026-10-26T00:00:00Z"),
        cal,
      ),
    ).toBe(1 * H);
  });

  it("skips a run of holidays over Christmas and New Year", () => {
    const cal: WorkCalendar = {
      ...berlin,
      holidays: [
        "2026-12-24",
        "2026-12-25",
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
        "2027-01-01",
      ],
    };
    // Wed Dec 23, 16:00 CET + 2 h: 1 h that day, the next working day is Mon Jan 4.
    expect(addWorkingTime(at("2026-12-23T15:00:00Z"), 2 * H, cal)).toEqual(
      at("2027-01-04T09:00:00Z"),
    );
  });

  it("gets through a whole year of holidays without giving up", () => {
    const days: string[] = [];
    for (let d = Date.UTC(2027, 0, 1); d < Date.UTC(2028, 0, 1); d += 24 * H)
      days.push(new Date(d).toISOString().slice(0, 10));
    const cal: WorkCalendar = {
      hours: weekdays,
      timeZone: "UTC",
      holidays: days,
    };
    expect(addWorkingTime(at("2026-12-31T16:30:00Z"), 1 * H, cal)).toEqual(
      at("2028-01-03T09:30:00Z"),
    );
  });

  it("reads the hours in the plan's own zone", () => {
    const tokyo: WorkCalendar = { ...berlin, timeZone: "Asia/Tokyo" };
    // Mon 09:00 in Tokyo is 00:00Z.
    expect(addWorkingTime(at("2026-01-12T00:00:00Z"), 8 * H, tokyo)).toEqual(
      at("2026-01-12T08:00:00Z"),
    );
  });

  it("is plain wall-clock time round the clock without holidays", () => {
    const cal: WorkCalendar = { hours: null, timeZone: "UTC", holidays: [] };
    expect(addWorkingTime(at("2026-01-10T10:00:00Z"), 30 * H, cal)).toEqual(
      at("2026-01-11T16:00:00Z"),
    );
  });
});

describe("business hours: working time between two instants", () => {
  it("counts only the open hours of the days between", () => {
    // Fri 10:00 CET to Mon 10:00 CET: 7 h Friday + 1 h Monday.
    expect(
      workingTimeBetween(
        at("2026-01-09T09:00:00Z"),
        at("2026-01-12T09:00:00Z"),
        berlin,
      ),
    ).toBe(8 * H);
    expect(
      workingTimeBetween(
        at("2026-01-10T09:00:00Z"),
        at("2026-01-11T20:00:00Z"),
        berlin,
      ),
    ).toBe(0);
  });
});

describe("business hours: the settings' schema", () => {
  const week = (over: Partial<BusinessHours>) => ({ ...weekdays, ...over });

  it("accepts a split day and an evening until midnight", () => {
    expect(
      businessHoursSchema.safeParse(
        week({
          mon: [
            { start: "08:00", end: "12:00" },
            { start: "13:00", end: "24:00" },
          ],
        }),
      ).success,
    ).toBe(true);
  });

  it("refuses intervals across midnight, overlaps, bad times and a week without hours", () => {
    const night = businessHoursSchema.safeParse(
      week({ fri: [{ start: "22:00", end: "02:00" }] }),
    );
    expect(night.success).toBe(false);
    expect(night.error?.issues[0]?.message).toMatch(/midnight/);
    expect(night.error?.issues[0]?.path).toEqual(["fri", 0, "end"]);

    const overlap = businessHoursSchema.safeParse(
      week({
        tue: [
          { start: "09:00", end: "13:00" },
          { start: "12:00", end: "17:00" },
        ],
      }),
    );
    expect(overlap.error?.issues[0]?.message).toMatch(/overlap/);

    const bad = businessHoursSchema.safeParse(
      week({ wed: [{ start: "9am", end: "17:00" }] }),
    );
    expect(bad.error?.issues[0]?.path).toEqual(["wed", 0, "start"]);

    const empty = businessHoursSchema.safeParse({
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    });
    expect(empty.error?.issues[0]?.message).toMatch(/never comes due/);
  });

  it("takes IANA zones and refuses anything else", () => {
    expect(timeZoneSchema.safeParse("Europe/Berlin").success).toBe(true);
    expect(timeZoneSchema.safeParse("Mars/Olympus_Mons").success).toBe(false);
    expect(timeZoneSchema.safeParse("").success).toBe(false);
  });
});

describe("business hours: the summary in the plan list", () => {
  it("groups equal days", () => {
    expect(summarizeHours(weekdays, "Europe/Berlin")).toBe(
      "Mon–Fri 09:00–17:00 Europe/Berlin",
    );
    expect(
      summarizeHours(
        { ...weekdays, sat: [{ start: "10:00", end: "14:00" }] },
        "UTC",
      ),
    ).toBe("Mon–Fri 09:00–17:00; Sat 10:00–14:00 UTC");
    expect(summarizeHours(null, "UTC")).toBe("24/7");
  });
});
