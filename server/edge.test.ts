import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readBodyWithLimit } from "@/lib/osticket/read-body";
import { createEdgeHandler, type EdgeOptions } from "@/server/edge";
import { PEER_HEADER, proxyMatcher } from "@/lib/peer";
import { discardBodyAfterAnswer } from "@/server/unread-body";

// Portico's server at the edge, as raw clients meet it: a client that writes its whole body before
// reading (as Python's http.client does), proxies trusted or not, and the page's script nonce.

const MB = 1024 * 1024;
const SESSION = "next-auth.session-token=eyJhbGciOiJkaXIifQ.x.y.z.w";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<number> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** What Next would do with what reaches it: read the whole body, then answer. */
const nextReadingAll: EdgeOptions["next"] = async (req, res) => {
  let bytes = 0;
  for await (const chunk of req) bytes += (chunk as Buffer).byteLength;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ bytes, headers: req.headers }));
};

function edge(options: Partial<EdgeOptions> = {}): Promise<number> {
  return listen(
    createEdgeHandler({
      next: nextReadingAll,
      direct: () => undefined,
      isTrustedProxy: () => false,
      uploadBodyLimit: 20 * MB,
      dev: false,
      ...options,
    }),
  );
}

type Exchange = {
  /** The raw answer: status line, headers and body. */
  answer: string;
  status: number;
  /** Whether the server ended the connection (its FIN or a reset). */
  ended: boolean;
  /** Bytes of the body the client managed to write. */
  written: number;
  error: string | null;
};

/**
 * One request on a raw socket that writes the whole body before reading anything, the way Python's
 * http.client does. Resolves once the server closed the connection, or once the body is written and a
 * whole answer is in; rejects when neither happens within `withinMs` (a client left hanging).
 */
function rawPost(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: number,
  { chunked = false, withinMs = 4_000 } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    // Half-open, as Python's sockets are: the server's FIN does not stop the client writing.
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    let answer = Buffer.alloc(0);
    let written = 0;
    let bodyDone = false;
    let error: string | null = null;
    let ended = false;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const text = answer.toString("latin1");
      resolve({
        answer: text,
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        ended,
        written,
        error,
      });
    };
    // A whole answer is in and the body is out: a server ending the connection has sent its FIN by now,
    // or will within a moment; one keeping it open never will.
    const settle = () => setTimeout(finish, 50);
    const answerIsWhole = () => {
      const text = answer.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
      return (
        split >= 0 &&
        length !== undefined &&
        answer.byteLength >= split + 4 + Number(length)
      );
    };
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `no answer within ${withinMs} ms; wrote ${written} of ${body} bytes, got: ${answer.toString("latin1").slice(0, 80)}`,
          ),
        ),
      withinMs,
    );
    socket.on("data", (chunk) => {
      answer = Buffer.concat([answer, chunk]);
      if (bodyDone && answerIsWhole()) settle();
    });
    socket.on("end", () => {
      ended = true;
      if (bodyDone && answerIsWhole()) finish();
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", () => {
      ended = true;
      finish();
    });

    const head = Object.entries({
      host: "portico.test",
      ...(chunked
        ? { "transfer-encoding": "chunked" }
        : { "content-length": String(body) }),
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
    const piece = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (written < body) {
        const n = Math.min(piece.byteLength, body - written);
        const data = piece.subarray(0, n);
        written += n;
        const more = socket.write(
          chunked
            ? Buffer.concat([
                Buffer.from(`${n.toString(16)}\r\n`),
                data,
                Buffer.from("\r\n"),
              ])
            : data,
        );
        if (!more) {
          socket.once("drain", pump);
          return;
        }
      }
      if (chunked) socket.write("0\r\n\r\n");
      bodyDone = true;
      if (answerIsWhole()) settle();
    };
    pump();
  });
}

