// The signup half of `npm run bench`: customers signing up through the no-JavaScript form of the
// production build, with mailboxes on and Mailcow healthy, refusing connections, or hanging. Each
// Mailcow gets its own server and throw-away database. The goal is that signup answers within 2 s
// however Mailcow behaves (the name check and the first attempt share SIGNUP_BUDGET_MS).
import "server-only";
import net from "node:net";
import postgres from "postgres";
import {
  withBenchDatabase,
  type BenchDatabase,
} from "@/tools/bench/bench-database";
import { measure } from "@/tools/bench/measure";
import type { SignupScenarioResult } from "@/tools/bench/report";
import { freePort, startBenchServer } from "@/tools/bench/server";
import { startFakeMailcow } from "@/testing/mailcow/fake";

export const SIGNUP_WARM_UP = 3;
export const SIGNUP_RUNS = 30;
const DOMAIN = "mail.portico.test";
const API_KEY = "portico-bench-mailcow-key";
const PASSWORD = "Violet-Harbour-42";
// Every sign-up that goes through ends on "Check your inbox", which then leads on to the welcome.
const WELCOME = `/sign-up/sent?next=${encodeURIComponent("/tickets?welcome=1")}`;

type Mailcow = { url: string; close: () => Promise<void> };
type MailcowScenario = {
  name: string;
  isOutage: boolean;
  start: () => Promise<Mailcow>;
};

const SCENARIOS: MailcowScenario[] = [
  {
    name: "Healthy (the contract fake)",
    isOutage: false,
    start: healthyMailcow,
  },
  {
    name: "Down (connection refused)",
    isOutage: true,
    start: refusingMailcow,
  },
  {
    name: "Hanging (accepts, never answers)",
    isOutage: true,
    start: hangingMailcow,
  },
];

export async function benchSignup(
  serverUrl: string,
): Promise<SignupScenarioResult[]> {
  const results: SignupScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    const result = await withBenchDatabase(serverUrl, "signup", (db) =>
      runScenario(db, scenario),
    );
    results.push(result);
    console.log(
      `  ${scenario.name.padEnd(34)} p50 ${result.timing.p50.toFixed(0)} ms  p95 ${result.timing.p95.toFixed(0)} ms  ` +
        `max ${result.timing.max.toFixed(0)} ms  errors ${result.errors}`,
    );
  }
  return results;
}

async function runScenario(
  db: BenchDatabase,
  scenario: MailcowScenario,
): Promise<SignupScenarioResult> {
  const mailcow = await scenario.start();
  db.onCleanup(mailcow.close);
  const base = await startBenchServer(db, {
    SEED_DEMO_DATA: "never",
    MAILCOW_API_URL: mailcow.url,
    MAILCOW_API_KEY: API_KEY,
    MAILCOW_DOMAIN: DOMAIN,
  });
  const actionFields = await readSignUpForm(base);

  let n = 0;
  const failures: Record<string, number> = {};
  const timing = await measure(
    async () => {
      const i = n++;
      const answer = await signUp(base, actionFields, i);
      // Warm-up answers are not counted, only checked by the timed ones.
      if (answer !== "ok" && i >= SIGNUP_WARM_UP)
        failures[answer] = (failures[answer] ?? 0) + 1;
    },
    { warmUp: SIGNUP_WARM_UP, runs: SIGNUP_RUNS },
  );

  const pg = postgres(db.url, { max: 1, onnotice: () => {} });
  db.onCleanup(() => pg.end({ timeout: 0 }));
  const rows = await pg<Array<{ status: string; n: number }>>`
    select status, count(*)::int as n from mailboxes group by status order by status`;
  return {
    name: scenario.name,
    isOutage: scenario.isOutage,
    timing,
    errors: Object.values(failures).reduce((a, b) => a + b, 0),
    failures,
    mailboxes: Object.fromEntries(rows.map((r) => [r.status, r.n])),
  };
}

/**
 * The sign-up form's hidden `$ACTION_…` inputs, which tell Next which server action a form post
 * without JavaScript runs. With useActionState React writes them as `$ACTION_REF_n`, `$ACTION_n:0`
 * (the action's id), `$ACTION_n:1` (the previous state) and `$ACTION_KEY`, not `$ACTION_ID_<id>`.
 */
async function readSignUpForm(base: string): Promise<Array<[string, string]>> {
  const res = await fetch(`${base}/sign-up`);
  if (res.status !== 200)
    throw new Error(`GET /sign-up answered ${res.status}.`);
  const forms = (await res.text()).match(/<form\b[\s\S]*?<\/form>/g) ?? [];
  // The mailbox name field is there only when the server took the MAILCOW_* settings.
  const form = forms.find((f) => /\bname="mailboxName"/.test(f));
  if (!form)
    throw new Error("GET /sign-up has no sign-up form with a mailbox name.");
  const fields = [...form.matchAll(/<input\b[^>]*>/g)].flatMap(([tag]) => {
    const name = attribute(tag, "name");
    return name?.startsWith("$ACTION_")
      ? [[name, attribute(tag, "value") ?? ""] as [string, string]]
      : [];
  });
  if (fields.length === 0)
    throw new Error("The sign-up form has no $ACTION_ fields.");
  return fields;
}

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${name.replace("$", "\\$")}="([^"]*)"`).exec(
    tag,
  )?.[1];
  return value
    ?.replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** One form post as a browser without JavaScript sends it; "ok" or what came back instead. */
async function signUp(
  base: string,
  actionFields: Array<[string, string]>,
  i: number,
): Promise<string> {
  const form = new FormData();
  for (const [name, value] of actionFields) form.append(name, value);
  form.append("name", `Signup Bench ${i}`);
  form.append("email", `signup${i}@example.org`);
  form.append("mailboxName", `signup${i}`);
  form.append("password", PASSWORD);
  try {
    const res = await fetch(`${base}/sign-up`, {
      method: "POST",
      body: form,
      // A browser sends its origin, and Next checks it against the host for server actions.
      headers: { origin: base },
      redirect: "manual",
    });
    await res.arrayBuffer();
    const location = res.headers.get("location");
    const target = location && new URL(location, base);
    return res.status === 303 && target && target.href === `${base}${WELCOME}`
      ? "ok"
      : `${res.status}${location ? ` to ${location}` : ""}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function healthyMailcow(): Promise<Mailcow> {
  const fake = await startFakeMailcow({
    domain: DOMAIN,
    apiKey: API_KEY,
    maxMailboxes: 10_000,
    totalQuotaMib: 100 * 1024 * 1024,
  });
  return { url: fake.url, close: fake.close };
}

/** A port nobody listens on: each connection is refused at once. */
async function refusingMailcow(): Promise<Mailcow> {
  return { url: `http://127.0.0.1:${await freePort()}`, close: async () => {} };
}

/** Accepts every connection and never says a word: the client's own timeout is all that ends it. */
async function hangingMailcow(): Promise<Mailcow> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
