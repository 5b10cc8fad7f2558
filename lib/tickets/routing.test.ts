import { describe, expect, it } from "vitest";
import {
  decideRouting,
  type DepartmentFacts,
  type PlanFacts,
  type RoutingFacts,
  type TopicFacts,
} from "@/lib/tickets/routing";

const now = new Date("2026-05-04T09:00:00Z");

const plan = (over: Partial<PlanFacts> = {}): PlanFacts => ({
  id: 7,
  gracePeriodHours: 4,
  isActive: true,
  businessHours: null,
  timeZone: "UTC",
  holidays: [],
  ...over,
});

const department = (over: Partial<DepartmentFacts> = {}): DepartmentFacts => ({
  id: 1,
  name: "Support",
  plan: null,
  alertRecipients: [{ name: "Ada", email: "ada@example.com" }],
  ...over,
});

const hosting = department({
  id: 2,
  name: "Hosting",
  alertRecipients: [{ name: "Kim", email: "kim@example.com" }],
});

const topic = (over: Partial<TopicFacts> = {}): TopicFacts => ({
  id: 3,
  name: "Server down",
  priority: "emergency",
  isActive: true,
  plan: null,
  department: hosting,
  ...over,
});

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  topic: null,
  requestedDepartment: null,
  firstDepartment: department(),
  ...over,
});

describe("decideRouting: the department", () => {
  it("sends a ticket with nothing to go by to the first department", () => {
    expect(decideRouting(facts(), {}, now)).toMatchObject({
      topic: null,
      department: { id: 1, name: "Support" },
    });
  });

  it("has nowhere to send it when no department exists", () => {
    expect(decideRouting(facts({ firstDepartment: null }), {}, now)).toBe(null);
  });

  it("sends it to the asked-for department over the first", () => {
    const r = decideRouting(
      facts({ requestedDepartment: hosting }),
      { departmentId: 2 },
      now,
    );
    expect(r?.department).toEqual({ id: 2, name: "Hosting" });
  });

  it("refuses an asked-for department that does not exist rather than use the first", () => {
    expect(decideRouting(facts(), { departmentId: 999 }, now)).toBe(null);
  });

  it("sends it to an active topic's department over the asked-for one", () => {
    const r = decideRouting(
      facts({ topic: topic(), requestedDepartment: department({ id: 5 }) }),
      { departmentId: 5 },
      now,
    );
    expect(r).toMatchObject({
      topic: { id: 3, name: "Server down" },
      department: { id: 2, name: "Hosting" },
    });
  });

  it("ignores an inactive topic: its department, plan and priority do not apply", () => {
    const r = decideRouting(
      facts({
        topic: topic({ isActive: false, plan: plan() }),
        requestedDepartment: department({ id: 5, name: "Sales" }),
      }),
      { departmentId: 5 },
      now,
    );
    expect(r).toMatchObject({
      topic: null,
      department: { id: 5, name: "Sales" },
      slaPlanId: null,
      priority: "normal",
      dueAt: null,
    });
  });
});

describe("decideRouting: the SLA plan and due time", () => {
  it("uses the department's plan when the topic has none", () => {
    const r = decideRouting(
      facts({ topic: topic({ department: { ...hosting, plan: plan() } }) }),
      {},
      now,
    );
    expect(r).toMatchObject({
      slaPlanId: 7,
      dueAt: new Date("2026-05-04T13:00:00Z"),
    });
  });

  it("prefers the topic's plan to the department's", () => {
    const r = decideRouting(
      facts({
        topic: topic({
          plan: plan({ id: 8, gracePeriodHours: 1 }),
          department: { ...hosting, plan: plan() },
        }),
      }),
      {},
      now,
    );
    expect(r).toMatchObject({
      slaPlanId: 8,
      dueAt: new Date("2026-05-04T10:00:00Z"),
    });
  });

  it("applies no plan when the chosen one is inactive, without falling back to the department's", () => {
    const r = decideRouting(
      facts({
        topic: topic({
          plan: plan({ id: 8, isActive: false }),
          department: { ...hosting, plan: plan() },
        }),
      }),
      {},
      now,
    );
    expect(r).toMatchObject({ slaPlanId: null, dueAt: null });
  });

  it("applies no plan when the department's own plan is inactive", () => {
    const r = decideRouting(
      facts({
        firstDepartment: department({ plan: plan({ isActive: false }) }),
      }),
      {},
      now,
    );
    expect(r).toMatchObject({ slaPlanId: null, dueAt: null });
  });

  it("takes an asked-for due time over the plan's", () => {
    const dueAt = new Date("2026-06-01T00:00:00Z");
    const r = decideRouting(
      facts({ firstDepartment: department({ plan: plan() }) }),
      { dueAt },
      now,
    );
    expect(r).toMatchObject({ slaPlanId: 7, dueAt });
  });
});

describe("decideRouting: priority and alerts", () => {
  it("takes the asked-for priority, else the topic's, else normal", () => {
    expect(
      decideRouting(facts({ topic: topic() }), { priority: "low" }, now)
        ?.priority,
    ).toBe("low");
    expect(decideRouting(facts({ topic: topic() }), {}, now)?.priority).toBe(
      "emergency",
    );
    expect(decideRouting(facts(), {}, now)?.priority).toBe("normal");
  });

  it("alerts the chosen department's agents unless asked not to", () => {
    expect(
      decideRouting(facts({ topic: topic() }), {}, now)?.alertRecipients,
    ).toEqual([{ name: "Kim", email: "kim@example.com" }]);
    expect(
      decideRouting(facts({ topic: topic() }), { alert: false }, now)
        ?.alertRecipients,
    ).toEqual([]);
  });
});
