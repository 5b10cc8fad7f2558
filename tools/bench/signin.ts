// The sign-in half of `npm run bench`: how much server time the second step of signing in adds to a
// password sign-in, on the embedded database (PGlite on disk, as a small installation runs). Each
// sign-in runs the domain functions the sign-in actions call, in this process: the password check
// (argon2id) for both, then, for an account with an authenticator app, opening the challenge,
// reading it back (the second-step page) and answering it with the current code. Codes are computed
// on a clock that moves one 30-second step per sign-in, since each step is accepted once.
import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runMigrations } from "@/db/migrate";
import { openPglite } from "@/db/open";
import type { Db } from "@/db/types";
import { users } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { newTotpSecret, totpCode } from "@/lib/auth/totp";
import {
  completeChallenge,
  enableTotp,
  openChallenge,
  readChallenge,
} from "@/lib/auth/two-factor";
import { percentile } from "@/tools/bench/measure";
import type { Machine } from "@/tools/bench/report";

export const SIGNIN_WARM_UP = 5;
export const SIGNIN_RUNS = 60;
/** The goal: the second step adds less than this to a sign-in, at the median and at p95. */
export const SECOND_STEP_GOAL_MS = 50;
const PASSWORD = "a long enough bench passphrase";
const STEP_MS = 30_000;

type Samples = { p50: number; p95: number; max: number };

export type SigninBench = {
  database: string;
  runs: number;
  passwordOnly: Samples;
  withApp: Samples;
  secondStep: Samples;
};

const summarise = (samples: number[]): Samples => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1)!,
  };
};

async function account(db: Db, email: string) {
  const [row] = await db
    .insert(users)
    .values({
      email,
      name: "Bench Person",
      passwordHash: await hashPassword(PASSWORD),
      emailVerifiedAt: new Date(),
    })
    .returning();
  return row!;
}

export async function benchSignin(): Promise<SigninBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-bench-signin-"));
  try {
    const handle = await openPglite(path.join(dir, "db"));
    try {
      await runMigrations(handle);
      return await measureSignins(handle.db);
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measureSignins(db: Db): Promise<SigninBench> {
  const plain = await account(db, "plain@bench.test");
  const withApp = await account(db, "app@bench.test");
  const secret = newTotpSecret();
  const start = Date.now();
  const enabled = await enableTotp(
    db,
    withApp,
    { secret, code: totpCode(secret, start), password: PASSWORD },
    new Date(start),
  );
  if (!enabled.ok) throw new Error(enabled.error.message);

  const passwordTimes: number[] = [];
  const appTimes: number[] = [];
  const stepTimes: number[] = [];
  for (let i = 0; i < SIGNIN_WARM_UP + SIGNIN_RUNS; i++) {
    const now = new Date(start + (i + 1) * STEP_MS);
    const client = `198.51.100.${i % 250}`;

    let t0 = performance.now();
    const a = await authenticate(
      db,
      { email: plain.email, password: PASSWORD, client },
      now,
    );
    const password = performance.now() - t0;
    if (!a.ok) throw new Error(a.error.message);

    t0 = performance.now();
    const b = await authenticate(
      db,
      { email: withApp.email, password: PASSWORD, client },
      now,
    );
    const t1 = performance.now();
    if (!b.ok || b.value.twoFactor !== "totp")
      throw new Error("the account should owe a second step");
    const id = await openChallenge(db, withApp.id, now);
    if (!(await readChallenge(db, id, now))) throw new Error("no challenge");
    const done = await completeChallenge(
      db,
      id,
      totpCode(secret, now.getTime()),
      {
        client,
        now,
      },
    );
    const t2 = performance.now();
    if (!done.ok) throw new Error(done.error.message);
    if (i < SIGNIN_WARM_UP) continue;
    passwordTimes.push(password);
    appTimes.push(t2 - t0);
    stepTimes.push(t2 - t1);
  }
  const version = JSON.parse(
    fs.readFileSync(
      path.join(
        process.cwd(),
        "node_modules/@electric-sql/pglite/package.json",
      ),
      "utf8",
    ),
  ).version as string;
  return {
    database: `PGlite ${version} (embedded, on disk in a temp directory)`,
    runs: SIGNIN_RUNS,
    passwordOnly: summarise(passwordTimes),
    withApp: summarise(appTimes),
    secondStep: summarise(stepTimes),
  };
}

const ms = (n: number) => n.toFixed(1);

export function signinSection(
  r: SigninBench & { date: Date; machine: Machine },
): string {
  const met =
    r.secondStep.p50 < SECOND_STEP_GOAL_MS &&
    r.secondStep.p95 < SECOND_STEP_GOAL_MS;
  return `## Sign-in with two-step sign-in (\`npm run bench -- --only signin\`)

Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.database}.

${r.runs} sign-ins of each kind after ${SIGNIN_WARM_UP} warm-up runs, one after another, in one
process: the password check alone (argon2id), and the password check followed by the second step
for an account with an authenticator app (open the challenge, read it back as the second-step page
does, answer it with the current code). Server time only; no browser or network.

| Sign-in | p50 ms | p95 ms | max ms |
| ------- | -----: | -----: | -----: |
| Password only | ${ms(r.passwordOnly.p50)} | ${ms(r.passwordOnly.p95)} | ${ms(r.passwordOnly.max)} |
| Password and authenticator code | ${ms(r.withApp.p50)} | ${ms(r.withApp.p95)} | ${ms(r.withApp.max)} |
| The second step alone | ${ms(r.secondStep.p50)} | ${ms(r.secondStep.p95)} | ${ms(r.secondStep.max)} |

Goal: the second step adds under ${SECOND_STEP_GOAL_MS} ms of server time. **${met ? "Met" : "Not met"}**
(p50 ${ms(r.secondStep.p50)} ms, p95 ${ms(r.secondStep.p95)} ms).
`;
}
