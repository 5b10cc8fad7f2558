import "server-only";
import type { Timing } from "@/tools/bench/measure";
import type {
  ShopifyBackfillResult,
  ShopifyBench,
} from "@/tools/bench/shopify";

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

export type Machine = {
  cpus: string;
  memory: string;
  node: string;
  postgres: string;
};

export type QueueReport = {
  date: Date;
  machine: Machine;
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

Each scenario calls \`listQueue(db, agent, filters, now)\` from \`lib/tickets/queue-queries.ts\`, as the staff
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

export type ApiScenarioResult = {
  name: string;
  connections: number;
  /** Measured duration as autocannon reports it. */
  seconds: number;
  /** 201 answers carrying a ticket number. */
  created: number;
  non201: number;
  /** Non-201 answers by status. */
  statuses: Record<string, number>;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Tickets created per whole second of the run. */
  perSecond: { p50: number; min: number };
  /** Client-side milliseconds from request to complete answer. */
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Rows added to `tickets` once the server had finished. */
  ticketsCreated: number;
  /** Rows added to `outbound_mail`. */
  mailsQueued: number;
};

export type ApiReport = {
  date: Date;
  machine: Machine;
  /** One-minute load average when `npm run bench` started, before any load of its own. */
  loadBefore: number;
  autocannon: string;
  warmUpSeconds: number;
  agentsAlerted: number;
  /** App processes serving the port (WEB_CONCURRENCY). */
  processes: number;
  /** The first scenario is the one the goals apply to. */
  scenarios: ApiScenarioResult[];
};

export const API_GOALS = { p50Ms: 10, ticketsPerSecond: 300 };
// osTicket 1.18 creating the same minimal ticket through its API on the same machine.
const OSTICKET = { p50Ms: 26, p90Ms: 33 };

const perSecond = (s: ApiScenarioResult) => s.created / s.seconds;
const failures = (s: ApiScenarioResult) => s.non201 + s.errors;
const yesNo = (met: boolean) => (met ? "yes" : "**no**");

export function apiSection(r: ApiReport): string {
  const main = r.scenarios[0];
  if (!main) throw new Error("No API scenario to report.");
  const goals = [
    {
      goal: `Median latency under ${API_GOALS.p50Ms} ms`,
      measured: `${ms(main.latency.p50)} ms`,
      met: main.latency.p50 < API_GOALS.p50Ms,
    },
    {
      goal: `At least ${API_GOALS.ticketsPerSecond} tickets/s sustained`,
      measured: `${perSecond(main).toFixed(0)} tickets/s over ${main.seconds.toFixed(0)} s (slowest second ${int(main.perSecond.min)})`,
      met: perSecond(main) >= API_GOALS.ticketsPerSecond,
    },
    {
      goal: "Zero errors (non-201 answers, connection errors, timeouts)",
      measured: int(failures(main)),
      met: failures(main) === 0,
    },
  ];
  const missed = goals.filter((g) => !g.met);
  const statuses = (s: ApiScenarioResult) =>
    Object.entries(s.statuses)
      .map(([status, n]) => `${status} × ${int(n)}`)
      .join(", ");
  const reconcile = (s: ApiScenarioResult) => {
    const inFlight = s.ticketsCreated - s.created;
    return inFlight >= 0 && inFlight <= s.connections
      ? `- ${s.name}: ${int(s.ticketsCreated)} tickets = ${int(s.created)} answered 201 + ${int(inFlight)} still in flight when autocannon stopped at the deadline.`
      : `- ${s.name}: **${int(s.ticketsCreated)} tickets do not match ${int(s.created)} answered 201** (at most ${s.connections} can be in flight at the deadline).`;
  };
  return `
## osTicket API: creating tickets (\`npm run bench\`)

Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.machine.postgres}, as installed.
One-minute load average when \`npm run bench\` started: ${r.loadBefore.toFixed(2)} (anything else running on
the machine shares its two cores with the bench).

The production build (\`.next\`) served by \`server/main.ts\`, as in production, with
${r.processes === 1 ? "one app process" : `${r.processes} app processes (\`WEB_CONCURRENCY=${r.processes}\`)`}, on a new PostgreSQL database with the demo data.
That server answers the API's posts with the route files' handler but without Next's request handling
(\`server/direct.ts\`): profiled under this load, that handling cost more CPU than creating the ticket.
autocannon ${r.autocannon}, in the bench process on the same machine, sends
\`POST /api/tickets.json\` over keep-alive connections, each waiting for its answer before the next call:
a minimal JSON ticket (name, email, subject, message) from one existing customer, without a help topic,
so it goes to the first department. ${r.warmUpSeconds} s of warm-up, then each scenario in turn. Rate limit
off (\`API_RATE_LIMIT_PER_MINUTE=0\`: the default of 600 calls per key per minute would refuse most of the
load), no SMTP and no in-process mail job, so mail is only written to the outbox. With alerts on, each
ticket queues the customer's acknowledgement and an alert to each of the department's ${r.agentsAlerted} agents.
Latency is measured by the client, from sending the request to the complete answer, over every answer.

| Scenario | Connections | Seconds | 201 | Non-201 | Errors (timeouts) | Tickets/s | Median second | Slowest second | Outbox mails |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${r.scenarios
  .map(
    (s) =>
      `| ${s.name} | ${s.connections} | ${s.seconds.toFixed(1)} | ${int(s.created)} | ${int(s.non201)}${s.non201 ? ` (${statuses(s)})` : ""} | ${int(s.errors)} (${int(s.timeouts)}) | ${perSecond(s).toFixed(0)} | ${int(s.perSecond.p50)} | ${int(s.perSecond.min)} | ${int(s.mailsQueued)} |`,
  )
  .join("\n")}

| Scenario | Connections | p50 ms | p90 ms | p99 ms | max ms |
| --- | ---: | ---: | ---: | ---: | ---: |
${r.scenarios
  .map(
    (s) =>
      `| ${s.name} | ${s.connections} | ${ms(s.latency.p50)} | ${ms(s.latency.p90)} | ${ms(s.latency.p99)} | ${ms(s.latency.max)} |`,
  )
  .join("\n")}
| osTicket 1.18 on this machine (reference) | | ${OSTICKET.p50Ms} | ${OSTICKET.p90Ms} | | |

Tickets in the database, counted once the server had finished:

${r.scenarios.map(reconcile).join("\n")}

Goals, for “${main.name}” with ${main.connections} connections:

| Goal | Measured | Met |
| --- | --- | :---: |
${goals.map((g) => `| ${g.goal} | ${g.measured} | ${yesNo(g.met)} |`).join("\n")}

${
  missed.length === 0
    ? "**Met**: every goal."
    : `**Missed**: ${listOf(missed.map((g) => g.goal.charAt(0).toLowerCase() + g.goal.slice(1)))}.`
}

With a fixed number of connections, each waiting for its answer, tickets/s × mean latency ≈ connections:
a ${API_GOALS.p50Ms} ms median with ${main.connections} connections takes about ${int(Math.round((main.connections * 1000) / API_GOALS.p50Ms))} tickets/s.
`;
}

