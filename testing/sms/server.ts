import "server-only";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

// What both fake SMS providers share: a loopback HTTP server, HTTP Basic credentials, the switch that
// makes them misbehave, and the list of texts they accepted.

/**
 * "normal"; "rate_limited": every call answers 429; "server_error": 500; "hang": calls are read but
 * never answered (a client's timeout); the providers add their own refusals.
 */
export type FakeSmsMode = "normal" | "rate_limited" | "server_error" | "hang";

export type FakeSmsModeOptions = {
  /** Sent as Retry-After with "rate_limited" and "server_error". */
  retryAfterSeconds?: number;
};

/** One text the fake accepted. The body is kept so a person or a test can read the code in it. */
export type FakeSms = {
  id: string;
  to: string;
  from: string | null;
  body: string;
  at: Date;
};

export type FakeReply = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
};

export type FakeRequest = {
  method: string;
  pathname: string;
  contentType: string;
  raw: string;
  /** The Basic credentials sent, or null without a Basic Authorization header. */
  credentials: { user: string; password: string } | null;
};

export type FakeSmsServer = {
  url: string;
  close: () => Promise<void>;
};

/** Starts a server that hands each request to `answer`; `null` means "never answer". */
export async function startFakeSmsServer(
  port: number,
  answer: (request: FakeRequest) => FakeReply | null,
): Promise<FakeSmsServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const reply = answer({
        method: req.method ?? "",
        pathname: new URL(req.url ?? "/", "http://fake").pathname,
        contentType: req.headers["content-type"] ?? "",
        raw: Buffer.concat(chunks).toString("utf8"),
        credentials: basicCredentials(req.headers.authorization),
      });
      if (!reply) return;
      res.writeHead(reply.status, {
        "Content-Type": "application/json; charset=utf-8",
        ...reply.headers,
      });
      res.end(JSON.stringify(reply.body));
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve()),
  );
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The switch a test flips, and the headers the chosen mode's reply carries. */
export function createModeSwitch() {
  let mode: FakeSmsMode | string = "normal";
  let options: FakeSmsModeOptions = {};
  return {
    get: () => mode,
    set: (next: string, nextOptions: FakeSmsModeOptions = {}) => {
      mode = next;
      options = nextOptions;
    },
    headers: (): Record<string, string> =>
      options.retryAfterSeconds === undefined
        ? {}
        : { "Retry-After": String(options.retryAfterSeconds) },
  };
}

/** What both fakes accept as a phone number: + and 8 to 15 digits, as E.164 allows. */
export const isE164 = (to: string) => /^\+[1-9]\d{7,14}$/.test(to);

function basicCredentials(
  header: string | undefined,
): FakeRequest["credentials"] {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
