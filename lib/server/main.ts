import { createServer } from "node:http";
import { parseArgs } from "node:util";
import {
  isOsTicketPath,
  sendWithContentLength,
} from "@/lib/server/content-length";
import { PEER_HEADER } from "@/lib/server/peer";

// Portico's HTTP server: Next's request handler behind a plain Node server, for one reason: route
// handlers cannot see the TCP peer, and the osTicket API binds keys to it. Every request gets the
// peer's address in PEER_HEADER, replacing any value the client sent. Runs before the app's env
// module exists (and without the react-server condition), so it reads process.env itself.

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
  if (isOsTicketPath(req.url)) sendWithContentLength(res);
  void handle(req, res);
});
server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout, as `next start` does
server.listen(port, hostname, () => {
  console.log(
    `Portico ready on http://${hostname ?? "localhost"}:${port}${values.dev ? " (dev)" : ""}`,
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
