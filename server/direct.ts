import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { DirectHandler, WebhookPost } from "@/lib/direct-handler";
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

const WEBHOOK_PATH = /^\/api\/webhooks\/(?:stripe|shopify)$/;

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
  const path = (req.url ?? "/").split("?", 1)[0]!;
  if (handler.webhook && WEBHOOK_PATH.test(path))
    return serveWebhook(req, res, path, handler.webhook);
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

/**
 * Answers a webhook delivery without a web Request or Response: the body read whole (at most the
 * small-body limit, which Portico's server checked from its Content-Length), the answer as JSON.
 */
async function serveWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  webhook: NonNullable<DirectHandler["webhook"]>,
): Promise<void> {
  let status: number;
  let body: string;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const post: WebhookPost = {
      path,
      headers: { get: (name) => headerOf(req, name) },
      body: Buffer.concat(chunks).toString("utf8"),
    };
    const reply = await webhook(post);
    status = reply.status;
    body = JSON.stringify(reply.body);
  } catch (error) {
    if (req.destroyed && !req.complete) return; // the sender left before its body arrived
    console.error("Direct request failed:", error);
    status = 500;
    body = "";
  }
  if (res.destroyed) return;
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  if (body) {
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
  }
  res.setHeader("content-length", Buffer.byteLength(body));
  res.statusCode = status;
  res.end(body);
}

/** A request header as Headers.get gives it: repeated values joined, null when absent. */
function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
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
