import { describe, expect, it } from "vitest";
import { percentile } from "@/tools/bench/measure";
import {
  apiSection,
  replaceSection,
  shopSection,
  shopifyBackfillSection,
  shopifySection,
  signupSection,
  type ApiReport,
  type ApiScenarioResult,
  type Machine,
  type ShopPageResult,
  type ShopReport,
  type ShopWebhookResult,
  type ShopifyBackfillReport,
  type ShopifyReport,
  type SignupScenarioResult,
} from "@/tools/bench/report";

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

describe("shopSection", () => {
  const page = (overrides: Partial<ShopPageResult> = {}): ShopPageResult => ({
    name: "Catalogue, first page",
    path: "/products",
    matches: 1_000,
    bytes: 92_160,
    timing: { runs: 200, p50: 12.34, p95: 21.06, max: 48.2 },
    ...overrides,
  });
  const webhooks = (
    overrides: Partial<ShopWebhookResult> = {},
  ): ShopWebhookResult => ({
    events: 1_530,
    types: { "checkout.session.completed": 1_020, "invoice.paid": 510 },
    duplicates: 306,
    inFlight: 10,
    warmUp: 10,
    seconds: 2.4,
    latency: { runs: 1_836, p50: 11.2, p95: 24.9, max: 80.3 },
    statuses: { "200": 1_836 },
    orders: 1_020,
    paid: 1_020,
    payments: 1_020,
    onePayment: 1_020,
    onePaidEvent: 1_020,
    oneReceipt: 1_020,
    eventsRecorded: 1_530,
    numberedAfter: 0.02,
    ...overrides,
  });
  const report = (overrides: Partial<ShopReport> = {}): ShopReport => ({
    date: new Date("2026-12-04T08:00:00Z"),
    machine,
    loadBefore: 0.31,
    processes: 1,
    catalogue: {
      products: 1_000,
      services: 512,
      available: 951,
      prices: 1_430,
      categories: 8,
      customers: 1_020,
      seconds: 0.24,
    },
    pageWarmUp: 20,
    pages: [
      page(),
      page({
        name: "Product page, random slug",
        path: "/products/<slug>",
        matches: null,
        bytes: 40_000,
        timing: { runs: 200, p50: 9.1, p95: 30.5, max: 51 },
      }),
    ],
    checkout: {
      warmUp: 20,
      paymentMode: 510,
      subscriptionMode: 510,
      timing: { runs: 1_000, p50: 9.74, p95: 18.2, max: 41.2 },
    },
    webhooks: webhooks(),
    ...overrides,
  });

  it("records the run, every table and meets every target", () => {
    const text = shopSection(report());
    expect(text).toContain("Run on 2026-12-04: 2 × AMD EPYC, 23.5 GiB RAM");
    expect(text).toContain("`npm run bench` started: 0.31");
    expect(text).toContain(
      "1,000 active products (512 services, 488 sold once;\n49 currently unavailable) in 8 categories, with 1,430 active prices",
    );
    expect(text).toContain(
      "| Catalogue, first page | `/products` | 1,000 | 90 | 12.3 | 21.1 | 48.2 | yes |",
    );
    expect(text).toContain(
      "| Product page, random slug | `/products/<slug>` |  | 39 | 9.1 | 30.5 | 51.0 | yes |",
    );
    expect(text).toContain("| 1,000 | 9.7 | 18.2 | 41.2 | yes |");
    expect(text).toContain(
      "1,530 events (checkout.session.completed × 1,020, invoice.paid × 510)",
    );
    expect(text).toContain(
      "| 1,836 | 306 | 10 | 2.40 | 765 | 11.2 | 24.9 | 80.3 | 200 × 1,836 |",
    );
    expect(text).toContain(
      "| Catalogue and product pages at 1,000 products: p95 under 50 ms | slowest p95 30.5 ms (Product page, random slug) | yes |",
    );
    expect(text).toContain(
      "| Checkout Session creation: median under 50 ms | 9.7 ms (p95 18.2 ms) | yes |",
    );
    expect(text).toContain(
      "| Webhooks: at least 500 events/s, duplicates included | 765 events/s | yes |",
    );
    expect(text).toContain(
      "| Every order paid exactly once | 1,020 of 1,020 | yes |",
    );
    expect(text).toContain("**Met**: every target.");
  });

  it("names each missed target: a slow page, slow webhooks, other answers and an order paid twice", () => {
    const text = shopSection(
      report({
        pages: [page({ timing: { runs: 200, p50: 30, p95: 62.5, max: 90 } })],
        webhooks: webhooks({
          seconds: 16,
          statuses: { "200": 1_830, "500": 4, "fetch failed": 2 },
          payments: 1_021,
          onePayment: 1_019,
        }),
      }),
    );
    expect(text).toContain("| 62.5 | 90.0 | **no** |");
    expect(text).toContain("| 200 × 1,830, 500 × 4, fetch failed × 2 |");
    expect(text).toContain(
      "| Webhooks: every delivery answered 200 | 6 other answers | **no** |",
    );
    expect(text).toContain(
      "| Every order paid exactly once | 1,019 of 1,020 | **no** |",
    );
    expect(text).toContain(
      "**Missed**: catalogue and product pages at 1,000 products: p95 under 50 ms; webhooks: at least 500 events/s, duplicates included; webhooks: every delivery answered 200; every order paid exactly once.",
    );
  });
});

