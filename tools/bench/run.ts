// npm run bench [-- --only queue|api|ingest|signup|shop|shopify|signin] [-- --skip-backfill]: writes each
// benchmark's section of docs/benchmarks.md.
//   queue: the staff queue and its search on PostgreSQL with 100,000 generated tickets and 500,000
//          messages.
//   api:   sustained POST /api/tickets.json against the production build (tools/bench/api.ts);
//          WEB_CONCURRENCY=N serves it from N app processes.
//   ingest: 2,000 mixed messages from a throw-away Dovecot through IMAP ingestion (tools/bench/ingest.ts).
//   signup: the sign-up form posted to the production build with Mailcow healthy, refusing
//           connections and hanging (tools/bench/signup.ts).
//   shop:   the catalogue pages of the production build at 1,000 products, checkout against the
//           fake Stripe, and its webhook events posted back with duplicates (tools/bench/shop.ts).
//   shopify: Shopify order webhooks stored at a fixed concurrency (embedded database and PostgreSQL),
//            and a backfill of 10,000 orders from the fake Admin API at its default rate limit into
//            the embedded database (tools/bench/shopify.ts).
//   signin: the server time the second step of signing in adds to a password sign-in, on the
//           embedded database (tools/bench/signin.ts).
// Each creates a throw-away database on the local server (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres) and always drops it.
import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { format, resolveConfig } from "prettier";
import { runCli } from "@/db/cli";
import { migratePostgres } from "@/db/migrate";
import { openPostgres } from "@/db/open";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { benchApi, WARM_UP_SECONDS } from "@/tools/bench/api";
import { withBenchDatabase } from "@/tools/bench/bench-database";
import { generateData, type BenchSizes } from "@/tools/bench/generate";
import { benchIngest, ingestSection } from "@/tools/bench/ingest";
import { measure } from "@/tools/bench/measure";
import {
  apiSection,
  queueSection,
  replaceSection,
  shopSection,
  shopifyBackfillSection,
  shopifySection,
  signupSection,
  type Machine,
  type ScenarioResult,
} from "@/tools/bench/report";
import { benchShop, SHOP_PAGE_WARM_UP } from "@/tools/bench/shop";
import { benchShopify } from "@/tools/bench/shopify";
import { benchSignin, signinSection } from "@/tools/bench/signin";
import { benchSignup, SIGNUP_WARM_UP } from "@/tools/bench/signup";
import {
  COMMON_QUERY,
  RARE_QUERY,
  VERY_COMMON_QUERY,
} from "@/tools/bench/words";
import { SIGNUP_BUDGET_MS } from "@/lib/mailcow/provision";
import { benchServerUrl, benchWebConcurrency } from "@/testing/bench-env";
import { listQueue } from "@/lib/tickets/queue-queries";
import { queueFiltersInput } from "@/lib/tickets/schemas";

const SIZES: BenchSizes = {
  tickets: 100_000,
  messages: 500_000,
  customers: 5_000,
  agents: 10,
};
const WARM_UP = 5;
const RUNS = 50;
const TARGET_MS = 150;
const DOC = path.join(process.cwd(), "docs", "benchmarks.md");
const BENCHES = [
  "queue",
  "api",
  "ingest",
  "signup",
  "shop",
  "shopify",
  "signin",
] as const;