export type SignupScenarioResult = {
  name: string;
  /** Mailcow down or hanging: the scenarios the goal is about. */
  isOutage: boolean;
  /** Client-side milliseconds from sending the form post to its complete answer. */
  timing: Timing;
  /** Timed answers other than the 303 to the welcome page, failed requests included. */
  errors: number;
  /** Those answers by what came back. */
  failures: Record<string, number>;
  /** Mailboxes by status once the last signup had its answer, warm-ups included. */
  mailboxes: Record<string, number>;
};

export type SignupReport = {
  date: Date;
  machine: Machine;
  warmUp: number;
  /** How long signup waits for the first Mailcow attempt (SIGNUP_BUDGET_MS). */
  budgetMs: number;
  scenarios: SignupScenarioResult[];
};

export const SIGNUP_GOAL_MS = 2_000;

export function signupSection(r: SignupReport): string {
  const outages = r.scenarios.filter((s) => s.isOutage);
  const missed = outages.filter(
    (s) => s.timing.max >= SIGNUP_GOAL_MS || s.errors > 0,
  );
  const runs = r.scenarios[0]?.timing.runs ?? 0;
  const counts = (entries: Record<string, number>, by = " ") =>
    Object.entries(entries)
      .map(([key, n]) => `${key}${by}${int(n)}`)
      .join(", ");
  const failures = r.scenarios.filter((s) => s.errors > 0);
  return `
## Signup with Mailcow healthy, down or hanging (\`npm run bench\`)

Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.machine.postgres}.

What a customer waits for: the HTTP round trip of the sign-up form posted without JavaScript (name,
email, password and mailbox name, as multipart/form-data) to the production build served by
\`server/main.ts\`, from sending the post to the 303 redirect to \`/tickets?welcome=1\`, measured
by the bench process on the same machine. It includes hashing the password with argon2, the account
and its pending mailbox, and every wait on Mailcow (the name check and the first attempt share at
most ${r.budgetMs} ms). Each Mailcow gets a fresh server and a new PostgreSQL database with mailboxes
on; ${r.warmUp} warm-up signups, then ${runs} timed ones, one after another, each a new customer. Any
other answer is an error.
The mailboxes of all signups, warm-ups included, are counted by status once the last one had its answer.

| Mailcow | p50 ms | p95 ms | max ms | Errors | Mailboxes afterwards | max < ${SIGNUP_GOAL_MS} ms |
| --- | ---: | ---: | ---: | ---: | --- | :---: |
${r.scenarios
  .map(
    (s) =>
      `| ${s.name} | ${s.timing.p50.toFixed(0)} | ${s.timing.p95.toFixed(0)} | ${s.timing.max.toFixed(0)} | ${int(s.errors)} | ${counts(s.mailboxes) || "none"} | ${s.isOutage ? yesNo(s.timing.max < SIGNUP_GOAL_MS) : "(no goal)"} |`,
  )
  .join("\n")}
${failures.length === 0 ? "" : `\nErrors: ${failures.map((s) => `${s.name}: ${counts(s.failures, " × ")}`).join("; ")}.\n`}
Goal: every signup answered in under ${SIGNUP_GOAL_MS} ms, without errors, while Mailcow is down or
hanging. ${
    missed.length === 0
      ? "**Met**."
      : `**Missed** with ${listOf(missed.map((s) => `“${s.name}”`))}.`
  }
`;
}

