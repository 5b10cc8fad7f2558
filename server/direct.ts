import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { DirectHandler } from "@/lib/direct-handler";
import { SECURITY_HEADERS } from "@/server/security-headers";

// The osTicket API's ticket posts and Stripe's and Shopify's webhook deliveries are answered by Portico's server
// itself, not through Next's request handling: that costs more CPU than creating the ticket or
// applying the event does, and both are machine traffic with no pages, sessions or middleware to
// serve (docs/benchmarks.md). The handler routes by URL to the same functions the route files use;
// start-up offers it from inside Next's build (lib/direct-handler.ts), where the app's modules (and its database handle)
// live. Everything else, those URLs' other methods included, still goes to Next.

// Exactly the six URLs osTicket callers post to (docs/api.md §1) and the two webhooks, query string allowed. Anything less
// plain (a trailing slash, percent-escapes) is left to Next's router, which answers it as before.
const DIRECT_URL =
  /^\/api\/(?:(?:http\.php\/)?tickets\.(?:json|xml|email)|webhooks\/(?:stripe|shopify))(?:\?|$)/;

export function isDirectRequest(req: IncomingMessage): boolean {
  return req.method === "POST" && DIRECT_URL.test(req.url ?? "");
}

/**
 * Answers `req` with `handler`: the Node request as a web Request (its body streamed, its signal
 * aborted if the client leaves first), the web Response sent whole with its Content-Length, as
 * osTicket does (docs/api.md §3), and with the headers Next would add to every answer.
 */
export async function serveDirect(
  req: IncomingMessage,
  res: ServerResponse,
  handler: DirectHandler,
): Promise<void> {
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  let response: Response;
  let body: Buffer;
  try {
    response = await handler(toWebRequest(req, gone.signal));
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    // As Next answers a route handler that throws: logged, and a bare 500.
    console.error("Direct request failed:", error);
    response = new Response(null, { status: 500 });
    body = Buffer.alloc(0);
  }
  if (res.destroyed) return;
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.setHeader("content-length", body.byteLength);
  res.statusCode = response.status;
  res.end(body);
}

function toWebRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value])
      headers.append(name, v);
  }
  // Only the path is read; the Host header is the client's and need not make a valid URL.
  return new Request(new URL(req.url ?? "/", "http://localhost"), {
    method: req.method,
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: "half",
    signal,
  } as RequestInit & { duplex: "half" });
}
