import { describe, expect, it } from "vitest";
import { describeEvent } from "@/lib/tickets/events";

describe("thread events", () => {
  it.each([
    [
      "ticket.assigned",
      { from: null, to: "Kim" },
      "Sam",
      "Sam assigned the ticket to Kim",
    ],
    [
      "ticket.assigned",
      { from: null, to: "Sam" },
      "Sam",
      "Sam took the ticket",
    ],
    [
      "ticket.assigned",
      { from: "Kim", to: null },
      "Sam",
      "Sam unassigned the ticket",
    ],
    [
      "ticket.status_changed",
      { from: "open", to: "resolved" },
      "Kim",
      "Kim changed the status from Open to Resolved",
    ],
    [
      "ticket.department_changed",
      { from: "Support", to: "Sales" },
      null,
      "System moved the ticket from Support to Sales",
    ],
    [
      "ticket.priority_changed",
      { from: "high", to: "emergency" },
      "Kim",
      "Kim changed the priority from High to Emergency",
    ],
    [
      "ticket.priority_changed",
      { from: "urgent", to: "constructor" },
      "Kim",
      "Kim changed the priority from urgent to constructor",
    ],
    [
      "ticket.help_topic_changed",
      { to: null },
      "Kim",
      "Kim removed the help topic",
    ],
    [
      "ticket.opened_for_customer",
      { source: "phone", notified: false },
      "Sam",
      "Sam opened the ticket for the customer (by phone); the customer was not notified",
    ],
    ["ticket.reopened", { by: "reply" }, "Alice", "Alice reopened the ticket"],
  ])("%s %j reads well", (action, data, actor, text) => {
    expect(describeEvent(action, data, actor)).toBe(text);
  });
});
