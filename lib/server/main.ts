import cluster from "node:cluster";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import {
  isOsTicketPath,
  sendWithContentLength,
} from "@/lib/server/content-length";
import {
  isDirectRequest,
  offeredDirectHandler,
  serveDirect,
} from "@/lib/server/direct";
import { PEER_HEADER } from "@/lib/server/peer";

// Portico's HTTP server: Next's request handler behind a plain Node server, for two reasons. Route
// handlers cannot see the TCP peer, and the osTicket API binds keys to it: every request gets the
// peer's address in PEER_HEADER, replacing any value the client sent. And the API's ticket posts are
// answered here without Next's request handling, which would cost more than the ticket does
// (lib/server/direct.ts). Runs before the app's env module exists (and without the react-server
// condition), so it reads process.env itself.

const { values } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string", short: "p" },
    hostname: { type: "string", short: "H" },
  },
});

// Like `next start` / `next dev`: React and Next pick their builds from NODE_ENV, so it is set before
// Next is loaded.
if (!process.env.NODE_ENV)
  Object.assign(process.env, {
    NODE_ENV: values.dev ? "development" : "production",
  });
// WEB_CONCURRENCY app processes share the port (node:cluster): Node runs JavaScript on one core, and
// a busy API needs more. Only on PostgreSQL: the embedded database belongs to one process.
const workers = Number(process.env.WEB_CONCURRENCY || 1);
if (!Number.isInteger(workers) || workers < 1)
  throw new Error(
    `WEB_CONCURRENCY must be a whole number ≥ 1 (got "${process.env.WEB_CONCURRENCY}")`,
  );
if (workers > 1 && !process.env.DATABASE_URL)
  throw new Error(
    "WEB_CONCURRENCY > 1 needs DATABASE_URL: the embedded database cannot be opened by two processes.",
  );
if (workers > 1 && values.dev)
  throw new Error(
    "WEB_CONCURRENCY > 1 is for production; npm run dev runs one process.",
  );
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    // A crashed worker is replaced, as a process manager would.
    console.error(
      `Worker ${worker.process.pid} exited (${signal ?? code}); starting another.`,
    );
    cluster.fork();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.on(sig, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {}))
        worker?.kill(sig);
      // Workers finish their in-flight requests; the primary leaves when they have.
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    });
} else {
  // A worker whose primary is gone (killed outright) must not linger holding the port.
  if (cluster.isWorker) process.on("disconnect", () => process.exit(0));
  await serve();
}

async function serve(): Promise<void> {
  const { default: next } = await import("next");

  const port = Number(values.port ?? process.env.PORT ?? 3000);
  // Unset listens on every interface, IPv4 and IPv6, like `next start`.
  const hostname = values.hostname ?? process.env.HOSTNAME;

  const app = next({
    dev: values.dev,
    dir: process.cwd(),
    hostname: hostname ?? "localhost",
    port,
  });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    // Next may read the raw list as well: drop any copy the client sent.
    for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
      if (req.rawHeaders[i]!.toLowerCase() === PEER_HEADER)
        req.rawHeaders.splice(i, 2);
    }
    // Offered by instrumentation.ts, which Next runs on the first request: until then (and should it
    // fail) the API goes through Next. Not under `next dev`, which recompiles the routes on edits.
    const direct = values.dev ? undefined : offeredDirectHandler();
    if (direct && isDirectRequest(req)) {
      void serveDirect(req, res, direct);
      return;
    }
    if (isOsTicketPath(req.url)) sendWithContentLength(res);
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout, as `next start` does
  server.listen(port, hostname, () => {
    // One line per server, not per worker.
    if (cluster.isPrimary || cluster.worker?.id === 1)
      console.log(
        `Portico ready on http://${hostname ?? "localhost"}:${port}${values.dev ? " (dev)" : ""}${workers > 1 ? ` (${workers} processes)` : ""}`,
      );
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.close();
      void app.close().finally(() => process.exit(0));
    });
  }
}
