import { describe, expect, it } from "vitest";
import {
  changedFrom,
  conflictsWith,
  stillDifferent,
  type TicketProperties,
} from "@/lib/tickets/property-conflicts";

const seen: TicketProperties = {
  assigneeId: null,
  status: "open",
  priority: "high",
  departmentId: 1,
  helpTopicId: 4,
};

describe("two agents on one ticket", () => {
  it("a save carries only what this agent changed", () => {
    expect(
      changedFrom(seen, {
        assigneeId: null,
        status: "open",
        priority: "high",
        departmentId: 2,
        helpTopicId: 4,
      }),
    ).toEqual({ departmentId: 2 });
    expect(changedFrom(seen, { helpTopicId: null })).toEqual({
      helpTopicId: null,
    });
    expect(changedFrom(seen, {})).toEqual({});
  });

  it("a colleague's change of another property is no conflict", () => {
    const now = { ...seen, assigneeId: "sam", priority: "low" as const };
    expect(conflictsWith(seen, now, { departmentId: 2 })).toEqual([]);
    expect(stillDifferent(now, { departmentId: 2 })).toEqual({
      departmentId: 2,
    });
  });

  it("a colleague's change of the same property to something else is", () => {
    const now = { ...seen, assigneeId: "sam", priority: "low" as const };
    expect(
      conflictsWith(seen, now, { priority: "emergency", departmentId: 2 }),
    ).toEqual(["priority"]);
    expect(conflictsWith(seen, now, { assigneeId: "kim" })).toEqual([
      "assigneeId",
    ]);
  });

  it("both choosing the same value is agreement, and nothing is left to write", () => {
    const now = { ...seen, priority: "low" as const };
    expect(conflictsWith(seen, now, { priority: "low" })).toEqual([]);
    expect(stillDifferent(now, { priority: "low" })).toEqual({});
  });

  it("clearing a value someone else has just set conflicts", () => {
    const now = { ...seen, helpTopicId: 9 };
    expect(conflictsWith(seen, now, { helpTopicId: null })).toEqual([
      "helpTopicId",
    ]);
  });
});
