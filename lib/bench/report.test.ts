import { describe, expect, it } from "vitest";
import { percentile } from "@/lib/bench/measure";
import {
  apiSection,
  replaceSection,
  signupSection,
  type ApiReport,
  type ApiScenarioResult,
  type Machine,
  type SignupScenarioResult,
} from "@/lib/bench/report";

const machine: Machine = {
  cpus: "2 × AMD EPYC",
  memory: "23.5 GiB",
  node: "v20.20.2",
  postgres: "PostgreSQL 15.20",
};

describe("replaceSection", () => {
  it("starts the document when there is none", () => {
    const doc = replaceSection(null, "queue", "## Queue\n\nfast");
    expect(doc).toMatch(/^# Benchmarks\n/);
    expect(doc).toContain(
      "<!-- bench:queue -->\n## Queue\n\nfast\n<!-- /bench:queue -->\n",
    );
  });

  it("rewrites only its own section and keeps the others", () => {
    const before = [
      "# Benchmarks",
      "",
      "<!-- bench:api -->\nAPI numbers\n<!-- /bench:api -->",
      "",
      "<!-- bench:queue -->\nold\n<!-- /bench:queue -->",
      "",
      "<!-- bench:mail -->\nMail numbers\n<!-- /bench:mail -->",
      "",
    ].join("\n");
    const after = replaceSection(before, "queue", "new");
    expect(after).toBe(before.replace("\nold\n", "\nnew\n"));
  });

  it("appends a section the document does not have yet", () => {
    const before =
      "# Benchmarks\n\n<!-- bench:api -->\nA\n<!-- /bench:api -->\n";
    expect(replaceSection(before, "queue", "Q")).toBe(
      `${before}\n<!-- bench:queue -->\nQ\n<!-- /bench:queue -->\n`,
    );
  });
});

describe("percentile", () => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it("uses the nearest rank", () => {
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7, 9, 30], 95)).toBe(30);
    expect(percentile([7], 50)).toBe(7);
  });
});

describe("apiSection", () => {
  const scenario = (
    overrides: Partial<ApiScenarioResult> = {},
  ): ApiScenarioResult => ({
    name: "Alerts on",
    connections: 10,
    seconds: 20,
    created: 7_000,
    non201: 0,
    statuses: {},
    errors: 0,
    timeouts: 0,
    perSecond: { p50: 351, min: 320 },
    latency: { p50: 8.04, p90: 12.5, p99: 20.1, max: 41.7 },
    ticketsCreated: 7_004,
    mailsQueued: 28_016,
    ...overrides,
  });
  const report = (scenarios: ApiScenarioResult[]): ApiReport => ({
    date: new Date("2026-11-21T08:00:00Z"),
    machine,
    loadBefore: 0.42,
    autocannon: "8.0.0",
    warmUpSeconds: 3,
    agentsAlerted: 3,
    processes: 1,
    scenarios,
  });

  it("records the run and judges every goal met", () => {
    const text = apiSection(report([scenario()]));
    expect(text).toContain("Run on 2026-11-21: 2 × AMD EPYC, 23.5 GiB RAM");
    expect(text).toContain("`npm run bench` started: 0.42 (anything else");
    expect(text).toContain(
      "| Alerts on | 10 | 20.0 | 7,000 | 0 | 0 (0) | 350 | 351 | 320 | 28,016 |",
    );
    expect(text).toContain("| Alerts on | 10 | 8.0 | 12.5 | 20.1 | 41.7 |");
    expect(text).toContain(
      "| osTicket 1.18 on this machine (reference) | | 26 | 33 | | |",
    );
    expect(text).toContain(
      "- Alerts on: 7,004 tickets = 7,000 answered 201 + 4 still in flight",
    );
    expect(text).toContain("| Median latency under 10 ms | 8.0 ms | yes |");
    expect(text).toContain("**Met**: every goal.");
  });

  it("names each missed goal, the failing statuses and a ticket count that does not add up", () => {
    const slow = scenario({
      created: 1_500,
      non201: 12,
      statuses: { "500": 2, "429": 10 },
      latency: { p50: 124.3, p90: 194.6, p99: 287.6, max: 403.6 },
      perSecond: { p50: 79, min: 49 },
      ticketsCreated: 1_530,
    });
    const text = apiSection(report([slow, scenario({ name: "Other" })]));
    expect(text).toContain("| 12 (429 × 10, 500 × 2) |");
    expect(text).toContain(
      "| Median latency under 10 ms | 124.3 ms | **no** |",
    );
    expect(text).toContain(
      "| At least 300 tickets/s sustained | 75 tickets/s over 20 s (slowest second 49) | **no** |",
    );
    expect(text).toContain(
      "| Zero errors (non-201 answers, connection errors, timeouts) | 12 | **no** |",
    );
    expect(text).toContain(
      "**Missed**: median latency under 10 ms, at least 300 tickets/s sustained and zero errors (non-201 answers, connection errors, timeouts).",
    );
    expect(text).toContain("**1,530 tickets do not match 1,500 answered 201**");
    expect(text).toContain("takes about 1,000 tickets/s");
  });
});

describe("signupSection", () => {
  const scenario = (
    overrides: Partial<SignupScenarioResult> = {},
  ): SignupScenarioResult => ({
    name: "Down (connection refused)",
    isOutage: true,
    timing: { runs: 30, p50: 158.4, p95: 194.2, max: 198.3 },
    errors: 0,
    failures: {},
    mailboxes: { pending: 33 },
    ...overrides,
  });
  const section = (scenarios: SignupScenarioResult[]) =>
    signupSection({
      date: new Date("2026-11-21T08:00:00Z"),
      machine,
      warmUp: 3,
      budgetMs: 1_500,
      scenarios,
    });

  it("judges only the outage scenarios and meets the goal when each answered in time", () => {
    const text = section([
      scenario({
        name: "Healthy",
        isOutage: false,
        timing: { runs: 30, p50: 150, p95: 240, max: 2_600 },
        mailboxes: { active: 33 },
      }),
      scenario(),
    ]);
    expect(text).toContain("Run on 2026-11-21: 2 × AMD EPYC, 23.5 GiB RAM");
    expect(text).toContain("3 warm-up signups, then 30 timed ones");
    expect(text).toContain(
      "| Healthy | 150 | 240 | 2600 | 0 | active 33 | (no goal) |",
    );
    expect(text).toContain(
      "| Down (connection refused) | 158 | 194 | 198 | 0 | pending 33 | yes |",
    );
    expect(text).not.toContain("Errors:");
    expect(text).toContain("**Met**.");
  });

  it("misses the goal on a slow answer or any wrong one, and lists what came back", () => {
    const text = section([
      scenario({
        name: "Hanging",
        timing: { runs: 30, p50: 2_678, p95: 2_701, max: 2_710 },
      }),
      scenario({ errors: 2, failures: { "200": 1, "fetch failed": 1 } }),
    ]);
    expect(text).toContain(
      "| Hanging | 2678 | 2701 | 2710 | 0 | pending 33 | **no** |",
    );
    expect(text).toContain(
      "Errors: Down (connection refused): 200 × 1, fetch failed × 1.",
    );
    expect(text).toContain(
      "**Missed** with “Hanging” and “Down (connection refused)”.",
    );
  });
});
