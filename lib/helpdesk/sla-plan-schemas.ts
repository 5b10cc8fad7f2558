import { z } from "zod";
import {
  businessHoursSchema,
  timeZoneSchema,
  WEEKDAYS,
  type BusinessHours,
} from "@/lib/helpdesk/business-hours";
import { recordId } from "@/lib/helpdesk/schemas";

// The SLA plan settings' calendar forms: working hours and holidays. Client-safe.

/** Intervals a day's row offers in the form (a morning and an afternoon, say). */
export const HOURS_SLOTS = 2;

/** The form field of one end of one interval: "mon.0.start". */
export const slotField = (day: string, slot: number, end: "start" | "end") =>
  `${day}.${slot}.${end}`;

const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");

export type SlaHoursInput = {
  id: number;
  timeZone: string;
  businessHours: BusinessHours | null;
};

/**
 * The working-hours form: `mode` (always | hours), `timeZone` and per weekday HOURS_SLOTS pairs of
 * `<day>.<slot>.start|end`. A pair left empty is unused. Errors name the field they belong to; a day's
 * overlap is reported under "<day>", a week without hours under "hours".
 */
export const slaHoursInput = z
  .record(z.string(), z.unknown())
  .transform((raw, ctx): SlaHoursInput => {
    const base = z
      .object({
        id: recordId,
        mode: z.enum(["always", "hours"], {
          error: "Choose round the clock or business hours.",
        }),
        timeZone: timeZoneSchema,
      })
      .safeParse(raw);
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    if (!base.success)
      for (const i of base.error.issues)
        issue(i.path.join(".") || "form", i.message);
    if (raw.mode !== "hours") {
      return base.success
        ? {
            id: base.data.id,
            timeZone: base.data.timeZone,
            businessHours: null,
          }
        : z.NEVER;
    }
    const nested: Record<string, Array<{ start: string; end: string }>> = {};
    const slotOf: Record<string, number[]> = {};
    for (const day of WEEKDAYS) {
      nested[day] = [];
      slotOf[day] = [];
      for (let slot = 0; slot < HOURS_SLOTS; slot++) {
        const start = str(raw[slotField(day, slot, "start")]);
        const end = str(raw[slotField(day, slot, "end")]);
        if (!start && !end) continue;
        if (!start || !end) {
          issue(
            slotField(day, slot, start ? "end" : "start"),
            "Enter both a start and an end, or neither.",
          );
          continue;
        }
        nested[day].push({ start, end });
        slotOf[day].push(slot);
      }
    }
    const hours = businessHoursSchema.safeParse(nested);
    if (!hours.success) {
      for (const i of hours.error.issues) {
        const [day, index, end] = i.path as [string?, number?, string?];
        if (!day) issue("hours", i.message);
        else if (index === undefined || end === undefined)
          issue(day, i.message);
        else
          issue(
            slotField(day, slotOf[day]![index]!, end as "start" | "end"),
            i.message,
          );
      }
    }
    if (!base.success || !hours.success) return z.NEVER;
    return {
      id: base.data.id,
      timeZone: base.data.timeZone,
      businessHours: hours.data,
    };
  });

export const slaHolidayInput = z.object({
  planId: recordId,
  day: z.iso.date({ error: "Enter the day as a date, such as 2026-12-25." }),
  name: z
    .string()
    .trim()
    .max(100, "Use at most 100 characters.")
    .optional()
    .transform((v) => v ?? ""),
});
export type SlaHolidayInput = z.infer<typeof slaHolidayInput>;

export const slaHolidayRemoval = z.object({
  planId: recordId,
  holidayId: recordId,
});
export type SlaHolidayRemoval = z.infer<typeof slaHolidayRemoval>;