describe("an oversized body written whole, without Expect: 100-continue", () => {
  it("gets the 413 on an anonymous server-action post, and the connection ends", async () => {
    let reachedNext = false;
    const port = await edge({
      next: async (_req, res) => {
        reachedNext = true;
        res.end();
      },
    });
    const sent = await rawPost(
      port,
      "/sign-in",
      { "next-action": "7f00aa", "content-type": "multipart/form-data" },
      9 * MB,
    );
    expect(sent.status).toBe(413);
    expect(sent.answer).toContain("at most 1 MB");
    expect(sent.written).toBe(9 * MB);
    expect(sent.ended).toBe(true);
    expect(sent.error).toBeNull();
    expect(reachedNext).toBe(false);
  });

  it("gets it too when the client asked to close the connection (Python's urllib)", async () => {
    const port = await edge();
    const sent = await rawPost(
      port,
      "/sign-up",
      { connection: "close", "content-type": "multipart/form-data" },
      9 * MB,
    );
    expect(sent.status).toBe(413);
    expect(sent.written).toBe(9 * MB);
    expect(sent.ended).toBe(true);
    expect(sent.error).toBeNull();
  });

  it("is refused on a signed-in post to a form that uploads nothing", async () => {
    const port = await edge();
    const sent = await rawPost(
      port,
      "/staff/settings/departments",
      { cookie: SESSION, "next-action": "7f00aa" },
      9 * MB,
    );
    expect(sent.status).toBe(413);
  });

  it("is refused on an upload form without a session", async () => {
    const port = await edge();
    const sent = await rawPost(
      port,
      "/tickets/new",
      { "next-action": "7f00aa" },
      9 * MB,
    );
    expect(sent.status).toBe(413);
  });

  it("is refused on a signed-in upload form past a full set of attachments", async () => {
    const port = await edge({ uploadBodyLimit: 5 * MB });
    const sent = await rawPost(
      port,
      "/tickets/123456",
      { cookie: SESSION, "next-action": "7f00aa" },
      6 * MB,
    );
    expect(sent.status).toBe(413);
    expect(sent.answer).toContain("at most 5 MB");
  });

  it("is refused when its length is not declared (chunked), before Next reads it", async () => {
    let reachedNext = false;
    const port = await edge({
      next: async (_req, res) => {
        reachedNext = true;
        res.end();
      },
    });
    const sent = await rawPost(port, "/sign-in", {}, 3 * MB, {
      chunked: true,
    });
    expect(sent.status).toBe(411);
    expect(reachedNext).toBe(false);
  });

  it("reaches Next whole when a signed-in upload form sends it", async () => {
    const port = await edge();
    const sent = await rawPost(
      port,
      "/staff/tickets/123456",
      { cookie: `theme=dark; ${SESSION}`, "next-action": "7f00aa" },
      9 * MB,
    );
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.answer.split("\r\n\r\n")[1]!).bytes).toBe(9 * MB);
  });

  it("gets the osTicket API's own answer when it refuses before reading (no API key)", async () => {
    const port = await edge({
      direct: () => async () =>
        new Response("API key required", { status: 401 }),
    });
    const sent = await rawPost(port, "/api/tickets.json", {}, 9 * MB);
    expect(sent.status).toBe(401);
    expect(sent.written).toBe(9 * MB);
  });

  it.each([
    ["declared", false],
    ["chunked", true],
  ] as const)(
    "gets the osTicket API's 413 for a %s body past its limit",
    async (_label, chunked) => {
      const port = await edge({
        direct: () => async (req) => {
          const body = await readBodyWithLimit(req, 8 * MB);
          return body === "too_large"
            ? new Response("Request body too large", { status: 413 })
            : new Response(String(body.byteLength), { status: 201 });
        },
      });
      const sent = await rawPost(
        port,
        "/api/tickets.json",
        { "x-api-key": "K" },
        9 * MB,
        { chunked },
      );
      expect(sent.status).toBe(413);
      expect(sent.written).toBe(9 * MB);
      expect(sent.error).toBeNull();
    },
  );

  it("lets the API take a body within its limit", async () => {
    const port = await edge({
      direct: () => async (req) => {
        const body = await readBodyWithLimit(req, 8 * MB);
        return new Response(
          body === "too_large" ? "too large" : String(body.byteLength),
          { status: 201 },
        );
      },
    });
    const sent = await rawPost(port, "/api/tickets.json", {}, 7 * MB, {
      chunked: true,
    });
    expect(sent.status).toBe(201);
    expect(sent.answer.endsWith(String(7 * MB))).toBe(true);
  });

  it("gets Next's answer when a handler stops reading halfway", async () => {
    const port = await edge({
      next: async (req, res) => {
        await new Promise((resolve) => req.once("data", resolve));
        req.pause();
        res.statusCode = 413;
        res.end("too large");
      },
    });
    const sent = await rawPost(
      port,
      "/api/tickets.json/",
      { connection: "close" },
      9 * MB,
    );
    expect(sent.status).toBe(413);
    expect(sent.written).toBe(9 * MB);
    expect(sent.error).toBeNull();
  });
});

