import "server-only";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  JSON_TYPE,
  headerValue,
  respond,
  type Access,
  type Reply,
  type RouteContext,
} from "@/testing/mailcow/routes";
import {
  addDomain,
  checkPassword,
  createState,
  isBanned,
  type DomainLimits,
  type FakeMailbox,
  type FakeMailcowState,
  type FakePasswordPolicy,
  type FakeRequest,
} from "@/testing/mailcow/state";
import {
  createSwitches,
  type FaultKind,
  type FaultOptions,
} from "@/testing/mailcow/switches";

// An in-process Mailcow speaking Mailcow's API as docs/mailcow.md describes it, over real HTTP on loopback (§9).
// Section numbers (§n) refer to docs/mailcow.md. Test-only: nothing in production points at it.
// This file wires the parts: state.ts (memory and rules), routes.ts (the API contract), switches.ts
// (the failures a test arms).

export type FakeMailcowOptions = {
  domain?: string;
  apiKey?: string;
  readOnlyKey?: string;
  /** Caller IPs the keys accept; "any" is Mailcow's "skip IP check". Default loopback. */
  allowedIps?: string[] | "any";
  maxMailboxes?: number;
  maxQuotaMib?: number;
  totalQuotaMib?: number;
  passwordPolicy?: Partial<FakePasswordPolicy>;
  /** PHP display_errors: a crash answers 200 (on, the stock default) or 500 (off). */
  displayErrors?: boolean;
  now?: () => number;
};

export type FakeMailcow = {
  url: string;
  apiKey: string;
  readOnlyKey: string;
  state: FakeMailcowState;
  failNext: (kind: FaultKind, options?: FaultOptions) => void;
  setUsage: (
    address: string,
    usage: Partial<
      Pick<FakeMailbox, "quotaUsed" | "messages" | "lastImapLogin">
    >,
  ) => void;
  setDomainLimits: (domain: string, limits: DomainLimits) => void;
  addDomain: (name: string, limits?: DomainLimits) => void;
  /** The keys' IP allow-list, as an operator edits it in Mailcow (§2). */
  setAllowedIps: (ips: string[] | "any") => void;
  checkPassword: (address: string, password: string) => boolean;
  close: () => Promise<void>;
};

export async function startFakeMailcow(
  options: FakeMailcowOptions = {},
): Promise<FakeMailcow> {
  const now = options.now ?? Date.now;
  const access: Access = {
    apiKey: options.apiKey ?? generateKey(),
    readOnlyKey: options.readOnlyKey ?? generateKey(),
    allowedIps: options.allowedIps ?? ["127.0.0.1", "::1", "::ffff:127.0.0.1"],
  };
  const state = createState(options.passwordPolicy);
  addDomain(state, options.domain ?? "example.net", {
    ...(options.maxMailboxes !== undefined && {
      maxMailboxes: options.maxMailboxes,
    }),
    ...(options.maxQuotaMib !== undefined && {
      maxQuotaMib: options.maxQuotaMib,
    }),
    ...(options.totalQuotaMib !== undefined && {
      totalQuotaMib: options.totalQuotaMib,
    }),
  });
  const ctx: RouteContext = {
    state,
    access,
    displayErrors: options.displayErrors ?? true,
    now,
  };
  const switches = createSwitches();

  const server = http.createServer((req, res) => {
    const ip = req.socket.remoteAddress ?? "";
    if (isBanned(state, ip, now())) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const { pathname } = new URL(req.url ?? "/", "http://fake");
      // Recorded on arrival, so a request that is never answered still counts.
      const record: FakeRequest = {
        method: req.method ?? "",
        route: pathname.replace(/^\/api\/v1\//, ""),
        status: 0,
        hadKey: headerValue(req.headers["x-api-key"]) !== undefined,
      };
      state.requests.push(record);
      switches.serve({
        pathname,
        answer: () => respond(ctx, req, raw, ip),
        send: (reply: Reply) => {
          record.status = reply.status;
          res.writeHead(reply.status, {
            "Content-Type": reply.contentType ?? JSON_TYPE,
            ...reply.headers,
          });
          res.end(reply.body);
        },
        drop: () => req.socket.destroy(),
        gone: () => res.destroyed,
      });
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    // §2: a banned IP sees refused or reset connections, not HTTP errors.
    if (isBanned(state, socket.remoteAddress ?? "", now())) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve()),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: access.apiKey,
    readOnlyKey: access.readOnlyKey,
    state,
    failNext: switches.failNext,
    setUsage: (address, usage) => {
      const mailbox = state.mailboxes.get(address.toLowerCase());
      if (!mailbox) throw new Error(`fake mailcow: no mailbox ${address}`);
      Object.assign(mailbox, usage);
    },
    setDomainLimits: (domain, limits) => {
      const found = state.domains.get(domain.toLowerCase());
      if (!found) throw new Error(`fake mailcow: no domain ${domain}`);
      Object.assign(found, limits);
    },
    addDomain: (name, limits) => addDomain(state, name, limits),
    setAllowedIps: (ips) => {
      access.allowedIps = ips;
    },
    checkPassword: (address, password) =>
      checkPassword(state, address, password),
    close: async () => {
      switches.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function generateKey(): string {
  return Array.from({ length: 5 }, () =>
    randomBytes(3).toString("hex").toUpperCase(),
  ).join("-");
}