const shopifyFacts = {
  date: new Date("2026-12-04T12:00:00Z"),
  machine,
  loadBefore: 1.5,
  database: "PGlite 0.3 (embedded)",
};

describe("shopifySection", () => {
  const report = (webhookSeconds: number, stored = 5_100): ShopifyReport => ({
    ...shopifyFacts,
    webhooks: [
      {
        database: "PGlite 0.5 (embedded)",
        path: "the route handler",
        orders: 5_000,
        warmUp: 100,
        inFlight: 10,
        seconds: webhookSeconds,
        latency: { runs: 5_000, p50: 20, p95: 40, max: 90 },
        stored,
      },
      {
        database: "PostgreSQL (new database)",
        path: "the route handler",
        orders: 5_000,
        warmUp: 100,
        inFlight: 10,
        seconds: 5,
        latency: { runs: 5_000, p50: 5, p95: 9, max: 30 },
        stored: 5_100,
      },
    ],
  });

  it("records both databases and meets the webhook target", () => {
    const text = shopifySection(report(10));
    expect(text).toContain("Run on 2026-12-04");
    expect(text).toContain(
      "| PGlite 0.5 (embedded) | 5,000 | 10 | 10.00 | 500 |",
    );
    expect(text).toContain("Every order was stored exactly once");
    expect(text).toContain(
      "PGlite 0.5: **met** (500 orders/s); PostgreSQL: **met** (1000 orders/s)",
    );
  });

  it("misses the target when too slow, and says when the counts do not add up", () => {
    const text = shopifySection(report(25, 5_099));
    expect(text).toContain("PGlite 0.5: **missed** (200 orders/s)");
    expect(text).toContain("**Not every order was stored exactly once**");
  });
});

describe("shopifyBackfillSection", () => {
  const report = (stored: number): ShopifyBackfillReport => ({
    ...shopifyFacts,
    backfill: {
      orders: 10_000,
      bucketSize: 1_000,
      restoreRate: 100,
      pages: 100,
      throttledWaits: 99,
      secondsWaiting: 800,
      seconds: 812.3,
      created: 10_000,
      stored,
    },
  });

  it("records the backfill in its own section", () => {
    const text = shopifyBackfillSection(report(10_000));
    expect(text).toContain("Run on 2026-12-04");
    expect(text).toContain(
      "| 10,000 | 100 | 99 | 800 | 812.3 | 12.3 | 10,000 |",
    );
    expect(text).toContain("Every order was stored exactly once: 10,000");
  });

  it("says when the backfill did not store every order", () => {
    const text = shopifyBackfillSection(report(9_999));
    expect(text).toContain("**Not every order was stored exactly once**");
  });
});
