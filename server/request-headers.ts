import type { IncomingMessage } from "node:http";
import { normalizeIp } from "@/lib/peer";

// Request headers Portico's server rewrites before Next sees them, in the parsed headers and in the raw
// list, which Next may read as well.

/** Sets a request header, replacing every copy the client sent; undefined removes it. */
export function setRequestHeader(
  req: IncomingMessage,
  name: string,
  value: string | undefined,
): void {
  const lower = name.toLowerCase();
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i]!.toLowerCase() === lower) req.rawHeaders.splice(i, 2);
  }
  if (value === undefined) {
    delete req.headers[lower];
  } else {
    req.headers[lower] = value;
    req.rawHeaders.push(name, value);
  }
}

// What a reverse proxy says about the original request. Next believes X-Forwarded-Host when it checks
// a server action's Origin, and X-Forwarded-Proto for the request's URL; X-Forwarded-For names the
// client. Only a proxy in TRUSTED_PROXIES may say these things.
const PROXY_HEADERS = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-for",
  "forwarded",
];

/** Removes the proxy headers unless the TCP peer is a trusted proxy. */
export function dropUntrustedProxyHeaders(
  req: IncomingMessage,
  isTrustedProxy: (ip: string) => boolean,
): void {
  if (isTrustedProxy(normalizeIp(req.socket.remoteAddress ?? ""))) return;
  for (const name of PROXY_HEADERS) setRequestHeader(req, name, undefined);
}
