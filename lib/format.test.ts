import { describe, expect, it } from "vitest";
import { formatByteSize, formatMoney, formatPrice } from "@/lib/format";

describe("money", () => {
  it("formats integer minor units", () => {
    expect(formatMoney(1490, "EUR")).toBe("€14.90");
    expect(formatMoney(0, "USD")).toBe("US$0.00");
  });

  it("says how often a recurring price is charged", () => {
    expect(
      formatPrice({
        unitAmount: 590,
        currency: "EUR",
        interval: "month",
        intervalCount: 1,
      }),
    ).toBe("€5.90 / month");
    expect(
      formatPrice({
        unitAmount: 1200,
        currency: "EUR",
        interval: "year",
        intervalCount: 2,
      }),
    ).toBe("€12.00 every 2 years");
    expect(
      formatPrice({
        unitAmount: 9900,
        currency: "EUR",
        interval: null,
        intervalCount: null,
      }),
    ).toBe("€99.00");
  });
});

describe("byte sizes", () => {
  const KiB = 1024;
  const MiB = 1024 * KiB;
  const GiB = 1024 * MiB;

  it("counts in binary units", () => {
    expect(formatByteSize(0)).toBe("0 B");
    expect(formatByteSize(1023)).toBe("1,023 B");
    expect(formatByteSize(KiB)).toBe("1 KiB");
    expect(formatByteSize(512 * MiB)).toBe("512 MiB");
    expect(formatByteSize(GiB)).toBe("1 GiB");
    expect(formatByteSize(5 * 1024 * GiB)).toBe("5 TiB");
  });

  it("shows one decimal below 10 and whole numbers above", () => {
    expect(formatByteSize(1.2 * GiB)).toBe("1.2 GiB");
    expect(formatByteSize(1.5 * KiB)).toBe("1.5 KiB");
    expect(formatByteSize(12.4 * MiB)).toBe("12 MiB");
    expect(formatByteSize(123.6 * MiB)).toBe("124 MiB");
  });

  it("moves to the next unit when rounding reaches 1024", () => {
    expect(formatByteSize(1023.6 * KiB)).toBe("1 MiB");
    expect(formatByteSize(1023.4 * MiB)).toBe("1,023 MiB");
  });

  it("states an upload limit in the unit it is set in, or below it", () => {
    expect(formatByteSize(25 * MiB)).toBe("25 MiB");
    expect(formatByteSize(2 * MiB)).toBe("2 MiB");
    expect(formatByteSize(0.5 * MiB)).toBe("512 KiB");
  });

  it("treats nonsense as nothing rather than printing NaN", () => {
    expect(formatByteSize(-5)).toBe("0 B");
    expect(formatByteSize(Number.NaN)).toBe("0 B");
  });
});