describe("the rest of a body left unread after the answer", () => {
  const answerAtOnce =
    (limits: { maxBytes: number; idleMs: number }): Handler =>
    (req, res) => {
      discardBodyAfterAnswer(req, res, limits);
      res.statusCode = 413;
      res.setHeader("content-length", 2);
      res.end("no");
    };

  it("is read only up to a bound: past it, the server hangs up", async () => {
    const port = await listen(
      answerAtOnce({ maxBytes: 2 * MB, idleMs: 10_000 }),
    );
    const sent = await rawPost(port, "/", {}, 200 * MB);
    expect(sent.ended).toBe(true);
    expect(sent.written).toBeLessThan(200 * MB);
  });

  it("is waited for only while it keeps coming: a client that stops sending is hung up on", async () => {
    const port = await listen(answerAtOnce({ maxBytes: 2 * MB, idleMs: 200 }));
    const socket = connect(port, "127.0.0.1");
    socket.write(
      "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1000000\r\n\r\nsome",
    );
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      socket.on("close", () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.on("error", () => {});
      socket.resume();
    });
    expect(closed).toBe(true);
  });

  it("leaves a kept-alive connection usable once it is read", async () => {
    const port = await listen(
      answerAtOnce({ maxBytes: 2 * MB, idleMs: 10_000 }),
    );
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => (received += d.toString("latin1")));
    const request = `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n${"a".repeat(100_000)}`;
    socket.write(request + request);
    await expect
      .poll(() => received.match(/HTTP\/1\.1 413/g)?.length ?? 0)
      .toBe(2);
    socket.destroy();
  });
});

describe("proxy headers", () => {
  const seenBy = async (
    port: number,
    headers: Record<string, string>,
  ): Promise<Record<string, string>> => {
    const res = await fetch(`http://127.0.0.1:${port}/sign-in`, { headers });
    return ((await res.json()) as { headers: Record<string, string> }).headers;
  };
  const forwarded = {
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
    "x-forwarded-port": "443",
    "x-forwarded-for": "198.51.100.7",
    forwarded: "for=198.51.100.7;host=evil.example",
  };

  it("are dropped when the peer is not a trusted proxy", async () => {
    const port = await edge({ isTrustedProxy: proxyMatcher(["10.0.0.0/8"]) });
    const headers = await seenBy(port, forwarded);
    for (const name of Object.keys(forwarded))
      expect(headers[name], name).toBeUndefined();
  });

  it("are kept from a trusted proxy", async () => {
    const port = await edge({ isTrustedProxy: proxyMatcher(["127.0.0.1"]) });
    const headers = await seenBy(port, forwarded);
    expect(headers["x-forwarded-host"]).toBe("evil.example");
    expect(headers["x-forwarded-proto"]).toBe("https");
    expect(headers["x-forwarded-for"]).toBe("198.51.100.7");
  });

  it("never let a client name the peer", async () => {
    const port = await edge();
    const headers = await seenBy(port, { [PEER_HEADER]: "10.1.2.3" });
    expect(headers[PEER_HEADER]).toBe("127.0.0.1");
  });
});

