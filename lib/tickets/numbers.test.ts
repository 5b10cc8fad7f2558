import { describe, expect, it } from "vitest";
import { randomTicketNumber, TICKET_NUMBER } from "@/lib/tickets/numbers";

describe("ticket numbers", () => {
  it("are six digits, as osTicket API callers expect", () => {
    const numbers = Array.from({ length: 2000 }, randomTicketNumber);
    expect(numbers.every((n) => TICKET_NUMBER.test(n))).toBe(true);
    expect(new Set(numbers).size).toBeGreaterThan(1900);
  });
});