runCli(async () => {
  const started = performance.now();
  // Before this process adds any load of its own: what else the machine was doing.
  const loadBefore = os.loadavg()[0]!;
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      // The Shopify backfill waits out the fake's rate limit for about 13 minutes.
      "skip-backfill": { type: "boolean" },
    },
    strict: true,
  });
  const only = values.only;
  if (only !== undefined && !BENCHES.some((b) => b === only))
    throw new Error(
      `usage: npm run bench [-- --only ${BENCHES.join("|")}] (got "${only}")`,
    );
  const serverUrl = benchServerUrl();
  const machine = await describeMachine(serverUrl);
  try {
    if (!only || only === "queue") await benchQueue(serverUrl, machine);
    if (!only || only === "api") {
      console.log("API: POST /api/tickets.json against the production build…");
      const date = new Date();
      const api = await benchApi(serverUrl, benchWebConcurrency());
      await writeSection(
        "api",
        apiSection({
          date,
          machine,
          loadBefore,
          warmUpSeconds: WARM_UP_SECONDS,
          ...api,
        }),
      );
    }
    if (!only || only === "ingest") {
      console.log("Mail: IMAP ingestion from Dovecot into PostgreSQL…");
      const date = new Date();
      const ingest = await benchIngest(serverUrl);
      await writeSection("ingest", ingestSection({ date, machine, ...ingest }));
    }
    if (!only || only === "signup") {
      console.log("Signup: the sign-up form against the production build…");
      const date = new Date();
      const scenarios = await benchSignup(serverUrl);
      await writeSection(
        "signup",
        signupSection({
          date,
          machine,
          warmUp: SIGNUP_WARM_UP,
          budgetMs: SIGNUP_BUDGET_MS,
          scenarios,
        }),
      );
    }
    if (!only || only === "signin") {
      console.log("Sign-in: the second step's server time, embedded database…");
      const date = new Date();
      const signin = await benchSignin();
      await writeSection("signin", signinSection({ date, machine, ...signin }));
    }
    if (!only || only === "shop") {
      console.log("Shop: catalogue, checkout and Stripe webhooks…");
      const date = new Date();
      const shop = await benchShop(serverUrl);
      await writeSection(
        "shop",
        shopSection({
          date,
          machine,
          loadBefore,
          pageWarmUp: SHOP_PAGE_WARM_UP,
          ...shop,
        }),
      );
    }
    if (!only || only === "shopify") {
      console.log("Shopify: order webhooks and the order backfill…");
      const date = new Date();
      const { backfill, ...shopify } = await benchShopify(serverUrl, {
        backfill: !values["skip-backfill"],
      });
      const facts = { date, machine, loadBefore, database: shopify.database };
      await writeSection("shopify", shopifySection({ ...facts, ...shopify }));
      if (backfill)
        await writeSection(
          "shopify-backfill",
          shopifyBackfillSection({ ...facts, backfill }),
        );
    }
  } finally {
    console.log(
      `Done in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
  }
});

async function benchQueue(serverUrl: string, machine: Machine): Promise<void> {
  await withBenchDatabase(serverUrl, "queue", async (db) => {
    console.log(`Queue: created ${db.name}; migrating.`);
    await migratePostgres(db.url);
    const pg = postgres(db.url, {
      max: 2,
      onnotice: () => {},
      connection: { maintenance_work_mem: "256MB" },
    });
    db.onCleanup(() => pg.end({ timeout: 0 }));
    // The app's own pool settings, as the queue route would use them.
    const app = await openPostgres(db.url);
    db.onCleanup(app.close);

    const now = new Date();
    console.log("Generating data…");
    const data = await generateData(pg, SIZES, now);
    for (const p of data.phases)
      console.log(`  ${p.name.padEnd(28)} ${p.seconds.toFixed(1)} s`);

    const [agent] = await pg<[Viewer]>`
      select id, email, name, role from users where role = 'agent' order by email limit 1`;
    const scenarios = await runScenarios(
      app.db,
      agent,
      queueScenarios(data.ticketNumber(50_000)),
      now,
    );

    await writeSection(
      "queue",
      queueSection({
        date: now,
        machine,
        sizes: SIZES,
        phases: data.phases,
        warmUp: WARM_UP,
        targetMs: TARGET_MS,
        scenarios,
      }),
    );
  });
}

/** CPU, memory, Node, and the PostgreSQL server with the settings that matter most here. */
async function describeMachine(serverUrl: string): Promise<Machine> {
  const pg = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [server] = await pg<
      [{ version: string; sharedBuffers: string; workMem: string }]
    >`select version(), current_setting('shared_buffers') as "sharedBuffers",
             current_setting('work_mem') as "workMem"`;
    const cpus = os.cpus();
    return {
      cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}`,
      memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
      node: process.version,
      postgres: `${server.version.split(" on ")[0]} (shared_buffers ${server.sharedBuffers}, work_mem ${server.workMem})`,
    };
  } finally {
    await pg.end({ timeout: 5 });
  }
}

async function runScenarios(
  db: Db,
  agent: Viewer,
  scenarios: Array<{ name: string; filters: Record<string, string> }>,
  now: Date,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const filters = queueFiltersInput.parse(s.filters);
    const run = () => listQueue(db, agent, filters, now);
    const { total, totalIsCapped } = await run();
    const timing = await measure(run, { warmUp: WARM_UP, runs: RUNS });
    results.push({
      name: s.name,
      filters: new URLSearchParams(s.filters).toString(),
      total,
      totalIsCapped,
      timing,
    });
    console.log(
      `  ${s.name.padEnd(36)} ${`${total}${totalIsCapped ? "+" : ""}`.padStart(7)} matches  p50 ${timing.p50.toFixed(1)} ms  p95 ${timing.p95.toFixed(1)} ms  max ${timing.max.toFixed(1)} ms`,
    );
  }
  return results;
}

async function writeSection(name: string, section: string): Promise<void> {
  const doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : null;
  const next = replaceSection(doc, name, section);
  // The doc is checked by `prettier --check` with the rest of the repository.
  const options = await resolveConfig(DOC);
  fs.mkdirSync(path.dirname(DOC), { recursive: true });
  fs.writeFileSync(DOC, await format(next, { ...options, filepath: DOC }));
  console.log(`Wrote ${path.relative(process.cwd(), DOC)}.`);
}

function queueScenarios(
  ticketNumber: string,
): Array<{ name: string; filters: Record<string, string> }> {
  return [
    { name: "Open view, page 1", filters: { view: "open" } },
    { name: "Mine", filters: { view: "mine" } },
    {
      name: "Overdue + department + priority",
      filters: { view: "overdue", departmentId: "1", priority: "high" },
    },
    { name: "All, page 20", filters: { view: "all", page: "20" } },
    { name: "Open, sorted by due", filters: { view: "open", sort: "due" } },
    {
      name: "Search, common word",
      filters: { view: "all", q: COMMON_QUERY },
    },
    {
      name: "Search in open view, common word",
      filters: { view: "open", q: COMMON_QUERY },
    },
    {
      name: "Search, very common word",
      filters: { view: "all", q: VERY_COMMON_QUERY },
    },
    { name: "Search, rare word", filters: { view: "all", q: RARE_QUERY } },
    {
      name: "Search, ticket number",
      filters: { view: "all", q: ticketNumber },
    },
    // The customer side of the search: a whole address, part of one, and a surname many share.
    {
      name: "Search, customer email",
      filters: { view: "all", q: "customer4242@example.test" },
    },
    {
      name: "Search, part of an email",
      filters: { view: "open", q: "customer4242@" },
    },
    {
      name: "Search, customer surname",
      filters: { view: "all", q: "Fischer" },
    },
  ];
}
