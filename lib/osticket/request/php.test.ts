import { describe, expect, it } from "vitest";
import {
  isPhpNumeric,
  isPhpTruthy,
  isRecord,
} from "@/lib/osticket/request/php";

describe("isPhpTruthy", () => {
  it("is false for what PHP's (bool) cast makes false", () => {
    for (const falsy of [null, undefined, false, 0, "", "0", [], {}])
      expect(isPhpTruthy(falsy)).toBe(false);
  });

  it("is true for everything else, the string 'false' included", () => {
    for (const truthy of [true, 1, -1, 0.5, "false", "00", " ", [0], { a: 0 }])
      expect(isPhpTruthy(truthy)).toBe(true);
  });
});

describe("isPhpNumeric", () => {
  it("accepts numbers and numeric strings with surrounding whitespace", () => {
    for (const numeric of [
      1,
      0,
      -2.5,
      "12",
      " 12 ",
      "+1",
      "-1.5",
      ".5",
      "1e3",
      "1.",
      "\t7\n",
    ])
      expect(isPhpNumeric(numeric)).toBe(true);
  });

  it("refuses everything else", () => {
    for (const other of [
      "",
      " ",
      "abc",
      "1a",
      "0x1A",
      "1e",
      ".",
      Infinity,
      NaN,
      null,
      true,
      [1],
    ])
      expect(isPhpNumeric(other)).toBe(false);
  });
});

describe("isRecord", () => {
  it("is an object that is not a list", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord("x")).toBe(false);
  });
});
