import { describe, expect, it } from "vitest";
import { renderCannedReply } from "@/lib/tickets/canned";

const vars = {
  customer: { name: "Alice Martin", email: "alice@example.com" },
  ticket: { number: "123456", subject: "Site down" },
  agent: { name: "Sam" },
};

describe("canned replies", () => {
  it("fills the customer's name, the ticket number and the agent", () => {
    expect(
      renderCannedReply(
        "Hello {{customer.name}}, about #{{ ticket.number }} ({{ticket.subject}}). {{agent.name}}",
        vars,
      ),
    ).toBe("Hello Alice Martin, about #123456 (Site down). Sam");
  });

  it("leaves unknown variables visible instead of blanking them", () => {
    expect(
      renderCannedReply("Hi {{customer.nickname}} {{order.total}}", vars),
    ).toBe("Hi {{customer.nickname}} {{order.total}}");
  });
});
