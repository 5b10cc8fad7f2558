import "server-only";
import type { Timing } from "@/lib/bench/measure";

// docs/benchmarks.md holds one section per benchmark between `<!-- bench:<name> -->` markers, so each
// benchmark script rewrites its own section and leaves the others alone.

const PREAMBLE = `# Benchmarks

Each section below is written by a script; edit the script, not the section. Times are server
time on the machine named in the section.
`;

/** `doc` with the section `name` replaced by `body`, or appended when it is not there yet. */
export function replaceSection(
  doc: string | null,
  name: string,
  body: string,
): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const section = `${open}\n${body.trim()}\n${close}`;
  const text = doc ?? PREAMBLE;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start !== -1 && end > start)
    return text.slice(0, start) + section + text.slice(end + close.length);
  return `${text.trimEnd()}\n\n${section}\n`;
}

export type ScenarioResult = {
  name: string;
  filters: string;
  /** Tickets matching the filters (the queue's total). */
  total: number;
  /** Searches count up to the queue's cap and say "1,000+". */
  totalIsCapped: boolean;
  timing: Timing;
};

export type QueueReport = {
  date: Date;
  machine: { cpus: string; memory: string; node: string; postgres: string };
  sizes: {
    tickets: number;
    messages: number;
    customers: number;
    agents: number;
  };
  phases: Array<{ name: string; seconds: number }>;
  warmUp: number;
  targetMs: number;
  scenarios: ScenarioResult[];
};

const ms = (n: number) => n.toFixed(1);
const listOf = (items: string[]) =>
  items.length < 2
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
const int = (n: number) => n.toLocaleString("en-US");

export function queueSection(r: QueueReport): string {
  const generation = r.phases.reduce((s, p) => s + p.seconds, 0);
  const missed = r.scenarios.filter((s) => s.timing.p95 > r.targetMs);
  const runs = r.scenarios[0]?.timing.runs ?? 0;
  return `
## Staff queue and search (\`npm run bench\`)

Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.machine.postgres}, as installed.

Data: ${int(r.sizes.tickets)} tickets, ${int(r.sizes.messages)} messages, ${int(r.sizes.customers)} customers,
${int(r.sizes.agents)} agents, generated with set-based SQL in ${generation.toFixed(1)} s
(${r.phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(", ")}).

Each scenario calls \`listQueue(db, agent, filters, now)\` from \`lib/tickets/queries.ts\`, as the staff
queue does: one page of 25 rows, the total, and the count of every view. ${r.warmUp} warm-up calls,
then ${runs} timed calls one after another; times are wall-clock milliseconds in the server process.

| Scenario | Filters | Matches | p50 ms | p95 ms | max ms | p95 ≤ ${r.targetMs} ms |
| --- | --- | ---: | ---: | ---: | ---: | :---: |
${r.scenarios
  .map(
    (s) =>
      `| ${s.name} | \`${s.filters}\` | ${int(s.total)}${s.totalIsCapped ? "+" : ""} | ${ms(s.timing.p50)} | ${ms(s.timing.p95)} | ${ms(s.timing.max)} | ${s.timing.p95 <= r.targetMs ? "yes" : "**no**"} |`,
  )
  .join("\n")}

Target: server time under ${r.targetMs} ms at the 95th percentile for a filtered queue page and a
search. ${
    missed.length === 0
      ? "**Met** by every scenario."
      : `**Missed** by ${listOf(missed.map((s) => `“${s.name}”`))}.`
  }
`;
}