export type ShopCatalogue = {
  products: number;
  services: number;
  /** Products that can be ordered now; the rest are listed as unavailable. */
  available: number;
  prices: number;
  categories: number;
  customers: number;
  /** Spent generating it all. */
  seconds: number;
};

export type ShopPageResult = {
  name: string;
  /** What was requested; `<slug>` stands for a random product's. */
  path: string;
  /** Products the page lists in all (its search or category); null for a product page. */
  matches: number | null;
  /** Size of the first answer's HTML. */
  bytes: number;
  /** Client-side milliseconds from sending the request to the last byte of the page. */
  timing: Timing;
};

export type ShopCheckoutResult = {
  warmUp: number;
  /** Orders, warm-ups included, paid once (payment mode) or as a subscription. */
  paymentMode: number;
  subscriptionMode: number;
  timing: Timing;
};

export type ShopWebhookResult = {
  /** Distinct events the completed sessions gave. */
  events: number;
  types: Record<string, number>;
  /** Events sent a second time. */
  duplicates: number;
  inFlight: number;
  warmUp: number;
  seconds: number;
  /** Client-side milliseconds from sending a delivery to its complete answer. */
  latency: Timing;
  /** Answers by status, or by why there was none. */
  statuses: Record<string, number>;
  orders: number;
  paid: number;
  payments: number;
  /** Orders with exactly one payment row. */
  onePayment: number;
  /** Orders with exactly one move to paid on their timeline. */
  onePaidEvent: number;
  /** Orders with exactly one receipt in the outbox. */
  oneReceipt: number;
  /** Webhook events recorded as processed, warm-ups left out. */
  eventsRecorded: number;
  /** Seconds from the last answer until no paid order was waiting for its invoice number. */
  numberedAfter: number;
};

export type ShopReport = {
  date: Date;
  machine: Machine;
  /** One-minute load average when `npm run bench` started, before any load of its own. */
  loadBefore: number;
  /** App processes serving the port (WEB_CONCURRENCY). */
  processes: number;
  catalogue: ShopCatalogue;
  pageWarmUp: number;
  pages: ShopPageResult[];
  checkout: ShopCheckoutResult;
  webhooks: ShopWebhookResult;
};

