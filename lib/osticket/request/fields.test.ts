import { describe, expect, it } from "vitest";
import { DUEDATE_INVALID, DUEDATE_PAST } from "@/lib/osticket/errors";
import {
  dueDateError,
  requestFields,
  scalarText,
  stripEmoji,
  stripTags,
} from "@/lib/osticket/request/fields";

const read = (fields: Record<string, unknown>) => requestFields.parse(fields);

describe("requestFields", () => {
  it("reads nothing from an empty request but an empty subject", () => {
    expect(read({})).toEqual({ subject: "" });
  });

  it("treats a field of the wrong shape as absent instead of failing", () => {
    expect(
      read({
        email: 42,
        subject: { a: 1 },
        name: ["x"],
        phone: true,
        notes: null,
        topicId: "one",
        priority: {},
        ip: [],
      }),
    ).toEqual({ subject: "" });
  });

  it("keeps a bare address, trimmed, and refuses display names and localhost", () => {
    expect(read({ email: " a.b+c@example.com " }).email).toBe(
      "a.b+c@example.com",
    );
    expect(read({ email: "A <a@example.com>" }).email).toBeUndefined();
    expect(read({ email: "root@LocalHost" }).email).toBeUndefined();
  });

  it("strips tags from the name and emoji from the subject; blank text is absent", () => {
    expect(read({ name: " <b>Hugo</b> ", subject: " Hi 🔥 " })).toMatchObject({
      name: "Hugo",
      subject: "Hi ",
    });
    expect(read({ name: "<i></i>", notes: "  ", ip: "" })).toEqual({
      subject: "",
    });
    expect(read({ subject: 12 }).subject).toBe("12");
  });

  it("reads a topic id as a positive serial id", () => {
    expect(read({ topicId: " 7 " }).topicId).toBe(7);
    expect(read({ topicId: 3 }).topicId).toBe(3);
    for (const unknown of [0, -1, 1.5, "1.5", 2 ** 31, "99999999999999999999"])
      expect(read({ topicId: unknown }).topicId).toBeUndefined();
  });

  it("maps priority ids 1–4, and nothing else, to priorities", () => {
    expect(read({ priorityId: 1, priority: " 4 " })).toMatchObject({
      priorityId: "low",
      priority: "emergency",
    });
    for (const unknown of ["5", "high", "constructor", 2.5])
      expect(read({ priority: unknown }).priority).toBeUndefined();
  });

  it("keeps a valid phone as digits with its extension, and an invalid one as sent", () => {
    expect(read({ phone: "(318) 555-8634 x12" }).phone).toEqual({
      isValid: true,
      number: "3185558634X12",
    });
    expect(read({ phone: "call me" }).phone).toEqual({
      isValid: false,
      raw: "call me",
    });
    expect(read({ phone: "   " }).phone).toBeUndefined();
  });
});

describe("dueDateError", () => {
  const now = new Date("2026-01-15T12:00:00Z");

  it("accepts an absent or future date, as Unix time or text", () => {
    for (const fine of [
      undefined,
      null,
      "",
      "2026-02-01",
      1800000000,
      "1800000000",
    ])
      expect(dueDateError(fine, now)).toBeUndefined();
  });

  it("refuses a past date and one it cannot read", () => {
    expect(dueDateError("2020-01-01", now)).toBe(DUEDATE_PAST);
    expect(dueDateError("soon", now)).toBe(DUEDATE_INVALID);
    expect(dueDateError({}, now)).toBe(DUEDATE_INVALID);
  });
});

describe("text helpers", () => {
  it("reads scalars as PHP does", () => {
    expect(scalarText("x")).toBe("x");
    expect(scalarText(1.5)).toBe("1.5");
    expect(scalarText(Infinity)).toBeUndefined();
    expect(scalarText(null)).toBeUndefined();
  });

  it("strips tags like strip_tags and pictographs like upstream", () => {
    expect(stripTags("<b>Hugo</b> <script>x</script>Html")).toBe("Hugo xHtml");
    expect(stripTags("1 < 2")).toBe("1 < 2");
    expect(stripEmoji("a🔥b😀c")).toBe("abc");
  });
});
