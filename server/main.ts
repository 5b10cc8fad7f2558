import cluster from "node:cluster";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { offeredDirectHandler } from "@/lib/direct-handler";
import { createEdgeHandler } from "@/server/edge";
import { listenAddress } from "@/server/listen-address";
import { proxyMatcher, trustedProxyList } from "@/lib/peer";
import { attachmentMaxMb, uploadFormBodyLimit } from "@/server/upload-limit";

// Portico's HTTP server: Next's request handler behind a plain Node server, which does at the edge
// what Next cannot (server/edge.ts). Route handlers cannot see the TCP peer, and the osTicket API
// binds keys to it; proxy headers count only from TRUSTED_PROXIES; request bodies are held to their
// form's limit before Next reads them; pages get a Content-Security-Policy with a fresh script nonce.
// And the API's ticket posts are answered here without Next's request handling, which would cost more
// than the ticket does (server/direct.ts). Runs before the app's env module exists (and without
// the react-server condition), so it reads process.env itself.

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
  const app = next({
    dev: values.dev,
    dir: process.cwd(),
    hostname: values.hostname ?? process.env.HOSTNAME ?? "localhost",
    port,
  });
  const handle = app.getRequestHandler();
  await app.prepare();

  // Unset, the portal's own address: mail links, Stripe's return URLs and next-auth (which warns
  // without it) then point at this server rather than a default port. Set after prepare(), so a
  // value from the .env files wins.
  if (!process.env.NEXTAUTH_URL) {
    const own = values.hostname ?? process.env.HOSTNAME;
    const host =
      !own || ["0.0.0.0", "::", "127.0.0.1", "::1"].includes(own)
        ? "localhost"
        : own.includes(":")
          ? `[${own}]`
          : own;
    process.env.NEXTAUTH_URL = `http://${host}:${port}`;
  }

  // Read after prepare(): Next has loaded the .env files into process.env by then.
  const address = listenAddress(values.hostname, {
    HOSTNAME: process.env.HOSTNAME,
    DATABASE_URL: process.env.DATABASE_URL,
    SEED_DEMO_DATA: process.env.SEED_DEMO_DATA,
  });
  const server = createServer(
    createEdgeHandler({
      next: handle,
      // Offered by instrumentation.ts, which Next runs on the first request: until then (and should
      // it fail) the API goes through Next.
      direct: offeredDirectHandler,
      isTrustedProxy: proxyMatcher(
        trustedProxyList(process.env.TRUSTED_PROXIES),
      ),
      uploadBodyLimit: uploadFormBodyLimit(
        attachmentMaxMb(process.env.ATTACHMENT_MAX_MB),
      ),
      dev: values.dev,
    }),
  );
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout, as `next start` does
  // Unset hostname listens on every interface, IPv4 and IPv6, like `next start`.
  server.listen(port, address.hostname, () => {
    // One line per server, not per worker.
    if (cluster.isPrimary || cluster.worker?.id === 1) {
      if (address.notice) console.log(address.notice);
      const shown =
        address.hostname === undefined || address.hostname === "127.0.0.1"
          ? "localhost"
          : address.hostname;
      console.log(
        `Portico ready on http://${shown}:${port}${values.dev ? " (dev)" : ""}${workers > 1 ? ` (${workers} processes)` : ""}`,
      );
    }
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.close();
      void app.close().finally(() => process.exit(0));
    });
  }
}