export const SHOP_GOALS = {
  pageP95Ms: 50,
  checkoutP50Ms: 50,
  eventsPerSecond: 500,
};

export function shopSection(r: ShopReport): string {
  const w = r.webhooks;
  const c = r.checkout;
  const deliveries = w.events + w.duplicates;
  const perSecond = deliveries / w.seconds;
  const slowest = [...r.pages].sort((a, b) => b.timing.p95 - a.timing.p95)[0];
  if (!slowest) throw new Error("No shop page to report.");
  const not200 = deliveries - (w.statuses["200"] ?? 0);
  const paidOnce = Math.min(w.paid, w.onePayment, w.onePaidEvent, w.oneReceipt);
  const goals = [
    {
      goal: `Catalogue and product pages at ${int(r.catalogue.products)} products: p95 under ${SHOP_GOALS.pageP95Ms} ms`,
      measured: `slowest p95 ${ms(slowest.timing.p95)} ms (${slowest.name})`,
      met: r.pages.every((p) => p.timing.p95 < SHOP_GOALS.pageP95Ms),
    },
    {
      goal: `Checkout Session creation: median under ${SHOP_GOALS.checkoutP50Ms} ms`,
      measured: `${ms(c.timing.p50)} ms (p95 ${ms(c.timing.p95)} ms)`,
      met: c.timing.p50 < SHOP_GOALS.checkoutP50Ms,
    },
    {
      goal: `Webhooks: at least ${SHOP_GOALS.eventsPerSecond} events/s, duplicates included`,
      measured: `${perSecond.toFixed(0)} events/s`,
      met: perSecond >= SHOP_GOALS.eventsPerSecond,
    },
    {
      goal: "Webhooks: every delivery answered 200",
      measured: `${int(not200)} other answers`,
      met: not200 === 0,
    },
    {
      goal: "Every order paid exactly once",
      measured: `${int(paidOnce)} of ${int(w.orders)}`,
      met: paidOnce === w.orders && w.payments === w.orders,
    },
  ];
  const missed = goals.filter((g) => !g.met);
  const counts = (entries: Record<string, number>) =>
    Object.entries(entries)
      .map(([key, n]) => `${key} × ${int(n)}`)
      .join(", ");
  const runs = r.pages[0]?.timing.runs ?? 0;
  return `
## Shop: catalogue, checkout and Stripe webhooks (\`npm run bench\`)

Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.machine.postgres}, as installed.
One-minute load average when \`npm run bench\` started: ${r.loadBefore.toFixed(2)} (anything else running on
the machine shares its cores with the bench).

Data, on a new PostgreSQL database: ${int(r.catalogue.products)} active products (${int(r.catalogue.services)} services, ${int(r.catalogue.products - r.catalogue.services)} sold once;
${int(r.catalogue.products - r.catalogue.available)} currently unavailable) in ${r.catalogue.categories} categories, with ${int(r.catalogue.prices)} active prices in EUR
(services monthly, some also yearly; the others one or two one-time prices), and ${int(r.catalogue.customers)} customers,
generated with set-based SQL in ${r.catalogue.seconds.toFixed(1)} s.

### Catalogue and product pages

The production build (\`.next\`) served by \`server/main.ts\`, as in production, with ${r.processes === 1 ? "one app process" : `${r.processes} app processes (\`WEB_CONCURRENCY=${r.processes}\`)`},
started after the data was generated (with a new catalogue version, as any catalogue write makes).
For each page, ${r.pageWarmUp} warm-up requests, then ${runs} timed GETs one after another from the bench process
on the same machine over a keep-alive loopback connection, each timed from sending the request to
the last byte of the page. The catalogue list per category, the categories and each product are
kept in Next's data cache, keyed by the catalogue version read from the database on every request;
searches read the database every time. The product page asks for a random one of the
${int(r.catalogue.products)} products each time, so most of its requests are that product's first: the cache misses and
reads it from the database.

| Page | Path | Matches | KiB | p50 ms | p95 ms | max ms | p95 < ${SHOP_GOALS.pageP95Ms} ms |
| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: |
${r.pages
  .map(
    (p) =>
      `| ${p.name} | \`${p.path}\` | ${p.matches === null ? "" : int(p.matches)} | ${(p.bytes / 1024).toFixed(0)} | ${ms(p.timing.p50)} | ${ms(p.timing.p95)} | ${ms(p.timing.max)} | ${yesNo(p.timing.p95 < SHOP_GOALS.pageP95Ms)} |`,
  )
  .join("\n")}

### Checkout

\`checkout(db, customer, deps)\` from \`lib/orders/checkout.ts\`, called in the bench process on the same
database (the app's pool settings), with the real Stripe client (\`createStripeClient\`, no retries)
against the contract fake (\`testing/stripe/fake.ts\`) on loopback in the same process. Each call is
another customer with a fresh cart of two products, filled beforehand and not timed: ${int(c.paymentMode)} carts of
two one-time products (payment mode) and ${int(c.subscriptionMode)} of a monthly service and a one-time product
(subscription mode). A call reads the cart, places the order with its items in one transaction,
creates the Checkout Session over HTTP and stores it. ${c.warmUp} warm-up calls, then ${int(c.timing.runs)} timed ones
one after another.

| Sessions | p50 ms | p95 ms | max ms | median < ${SHOP_GOALS.checkoutP50Ms} ms |
| ---: | ---: | ---: | ---: | :---: |
| ${int(c.timing.runs)} | ${ms(c.timing.p50)} | ${ms(c.timing.p95)} | ${ms(c.timing.max)} | ${yesNo(c.timing.p50 < SHOP_GOALS.checkoutP50Ms)} |

### Stripe webhooks

With the fake's own delivery off, every session above was completed in the fake (paid), giving
${int(w.events)} events (${counts(w.types)}). ${int(w.duplicates)} of them, picked at random, were added again as
duplicates, all shuffled, signed as Stripe signs them, and posted to the server's
\`POST /api/webhooks/stripe\` (answered by Portico's server without Next's request handling, as in
production), ${w.inFlight} at a time, after ${w.warmUp} warm-up deliveries of a type Portico ignores.
The bench posts them with node:http over ${w.inFlight} kept-alive connections: it shares the cores with the
server and the database, and fetch (used before 2026-12-04) spent more than twice the CPU on each
delivery. Latency is measured by the client, from sending a delivery to its complete answer.

| Deliveries | Duplicates | In flight | Seconds | Events/s | p50 ms | p95 ms | max ms | Answers |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| ${int(deliveries)} | ${int(w.duplicates)} | ${w.inFlight} | ${w.seconds.toFixed(2)} | ${perSecond.toFixed(0)} | ${ms(w.latency.p50)} | ${ms(w.latency.p95)} | ${ms(w.latency.max)} | ${counts(w.statuses)} |

Counted in the database afterwards: ${int(w.paid)} of ${int(w.orders)} orders paid; ${int(w.payments)} payment rows,
${int(w.onePayment)} orders with exactly one; ${int(w.onePaidEvent)} with exactly one move to paid on their timeline;
${int(w.oneReceipt)} with exactly one receipt in the outbox; ${int(w.eventsRecorded)} events recorded as processed.
Deliveries answered together are answered at their commit and their invoices numbered just after:
the last order had its number ${w.numberedAfter.toFixed(2)} s after the last answer, before these counts were taken.

### Targets

| Target | Measured | Met |
| --- | --- | :---: |
${goals.map((g) => `| ${g.goal} | ${g.measured} | ${yesNo(g.met)} |`).join("\n")}

${
  missed.length === 0
    ? "**Met**: every target."
    : `**Missed**: ${missed.map((g) => g.goal.charAt(0).toLowerCase() + g.goal.slice(1)).join("; ")}.`
}
`;
}

