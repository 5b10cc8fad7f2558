import { z } from "zod";

// An SLA plan's working calendar, pure: the hours per weekday in the plan's IANA time zone, and its
// holidays (whole days in that zone). The clock counts only time inside those hours; null hours mean
// round the clock, where holidays still stop it. Intervals lie within one day: a night shift is two
// intervals, one ending at 24:00 and one starting at 00:00 the next day.
//
// It lives in lib/helpdesk (beside the plans it describes) rather than lib/tickets because the
// settings write validates with it, and lib/helpdesk sits below lib/tickets.

export const WEEKDAYS = [
  "mon",
  "tue",
  "wed",
  "thu",
  "fri",
  "sat",
  "sun",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const time = z.string().trim().regex(TIME, "Use a 24-hour time such as 09:00.");

export const intervalSchema = z
  .object({ start: time, end: time })
  .refine((i) => i.start !== "24:00", {
    message: "A day's hours start before 24:00.",
    path: ["start"],
  })
  .refine((i) => i.start < i.end, {
    message:
      "The end must come after the start on the same day; split a night shift at midnight.",
    path: ["end"],
  });
export type Interval = z.infer<typeof intervalSchema>;

const daySchema = z
  .array(intervalSchema)
  .max(4, "Use at most 4 intervals a day.")
  .refine(
    (list) => {
      const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : 1));
      return sorted.every((i, n) => n === 0 || sorted[n - 1]!.end <= i.start);
    },
    { message: "A day's intervals must not overlap." },
  );

export const businessHoursSchema = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema])) as Record<
      Weekday,
      typeof daySchema
    >,
  )
  .refine((h) => WEEKDAYS.some((d) => h[d].length > 0), {
    message:
      "A week without working hours never comes due: give at least one day hours, or choose round the clock.",
  });
export type BusinessHours = z.infer<typeof businessHoursSchema>;

export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, "Choose a time zone.")
  .refine(isTimeZone, "Use an IANA time zone such as Europe/Berlin.");

/** What the clock needs from a plan. `holidays` are "YYYY-MM-DD" days in `timeZone`. */
export type WorkCalendar = {
  hours: BusinessHours | null;
  timeZone: string;
  holidays: readonly string[];
};

/** Hours stored in the database, read leniently: anything malformed counts as round the clock. */
export function parseStoredHours(value: unknown): BusinessHours | null {
  if (value === null || value === undefined) return null;
  const parsed = businessHoursSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/* Summary ---------------------------------------------------------------------------------------- */

/** "24/7", or "Mon–Fri 09:00–17:00, Sat 10:00–14:00 Europe/Berlin". */
export function summarizeHours(
  hours: BusinessHours | null,
  timeZone: string,
): string {
  if (!hours) return timeZone === "UTC" ? "24/7" : `24/7 (${timeZone})`;
  const keyOf = (d: Weekday) =>
    hours[d].map((i) => `${i.start}–${i.end}`).join(", ");
  const groups: Array<{ from: Weekday; to: Weekday; key: string }> = [];
  for (const d of WEEKDAYS) {
    const key = keyOf(d);
    const last = groups.at(-1);
    if (
      last &&
      last.key === key &&
      WEEKDAYS.indexOf(last.to) + 1 === WEEKDAYS.indexOf(d)
    )
      last.to = d;
    else groups.push({ from: d, to: d, key });
  }
  const parts = groups
    .filter((g) => g.key)
    .map((g) => {
      const days =
        g.from === g.to
          ? WEEKDAY_LABELS[g.from]
          : `${WEEKDAY_LABELS[g.from]}–${WEEKDAY_LABELS[g.to]}`;
      return `${days} ${g.key}`;
    });
  return `${parts.join("; ")} ${timeZone}`;
}

/* Clock arithmetic ------------------------------------------------------------------------------- */

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
// Ten years of days: enough for any grace period (at most a year) past any plausible run of
// holidays; beyond it the calendar is treated as round the clock rather than looping on.
const MAX_DAYS = 3660;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `ms`, as if it were UTC. */
function wallClock(ms: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms)))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The instant of a wall-clock time in `zone`; a time in a spring-forward gap moves on by the gap. */
function instantOf(wall: number, zone: string): number {
  const first = wall - (wallClock(wall, zone) - wall);
  const second = wall - (wallClock(first, zone) - first);
  // Two guesses agree outside a transition; inside a gap the later one lands past it.
  return Math.max(first, second);
}

const minutesOf = (hhmm: string) =>
  Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const ROUND_THE_CLOCK: Interval[] = [{ start: "00:00", end: "24:00" }];

/** Working intervals of local day `day` (a UTC midnight standing for the local date), as instants. */
function workingIntervals(
  day: number,
  cal: WorkCalendar,
): Array<[number, number]> {
  if (cal.holidays.includes(new Date(day).toISOString().slice(0, 10)))
    return [];
  const weekday = WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7]!;
  const list = cal.hours ? cal.hours[weekday] : ROUND_THE_CLOCK;
  const out: Array<[number, number]> = [];
  for (const i of list) {
    const start = instantOf(day + minutesOf(i.start) * MINUTE, cal.timeZone);
    const end = instantOf(day + minutesOf(i.end) * MINUTE, cal.timeZone);
    if (end > start) out.push([start, end]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The local date of `ms` in the calendar's zone, as a UTC midnight. */
function localDay(ms: number, zone: string): number {
  const wall = wallClock(ms, zone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

const isPlain = (cal: WorkCalendar) => !cal.hours && cal.holidays.length === 0;

/** The instant `ms` of working time after `from`. */
export function addWorkingTime(
  from: Date,
  ms: number,
  cal: WorkCalendar,
): Date {
  if (ms <= 0 || isPlain(cal))
    return new Date(from.getTime() + Math.max(0, ms));
  let left = ms;
  const start = from.getTime();
  let day = localDay(start, cal.timeZone);
  for (let n = 0; n < MAX_DAYS; n++, day += DAY_MS) {
    for (const [s, e] of workingIntervals(day, cal)) {
      const begin = Math.max(s, start);
      if (e <= begin) continue;
      if (e - begin >= left) return new Date(begin + left);
      left -= e - begin;
    }
  }
  return new Date(start + ms);
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function workingTimeBetween(
  from: Date,
  to: Date,
  cal: WorkCalendar,
): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (isPlain(cal)) return b - a;
  let total = 0;
  let day = localDay(a, cal.timeZone);
  for (let n = 0; n < MAX_DAYS && day <= b + DAY_MS; n++, day += DAY_MS) {
    for (const [s, e] of workingIntervals(day, cal)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}
