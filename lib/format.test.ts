import { describe, expect, it } from "vitest";
import { formatMoney, formatPrice } from "@/lib/format";

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
