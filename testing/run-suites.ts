// `npm test`: every suite, in order, on a Debian machine with nothing but Node and npm installed.
// Provisions what the suites need (Chromium and Dovecot through apt when missing), never skips a suite silently,
// and ends with the line CI reads: "N passed, N failed".
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Outcome = {
  suite: string;
  passed: number;
  failed: number;
  note?: string;
  /** Not run, on purpose: listed so the summary shows what was left out. */
  skipped?: boolean;
  /** The failed tests, named again under the summary: CI often shows only the log's end. */
  failures?: string[];
};

/** A failure's first line, cut short: enough to find it in the log above. */
const firstLine = (message: string | undefined) =>
  (message ?? "")
    .split("\n")
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 200) ?? "";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const out = fs.mkdtempSync(path.join(os.tmpdir(), "portico-test-"));
const outcomes: Outcome[] = [];
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  FORCE_COLOR: process.env.CI ? "0" : "1",
};

function run(
  cmd: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 20 * 60_000,
): Promise<number> {
  console.log(
    `\n▶ ${[cmd, ...args].map((a) => path.relative(root, a) || a).join(" ")}`,
  );
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: "inherit",
      env: { ...env, ...extraEnv },
    });
    const timer = setTimeout(() => {
      console.error(`✗ timed out after ${timeoutMs / 1000} s`);
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

/** A Debian package the suites need: installed through apt when missing, or a clear failure. */
function ensureDebianPackage(pkg: string, probe: string): string | null {
  if (fs.existsSync(probe)) return null;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (!isRoot || !hasApt)
    return `${probe} is missing: install the Debian package "${pkg}" (apt-get install ${pkg}).`;
  console.log(`\n▶ installing ${pkg} (apt-get), needed by the test suites`);
  const apt = (args: string[]) =>
    spawnSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  if (!apt(["install", "-y", "-qq", "--no-install-recommends", pkg])) {
    apt(["update", "-qq"]);
    apt(["install", "-y", "-qq", "--no-install-recommends", pkg]);
  }
  return fs.existsSync(probe)
    ? null
    : `apt-get could not install "${pkg}"; install it by hand and run again.`;
}

async function vitest(
  suite: string,
  args: string[],
  extraEnv: Record<string, string> = {},
) {
  const report = path.join(out, `${suite.replace(/\W+/g, "-")}.json`);
  const code = await run(
    bin("vitest"),
    [
      "run",
      ...args,
      "--reporter=default",
      "--reporter=json",
      `--outputFile=${report}`,
    ],
    extraEnv,
  );
  try {
    const j = JSON.parse(fs.readFileSync(report, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: {
        name: string;
        status: string;
        message?: string;
        assertionResults: {
          fullName: string;
          status: string;
          failureMessages: string[];
        }[];
      }[];
    };
    // A crash outside any test (a broken import, a failing hook) still fails the run.
    const failed = j.numFailedTests || (code === 0 ? 0 : 1);
    const failures = j.testResults.flatMap((file) => {
      const where = path.relative(root, file.name);
      const tests = file.assertionResults
        .filter((a) => a.status === "failed")
        .map(
          (a) => `${where} › ${a.fullName}: ${firstLine(a.failureMessages[0])}`,
        );
      return tests.length === 0 && file.status === "failed"
        ? [`${where}: ${firstLine(file.message)}`]
        : tests;
    });
    outcomes.push({ suite, passed: j.numPassedTests, failed, failures });
  } catch {
    outcomes.push({
      suite,
      passed: 0,
      failed: 1,
      note: `vitest exited ${code} without a report`,
    });
  }
}

async function check(suite: string, cmd: string, args: string[]) {
  const code = await run(cmd, args);
  outcomes.push({
    suite,
    passed: code === 0 ? 1 : 0,
    failed: code === 0 ? 0 : 1,
  });
  return code === 0;
}

type PlaywrightSuite = {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    file: string;
    ok: boolean;
    tests: { results: { error?: { message?: string } }[] }[];
  }[];
};

function failedSpecs(
  suites: PlaywrightSuite[],
  trail: string[] = [],
): string[] {
  return suites.flatMap((suite) => {
    const here = suite.file === suite.title ? trail : [...trail, suite.title];
    return [
      ...(suite.specs ?? [])
        .filter((spec) => !spec.ok)
        .map((spec) => {
          const error = spec.tests
            .flatMap((t) => t.results)
            .find((r) => r.error)?.error?.message;
          return `${spec.file} › ${[...here, spec.title].join(" › ")}: ${firstLine(error)}`;
        }),
      ...failedSpecs(suite.suites ?? [], here),
    ];
  });
}

async function playwright() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const missing = ensureDebianPackage("chromium", chromium);
  if (missing) {
    outcomes.push({
      suite: "e2e (Playwright)",
      passed: 0,
      failed: 1,
      note: missing,
    });
    return;
  }
  const report = path.join(out, "playwright.json");
  const code = await run(
    bin("playwright"),
    ["test", "-c", "e2e/playwright.config.ts", "--reporter=list,json"],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    },
    30 * 60_000,
  );
  try {
    const { stats, suites } = JSON.parse(fs.readFileSync(report, "utf8")) as {
      stats: { expected: number; unexpected: number; flaky: number };
      suites: PlaywrightSuite[];
    };
    outcomes.push({
      suite: "e2e (Playwright)",
      passed: stats.expected + stats.flaky,
      failed: stats.unexpected || (code === 0 ? 0 : 1),
      failures: failedSpecs(suites),
    });
  } catch {
    outcomes.push({
      suite: "e2e (Playwright)",
      passed: 0,
      failed: 1,
      note: `playwright exited ${code} without a report`,
    });
  }
}

async function main() {
  const started = Date.now();
  await check("lint (eslint)", bin("eslint"), ["--max-warnings=0", "."]);
  await check("format (prettier)", bin("prettier"), ["--check", "."]);
  // The IMAP integration tests start their own Dovecot (testing/dovecot.ts).
  const missingDovecot = ensureDebianPackage(
    "dovecot-imapd",
    "/usr/sbin/dovecot",
  );
  if (missingDovecot)
    outcomes.push({
      suite: "IMAP server (Dovecot)",
      passed: 0,
      failed: 1,
      note: missingDovecot,
    });
  await vitest("unit + integration (PGlite)", []);
  if (process.env.TEST_DATABASE_URL) {
    await vitest("integration (PostgreSQL)", ["--project", "integration"], {
      TEST_DRIVER: "postgres",
    });
  } else {
    outcomes.push({
      suite: "integration (PostgreSQL)",
      passed: 0,
      failed: 0,
      skipped: true,
      note: "skipped: TEST_DATABASE_URL not set",
    });
  }
  // What `npm run build` does: Next's build, then the compiled server (.next/portico/server.mjs).
  if (
    await check("build (next build, server, types)", bin("tsx"), [
      "server/build.ts",
    ])
  )
    await playwright();
  else
    outcomes.push({
      suite: "e2e (Playwright)",
      passed: 0,
      failed: 1,
      note: "not run: the build failed",
    });

  console.log("\nSuites:");
  for (const o of outcomes) {
    console.log(
      o.skipped
        ? `  – ${o.suite.padEnd(32)} ${o.note}`
        : `  ${o.failed ? "✗" : "✓"} ${o.suite.padEnd(32)} ${o.passed} passed, ${o.failed} failed${o.note ? `  (${o.note})` : ""}`,
    );
    for (const f of o.failures ?? []) console.log(`      ✗ ${f}`);
  }
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  console.log(`\nin ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  fs.rmSync(out, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

void main();