describe("a server-action post from another site", () => {
  const action = async (
    port: number,
    headers: Record<string, string>,
  ): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${port}/sign-in`, {
      method: "POST",
      headers: {
        "next-action": "7f00aa",
        "content-type": "text/plain",
        ...headers,
      },
      body: "[]",
    });
    await res.arrayBuffer();
    return res.status;
  };

  it("is refused with a 403 before Next runs it", async () => {
    let reachedNext = false;
    const port = await edge({
      next: async (_req, res) => {
        reachedNext = true;
        res.end();
      },
    });
    expect(await action(port, { origin: "https://evil.example" })).toBe(403);
    expect(await action(port, { origin: "not a url" })).toBe(403);
    expect(await action(port, { origin: "null" })).toBe(403);
    expect(reachedNext).toBe(false);
  });

  it("cannot pass by naming its own host in X-Forwarded-Host, unless a trusted proxy says so", async () => {
    const forged = {
      origin: "https://evil.example",
      "x-forwarded-host": "evil.example",
    };
    expect(await action(await edge(), forged)).toBe(403);
    const behindProxy = await edge({
      isTrustedProxy: proxyMatcher(["127.0.0.1"]),
    });
    expect(await action(behindProxy, forged)).toBe(200);
  });

  it("goes through from this site, and without an Origin", async () => {
    const port = await edge();
    expect(await action(port, { origin: `http://127.0.0.1:${port}` })).toBe(
      200,
    );
    expect(await action(port, {})).toBe(200);
  });
});

describe("the Content-Security-Policy", () => {
  const get = (port: number, path: string, headers?: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}${path}`, { headers });
  const nonceOf = (policy: string | null | undefined) =>
    /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

  it("gives each page a fresh nonce, the same one Next reads from the request", async () => {
    const port = await edge();
    const first = await get(port, "/staff/dashboard");
    const second = await get(port, "/staff/dashboard");
    const policy = first.headers.get("content-security-policy");
    const seen = ((await first.json()) as { headers: Record<string, string> })
      .headers["content-security-policy"];
    expect(seen).toBe(policy);
    expect(nonceOf(policy)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(
      nonceOf(policy),
    );
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it("cannot be chosen by the client", async () => {
    const port = await edge();
    const res = await get(port, "/", {
      "content-security-policy": "script-src 'nonce-chosenbyattacker'",
      "content-security-policy-report-only":
        "script-src 'nonce-chosenbyattacker'",
    });
    const { headers } = (await res.json()) as {
      headers: Record<string, string>;
    };
    expect(headers["content-security-policy"]).not.toContain(
      "chosenbyattacker",
    );
    expect(headers["content-security-policy-report-only"]).toBeUndefined();
  });

  it("is left off API answers and static assets, with no nonce for Next to find", async () => {
    const port = await edge();
    for (const path of ["/api/staff/queue", "/_next/static/chunks/app.js"]) {
      const res = await get(port, path, {
        "content-security-policy": "script-src 'nonce-chosenbyattacker'",
      });
      expect(res.headers.get("content-security-policy"), path).toBeNull();
      const { headers } = (await res.json()) as {
        headers: Record<string, string>;
      };
      expect(headers["content-security-policy"], path).toBeUndefined();
    }
  });
});

describe("an address whose %-escapes are not UTF-8", () => {
  it("gets a 400 before Next, which would fail decoding it", async () => {
    let reachedNext = 0;
    const port = await edge({
      next: async (_req, res) => {
        reachedNext++;
        res.end("page");
      },
    });
    for (const path of ["/products/%ED%A0%80", "/products/%ZZ", "/a%E0%A4%A"]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/not UTF-8 text/);
    }
    expect(reachedNext).toBe(0);
    // A well-formed escape, and a broken one in the query (read leniently), still reach the page.
    for (const path of ["/products/caf%C3%A9", "/products?q=%ED%A0%80"]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status, path).toBe(200);
    }
    expect(reachedNext).toBe(2);
  });
});
