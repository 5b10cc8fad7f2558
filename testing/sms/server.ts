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

/** What both fakes hand back to a test; `Mode` names a provider's own extra modes. */
export type FakeSmsProvider<Mode extends string = never> = {
  url: string;
  /** Texts accepted, oldest first. */
  messages: FakeSms[];
  setMode: (mode: Mode | FakeSmsMode, options?: FakeSmsModeOptions) => void;
  close: () => Promise<void>;
};

export type ProviderAnswer = (
  request: FakeRequest,
  state: {
    mode: string;
    messages: FakeSms[];
    /** Retry-After for the mode's reply, when the test gave one. */
    waitHeaders: Record<string, string>;
  },
) => FakeReply;

/**
 * Starts a provider on loopback (`port` 0 picks a free one). "hang" and "server_error" are handled
 * here, with the provider's own 500 body; every other request goes to `answer`.
 */
export async function startFakeSmsProvider<Mode extends string = never>(
  port: number,
  serverError: FakeReply,
  answer: ProviderAnswer,
): Promise<FakeSmsProvider<Mode>> {
  const messages: FakeSms[] = [];
  let mode: string = "normal";
  let waitHeaders: Record<string, string> = {};

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (mode === "hang") return;
      const reply =
        mode === "server_error"
          ? { ...serverError, headers: waitHeaders }
          : answer(
              {
                method: req.method ?? "",
                pathname: new URL(req.url ?? "/", "http://fake").pathname,
                contentType: req.headers["content-type"] ?? "",
                raw: Buffer.concat(chunks).toString("utf8"),
                credentials: basicCredentials(req.headers.authorization),
              },
              { mode, messages, waitHeaders },
            );
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
    messages,
    setMode: (next, options = {}) => {
      mode = next;
      waitHeaders =
        options.retryAfterSeconds === undefined
          ? {}
          : { "Retry-After": String(options.retryAfterSeconds) };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
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