export type ShopifyReport = Omit<ShopifyBench, "backfill"> & {
  date: Date;
  machine: Machine;
  /** One-minute load average when `npm run bench` started, before any load of its own. */
  loadBefore: number;
};

export type ShopifyBackfillReport = Omit<ShopifyReport, "webhooks"> & {
  backfill: ShopifyBackfillResult;
};

export const SHOPIFY_GOALS = { webhookOrdersPerSecond: 300 };

export function shopifySection(r: ShopifyReport): string {
  const first = r.webhooks[0];
  if (!first) throw new Error("No webhook run to report.");
  const rate = (w: ShopifyReport["webhooks"][number]) => w.orders / w.seconds;
  const goal = SHOPIFY_GOALS.webhookOrdersPerSecond;
  const allStored = r.webhooks.every((w) => w.stored === w.orders + w.warmUp);
  const verdicts = r.webhooks.map(
    (w) =>
      `${w.database.split(" (")[0]}: **${rate(w) >= goal ? "met" : "missed"}** (${rate(w).toFixed(0)} orders/s)`,
  );
  return `
## Shopify: order webhooks (\`npm run bench -- --only shopify\`)

${runFacts(r)}

${int(first.orders)} \`orders/create\` payloads of distinct orders (two line items each, emails shared by
2,000 customers), built and signed by the fake Shopify's webhook builder (\`testing/shopify/webhooks.ts\`) as
Shopify sends them, each handled as ${first.path}, ${first.inFlight} at a time, after ${first.warmUp} warm-up
orders one after another; on each database in turn, in the bench process. Latency is from handing a
request over to its answer.

| Database | Orders | In flight | Seconds | Orders/s | p50 ms | p95 ms | max ms | ≥ ${goal} orders/s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |
${r.webhooks
  .map(
    (w) =>
      `| ${w.database} | ${int(w.orders)} | ${w.inFlight} | ${w.seconds.toFixed(2)} | ${rate(w).toFixed(0)} | ${ms(w.latency.p50)} | ${ms(w.latency.p95)} | ${ms(w.latency.max)} | ${yesNo(rate(w) >= goal)} |`,
  )
  .join("\n")}

The embedded database runs in the bench's own thread and takes one statement at a time, so more in
flight does not help it; a new order is six statements in one transaction (BEGIN and COMMIT
included).

${allStored ? "Every order was stored exactly once" : "**Not every order was stored exactly once**"}: ${r.webhooks.map((w) => int(w.stored)).join(" and ")} from the webhooks.
Target: at least ${goal} webhook orders/s — ${verdicts.join("; ")}.
`;
}

