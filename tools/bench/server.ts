// The production build (`.next`, served by server/main.ts as in production) on a bench database,
// for the benches that measure over real HTTP.
import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import net from "node:net";
import type { BenchDatabase } from "@/tools/bench/bench-database";

const HEALTH_TIMEOUT_MS = 90_000;

/**
 * Starts the server on a free loopback port against `db`, with `env` on top of the bench defaults,
 * and waits until it is healthy on PostgreSQL; returns its base URL. `db`'s cleanup stops it.
 */
export async function startBenchServer(
  db: BenchDatabase,
  env: Record<string, string>,
): Promise<string> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log(`Created ${db.name}; starting the production server on ${base}.`);
  // The compiled server of `npm run build`, as production runs it: one process, which SIGKILL stops.
  const server = spawn(
    process.execPath,
    [".next/portico/server.mjs", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: process.cwd(),
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: db.url,
        NEXTAUTH_URL: base,
        NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
        LOG_LEVEL: "warn",
        // No in-process mail job: mail stays in the outbox, as with SMTP_URL unset.
        JOBS_INTERVAL_SECONDS: "0",
        SMTP_URL: "",
        TRUSTED_PROXIES: "",
        ...env,
      },
    },
  );
  db.onCleanup(() => stopServer(server));
  await waitForHealth(base, server);
  return base;
}

/** A port nobody listens on right now, from the kernel. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await once(probe, "close");
  return port;
}

async function waitForHealth(base: string, server: ChildProcess) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(
        `The server exited (${server.exitCode ?? server.signalCode}) before it was ready.`,
      );
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) {
        const body = (await res.json()) as { database?: { driver?: string } };
        if (body.database?.driver !== "postgres")
          throw new Error(
            `The server is not on PostgreSQL (${body.database?.driver}).`,
          );
        return;
      }
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // fetch failed: not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `The server was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s.`,
  );
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, "exit");
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
