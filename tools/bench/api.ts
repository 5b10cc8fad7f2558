// The API half of `npm run bench`: sustained POST /api/tickets.json against the production build
// (`.next`, served by server/main.ts as in production) on a throw-away PostgreSQL database,
// loaded with autocannon from this process. Always stops the server and drops the database.
import "server-only";
import autocannon from "autocannon";
import { createRequire } from "node:module";
import postgres from "postgres";
import { openPostgres } from "@/db/open";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { withBenchDatabase } from "@/tools/bench/bench-database";
import { percentile } from "@/tools/bench/measure";
import type { ApiScenarioResult } from "@/tools/bench/report";
import { startBenchServer } from "@/tools/bench/server";

export const WARM_UP_SECONDS = 3;
type Scenario = {
  name: string;
  connections: number;
  seconds: number;
  extra: Record<string, unknown>;
};
// The first is the one the goals apply to. Alerts on are osTicket's defaults: the department's
// agents are alerted and the customer is acknowledged, so each ticket also writes its mail.
const SCENARIOS: Scenario[] = [
  { name: "Alerts on", connections: 10, seconds: 20, extra: {} },
  {
    name: "Alert and autorespond off",
    connections: 10,
    seconds: 10,
    extra: { alert: false, autorespond: false },
  },
  // One request at a time: the latency of a single call when nothing queues in front of it.
  { name: "Alerts on, one at a time", connections: 1, seconds: 10, extra: {} },
];

export type ApiBench = {
  autocannon: string;
  scenarios: ApiScenarioResult[];
  /** Agents alerted per ticket: the seeded department's members. */
  agentsAlerted: number;
  processes: number;
};

export async function benchApi(
  serverUrl: string,
  processes = 1,
): Promise<ApiBench> {
  return withBenchDatabase(serverUrl, "api", async (db) => {
    const base = await startBenchServer(db, {
      // Departments, help topics and agents, so the tickets have somewhere to go and someone to alert.
      SEED_DEMO_DATA: "always",
      // The default (600 per key per minute) would refuse most of the load.
      API_RATE_LIMIT_PER_MINUTE: "0",
      API_VERIFY_EMAIL_DOMAINS: "false",
      // `WEB_CONCURRENCY=2 npm run bench -- --only api` measures a cluster of app processes.
      WEB_CONCURRENCY: String(processes),
    });

    const pg = postgres(db.url, { max: 1, onnotice: () => {} });
    db.onCleanup(() => pg.end({ timeout: 0 }));
    const key = await createBenchKey(db.url);
    const [{ agents }] = await pg<[{ agents: number }]>`
      select count(*)::int as agents from department_members
      where department_id = (select min(id) from departments)`;

    console.log(`Warming up for ${WARM_UP_SECONDS} s…`);
    await load(base, key, { ...SCENARIOS[0]!, seconds: WARM_UP_SECONDS });
    const scenarios: ApiScenarioResult[] = [];
    for (const s of SCENARIOS) {
      const before = await settledCounts(pg);
      const run = await load(base, key, s);
      const after = await settledCounts(pg);
      const result: ApiScenarioResult = {
        name: s.name,
        connections: s.connections,
        ...run,
        ticketsCreated: after.tickets - before.tickets,
        mailsQueued: after.mails - before.mails,
      };
      scenarios.push(result);
      console.log(
        `  ${s.name.padEnd(42)} ${result.created} created (${(result.created / result.seconds).toFixed(0)}/s)  ` +
          `p50 ${result.latency.p50.toFixed(1)} ms  p90 ${result.latency.p90.toFixed(1)} ms  ` +
          `p99 ${result.latency.p99.toFixed(1)} ms  non-201 ${result.non201}  errors ${result.errors}`,
      );
    }
    return {
      autocannon: autocannonVersion(),
      scenarios,
      agentsAlerted: agents,
      processes,
    };
  });
}

const requireHere = createRequire(import.meta.url);

function autocannonVersion(): string {
  return (requireHere("autocannon/package.json") as { version: string })
    .version;
}

/** Created after the server has migrated the database, for the address autocannon connects from. */
async function createBenchKey(databaseUrl: string): Promise<string> {
  const handle = await openPostgres(databaseUrl, { max: 1 });
  try {
    const created = await createApiKey(
      handle.db,
      { kind: "system" },
      apiKeyCreateInput.parse({
        ipAddress: "127.0.0.1",
        notes: "npm run bench",
        isActive: "on",
        canCreateTickets: "on",
      }),
    );
    if (!created.ok) throw new Error(created.error.message);
    return created.value.key;
  } finally {
    await handle.close();
  }
}

/**
 * Tickets and outbox rows once the server has finished what it was sent: autocannon stops at the
 * deadline without waiting for the requests then in flight, and the server still completes them.
 */
async function settledCounts(
  pg: postgres.Sql,
): Promise<{ tickets: number; mails: number }> {
  let last = -1;
  for (;;) {
    const [counts] = await pg<[{ tickets: number; mails: number }]>`
      select (select count(*)::int from tickets) as tickets,
             (select count(*)::int from outbound_mail) as mails`;
    if (counts.tickets === last) return counts;
    last = counts.tickets;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

type LoadResult = Omit<
  ApiScenarioResult,
  "name" | "connections" | "ticketsCreated" | "mailsQueued"
>;

async function load(
  base: string,
  key: string,
  { connections, seconds, extra }: Scenario,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const perSecond: number[] = [];
  let created = 0;
  let createdThisSecond = 0;
  let non201 = 0;
  const statuses: Record<string, number> = {};
  const body = JSON.stringify({
    name: "Bench Caller",
    email: "bench@example.com",
    subject: "Disk almost full",
    message: "Minimal ticket from the API bench",
    ...extra,
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${base}/api/tickets.json`,
        connections,
        duration: seconds,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json", "x-api-key": key },
            body,
            // A 201 must also carry the ticket number, as osTicket's does.
            onResponse: (status, text) => {
              if (status === 201 && /^\d{6}$/.test(text.trim())) {
                created++;
                createdThisSecond++;
              } else {
                non201++;
                statuses[status] = (statuses[status] ?? 0) + 1;
              }
            },
          },
        ],
      },
      (error: unknown, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, _status, _bytes, ms) =>
      latencies.push(ms),
    );
    instance.on("tick", () => {
      perSecond.push(createdThisSecond);
      createdThisSecond = 0;
    });
  });
  latencies.sort((a, b) => a - b);
  // The last tick comes with the stop and covers a partial second.
  const fullSeconds = perSecond.slice(0, seconds).sort((a, b) => a - b);
  if (latencies.length === 0)
    throw new Error(`No answers from the server: ${result.errors} errors.`);
  return {
    seconds: result.duration,
    created,
    non201,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    perSecond: {
      p50: fullSeconds.length ? percentile(fullSeconds, 50) : 0,
      min: fullSeconds[0] ?? 0,
    },
    latency: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1]!,
    },
  };
}