/** Its own section, so a run with \`--skip-backfill\` keeps the last measured one. */
export function shopifyBackfillSection(r: ShopifyBackfillReport): string {
  const b = r.backfill;
  return `
## Shopify: the order backfill (\`npm run bench -- --only shopify\`, not with \`--skip-backfill\`)

${runFacts(r)}

\`importShopifyOrders\` (\`lib/shopify/import-orders.ts\`, what \`npm run cli -- shopify import-orders\` runs)
reading ${int(b.orders)} orders from the fake Admin API (\`testing/shopify/fake.ts\`) on loopback into ${r.database}, through the
real \`@shopify/shopify-api\` client and the portal's wrapper, at the fake's default rate limit: a bucket of
${int(b.bucketSize)} points refilled at ${b.restoreRate} points/s, as on Shopify's Standard plan. A page of 100 orders asks for
about 800 points, so after the first page every page waits for the bucket: the wrapper waits out each
THROTTLED answer for as long as the bucket says it needs (in whole seconds) and asks again.

| Orders | Pages | THROTTLED waits | Seconds waiting | Wall time s | Orders/s | Created |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${int(b.orders)} | ${b.pages} | ${b.throttledWaits} | ${b.secondsWaiting.toFixed(0)} | ${b.seconds.toFixed(1)} | ${(b.orders / b.seconds).toFixed(1)} | ${int(b.created)} |

The rate limit sets the pace: ${int(b.orders)} orders × about 8 points each at ${b.restoreRate} points/s is at least
${((b.orders * 8 - b.bucketSize) / b.restoreRate).toFixed(0)} s whatever the database does.
${b.stored === b.orders ? "Every order was stored exactly once" : "**Not every order was stored exactly once**"}: ${int(b.stored)} of ${int(b.orders)}.
`;
}

function runFacts(r: Pick<ShopifyReport, "date" | "machine" | "loadBefore">) {
  return `Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.machine.postgres}, as installed.
One-minute load average when \`npm run bench\` started: ${r.loadBefore.toFixed(2)} (anything else running on
the machine shares its cores with the bench).`;
}
