import "server-only";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { z } from "zod";
import { createBucket, type ThrottleStatus } from "@/testing/shopify/cost";
import {
  graphqlReply,
  INVALID_TOKEN_BODY,
  type JsonReply,
} from "@/testing/shopify/graphql-endpoint";
import {
  addCustomer,
  addOrder,
  addProduct,
  createState,
  currentTotal,
  newToken,
  requireOrder,
  toCents,
  type CancelReason,
  type CustomerInput,
  type FakeCustomer,
  type FakeOrder,
  type FakeProduct,
  type FakeShopOptions,
  type FakeShopState,
  type OrderInput,
  type ProductInput,
} from "@/testing/shopify/state";
import {
  createSwitches,
  FAULT_KINDS,
  type Fault,
  type FaultKind,
} from "@/testing/shopify/switches";
import {
  orderPayload,
  postWebhook,
  refundWebhookPayload,
  signedWebhook,
  type OrderTopic,
  type SendOptions,
  type SignedWebhook,
  type WebhookDelivery,
} from "@/testing/shopify/webhooks";

// An in-process Shopify Admin API for tests and local runs: the GraphQL endpoint over a hand-written
// schema subset with Shopify's cost model, leaky bucket and error shapes, the client-credentials token
// grant, test switches, and a sender of signed order webhooks. It answers on loopback HTTP and, for
// code that swaps the library's fetch, in process through `fetch`. Test-only.
// This file wires the parts: state.ts (the store), graphql-endpoint.ts (the API), cost.ts (pricing
// and the bucket), switches.ts (armed failures) and webhooks.ts (payloads, signing, delivery).

export type FakeShopifyOptions = FakeShopOptions & {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The fixed token of a custom app (X-Shopify-Access-Token); always accepted unless refused. */
  adminAccessToken?: string;
  /** Client id and secret accepted by the client-credentials grant. */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of granted tokens, in seconds (Shopify: about 24 h). */
  tokenExpiresIn?: number;
  /** Key that signs webhooks (the app's API secret, or the store's notification key). */
  webhookSecret?: string;
  /** Where order webhooks go; unset = they are only built. */
  webhookUrl?: string;
  bucketSize?: number;
  /** Points per second. */
  restoreRate?: number;
};

export type FakeShopifyRequest = {
  method: string;
  path: string;
  token: string | null;
  status: number;
  userAgent: string | null;
};

export type FakeShopify = {
  /** What SHOPIFY_API_URL points at. */
  url: string;
  shopDomain: string;
  adminAccessToken: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  state: FakeShopState;
  requests: FakeShopifyRequest[];
  deliveries: WebhookDelivery[];
  /** Answers as the loopback server would; for the library's swappable fetch. */
  fetch: (
    input: string | URL | Request,
    init?: RequestInit,
  ) => Promise<Response>;
  addCustomer: (input?: CustomerInput) => FakeCustomer;
  addOrder: (input?: OrderInput) => FakeOrder;
  addProduct: (input: ProductInput) => FakeProduct;
  /** Applies a change as the shop admin would, bumping updated_at. */
  updateOrder: (legacyId: string, change: Partial<FakeOrder>) => FakeOrder;
  /** Cancels, then sends orders/cancelled and orders/updated when a webhook URL is set. */
  cancelOrder: (
    legacyId: string,
    reason?: CancelReason,
  ) => Promise<WebhookDelivery[]>;
  /** Refunds (the whole rest by default), then sends refunds/create and orders/updated. */
  refundOrder: (
    legacyId: string,
    amount?: string,
  ) => Promise<WebhookDelivery[]>;
  /** The order's webhook, signed, without sending it: for calling a route handler directly. */
  signedOrderWebhook: (
    topic: OrderTopic,
    legacyId: string,
    options?: SendOptions,
  ) => SignedWebhook;
  sendOrderWebhook: (
    topic: OrderTopic,
    legacyId: string,
    options?: SendOptions & { url?: string },
  ) => Promise<WebhookDelivery>;
  failNext: (
    kind: FaultKind,
    options?: Omit<Fault, "kind"> & { count?: number },
  ) => void;
  /** Every call answered 401 until switched off, as after the token was revoked. */
  setTokenRefused: (refused: boolean) => void;
  setWebhookUrl: (url: string | undefined) => void;
  throttleStatus: () => ThrottleStatus;
  /** Empties the bucket down to `leave` points, as if other calls had spent it. */
  drainBucket: (leave?: number) => void;
  /** Number of tokens issued by the client-credentials grant. */
  tokensIssued: () => number;
  close: () => Promise<void>;
};

const NETWORK_FAULT = Symbol("network fault");

const controlWebhookInput = z.object({
  topic: z
    .enum([
      "orders/create",
      "orders/updated",
      "orders/cancelled",
      "orders/paid",
      "orders/fulfilled",
    ])
    .default("orders/create"),
  /** An existing order; without it a new one is made for `email`. */
  orderId: z.string().regex(/^\d+$/).optional(),
  email: z.string().optional(),
  url: z.url().optional(),
  total: z
    .string()
    .regex(/^\d+\.\d{2}$/)
    .optional(),
});

export async function startFakeShopify(
  options: FakeShopifyOptions = {},
): Promise<FakeShopify> {
  const state = createState(options);
  const bucket = createBucket(
    options.bucketSize ?? 1000,
    options.restoreRate ?? 100,
    () => state.now().getTime(),
  );
  const switches = createSwitches();
  const adminAccessToken =
    options.adminAccessToken ?? "shpat_portico_fake_admin_token";
  const clientId = options.clientId ?? "portico-fake-client-id";
  const clientSecret = options.clientSecret ?? "portico-fake-client-secret";
  const webhookSecret = options.webhookSecret ?? clientSecret;
  let webhookUrl = options.webhookUrl;
  let issued = 0;
  const requests: FakeShopifyRequest[] = [];
  const deliveries: WebhookDelivery[] = [];

  function tokenIsValid(token: string | null): boolean {
    if (token === null || switches.tokenRefused) return false;
    if (token === adminAccessToken) return true;
    const known = state.tokens.get(token);
    return (
      known !== undefined &&
      (known.expiresAt === null || known.expiresAt > state.now())
    );
  }

  function grantToken(body: unknown): JsonReply {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.grant_type !== "client_credentials")
      return {
        status: 400,
        body: {
          error: "unsupported_grant_type",
          error_description:
            "The authorization grant type is not supported by the authorization server.",
        },
      };
    if (typeof b.client_id !== "string" || typeof b.client_secret !== "string")
      return {
        status: 400,
        body: {
          error: "invalid_request",
          error_description: "The request is missing a required parameter.",
        },
      };
    if (
      switches.tokenRefused ||
      b.client_id !== clientId ||
      b.client_secret !== clientSecret
    )
      return {
        status: 401,
        body: {
          error: "invalid_client",
          error_description:
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        },
      };
    const expiresIn = options.tokenExpiresIn ?? 86_399;
    const token = newToken();
    const scope = state.grantedScopes.join(",");
    state.tokens.set(token, {
      token,
      scope,
      expiresAt: new Date(state.now().getTime() + expiresIn * 1000),
    });
    issued++;
    return {
      status: 200,
      body: { access_token: token, scope, expires_in: expiresIn },
    };
  }

  async function control(path: string, body: unknown): Promise<JsonReply> {
    if (path === "/__fake/token-refused") {
      const parsed = z.object({ refused: z.boolean() }).safeParse(body);
      if (!parsed.success)
        return { status: 400, body: { error: "refused: boolean" } };
      switches.tokenRefused = parsed.data.refused;
      return { status: 200, body: { refused: switches.tokenRefused } };
    }
    if (path === "/__fake/fail-next") {
      const parsed = z
        .object({
          kind: z.union([
            z.literal(401),
            z.literal(429),
            z.literal(500),
            z.literal(503),
            z.string(),
          ]),
          count: z.number().int().min(1).max(100).optional(),
          retryAfter: z.number().int().min(0).optional(),
          scope: z.string().optional(),
        })
        .safeParse(body);
      const kind = FAULT_KINDS.find((k) => k === parsed.data?.kind);
      if (!parsed.success || kind === undefined)
        return {
          status: 400,
          body: { error: `kind: one of ${FAULT_KINDS.join(", ")}` },
        };
      const { kind: _kind, ...rest } = parsed.data;
      switches.failNext(kind, rest);
      return { status: 200, body: { armed: kind } };
    }
    if (path === "/__fake/webhooks") {
      const parsed = controlWebhookInput.safeParse(body ?? {});
      if (!parsed.success)
        return { status: 400, body: { error: parsed.error.message } };
      const input = parsed.data;
      const url = input.url ?? webhookUrl;
      if (!url)
        return { status: 400, body: { error: "no webhook url configured" } };
      let order: FakeOrder;
      if (input.orderId) {
        const found = state.orders.get(input.orderId);
        if (!found) return { status: 404, body: { error: "no such order" } };
        order = found;
      } else {
        if (!input.email)
          return { status: 400, body: { error: "orderId or email" } };
        order = addOrder(state, {
          email: input.email,
          ...(input.total && {
            lineItems: [{ title: "Support plan", price: input.total }],
          }),
        });
      }
      const delivery = await send(input.topic, order, {}, url);
      return {
        status: 200,
        body: {
          orderId: order.legacyId,
          gid: `gid://shopify/Order/${order.legacyId}`,
          name: `#${order.number}`,
          delivered: delivery.status,
        },
      };
    }
    return { status: 404, body: { errors: "Not Found" } };
  }

  async function handle(
    request: Request,
  ): Promise<Response | typeof NETWORK_FAULT> {
    const url = new URL(request.url);
    const text = request.method === "POST" ? await request.text() : "";
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = undefined;
    }
    if (
      body === undefined &&
      url.pathname.startsWith("/admin/oauth/") &&
      text
    ) {
      body = Object.fromEntries(new URLSearchParams(text));
    }
    const token = request.headers.get("x-shopify-access-token");
    const record: FakeShopifyRequest = {
      method: request.method,
      path: url.pathname,
      token,
      status: 0,
      userAgent: request.headers.get("user-agent"),
    };
    requests.push(record);
    let reply: JsonReply;
    if (url.pathname.startsWith("/__fake/"))
      reply = await control(url.pathname, body);
    else if (
      request.method === "POST" &&
      url.pathname === "/admin/oauth/access_token"
    )
      reply = grantToken(body);
    else if (/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(url.pathname)) {
      if (request.method !== "POST")
        reply = { status: 405, body: { errors: "Method Not Allowed" } };
      else {
        const fault = switches.take();
        if (fault?.kind === "network") return NETWORK_FAULT;
        reply =
          faultReply(fault) ??
          (!tokenIsValid(token) || fault?.kind === 401
            ? { status: 401, body: INVALID_TOKEN_BODY }
            : graphqlReply({
                state,
                bucket,
                scopes: state.grantedScopes,
                body: body ?? null,
                fault,
              }));
      }
    } else reply = { status: 404, body: { errors: "Not Found" } };
    record.status = reply.status;
    return new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "X-Request-Id": randomUUID(),
        ...reply.headers,
      },
    });
  }

  async function send(
    topic: SignedWebhook["topic"],
    order: FakeOrder,
    opts: SendOptions,
    url: string | undefined,
    payload: unknown = orderPayload(state, order),
  ): Promise<WebhookDelivery> {
    const webhook = signedWebhook(state, webhookSecret, topic, payload, opts);
    if (!url) throw new Error("fake shopify: no webhook url set");
    const delivery = await postWebhook(url, webhook);
    deliveries.push(delivery);
    return delivery;
  }

  function touch(order: FakeOrder) {
    const now = state.now();
    // Shopify's updated_at has one-second resolution; keep every change strictly later.
    order.updatedAt = new Date(
      Math.max(now.getTime(), order.updatedAt.getTime() + 1000),
    );
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(", "));
      const method = req.method ?? "GET";
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
        method,
        headers,
        ...(method !== "GET" &&
          method !== "HEAD" && { body: Buffer.concat(chunks) }),
      });
      void handle(request)
        .then(async (response) => {
          if (response === NETWORK_FAULT) {
            req.socket.destroy();
            return;
          }
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(await response.text());
        })
        .catch((error: unknown) => {
          // A bug in the fake answers like Shopify's own 500 instead of taking the run down.
          res.writeHead(500, { "Content-Type": "application/json" });
          res.end(
            JSON.stringify({
              errors: error instanceof Error ? error.message : String(error),
            }),
          );
        });
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    shopDomain: state.shop.domain,
    adminAccessToken,
    clientId,
    clientSecret,
    webhookSecret,
    state,
    requests,
    deliveries,
    fetch: async (input, init) => {
      const response = await handle(new Request(input, init));
      if (response === NETWORK_FAULT) throw new TypeError("fetch failed");
      return response;
    },
    addCustomer: (input) => addCustomer(state, input),
    addOrder: (input) => addOrder(state, input),
    addProduct: (input) => addProduct(state, input),
    updateOrder: (legacyId, change) => {
      const order = requireOrder(state, legacyId);
      Object.assign(order, change);
      touch(order);
      return order;
    },
    cancelOrder: async (legacyId, reason = "CUSTOMER") => {
      const order = requireOrder(state, legacyId);
      order.cancelledAt = state.now();
      order.cancelReason = reason;
      order.closedAt = order.closedAt ?? state.now();
      touch(order);
      if (!webhookUrl) return [];
      return [
        await send("orders/cancelled", order, {}, webhookUrl),
        await send("orders/updated", order, {}, webhookUrl),
      ];
    },
    refundOrder: async (legacyId, amount) => {
      const order = requireOrder(state, legacyId);
      const rest = currentTotal(order);
      const refund = {
        legacyId: state.nextId(),
        amount: amount ?? rest,
        note: null,
        createdAt: state.now(),
      };
      order.refunds.push(refund);
      order.financialStatus =
        toCents(currentTotal(order)) === 0n ? "REFUNDED" : "PARTIALLY_REFUNDED";
      touch(order);
      if (!webhookUrl) return [];
      return [
        await send(
          "refunds/create",
          order,
          {},
          webhookUrl,
          refundWebhookPayload(state, order, refund),
        ),
        await send("orders/updated", order, {}, webhookUrl),
      ];
    },
    signedOrderWebhook: (topic, legacyId, opts) =>
      signedWebhook(
        state,
        webhookSecret,
        topic,
        orderPayload(state, requireOrder(state, legacyId)),
        opts,
      ),
    sendOrderWebhook: (topic, legacyId, { url, ...opts } = {}) =>
      send(topic, requireOrder(state, legacyId), opts, url ?? webhookUrl),
    failNext: switches.failNext,
    setTokenRefused: (refused) => {
      switches.tokenRefused = refused;
    },
    setWebhookUrl: (url) => {
      webhookUrl = url;
    },
    throttleStatus: bucket.status,
    drainBucket: bucket.drain,
    tokensIssued: () => issued,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The HTTP-level faults; THROTTLED and ACCESS_DENIED are GraphQL answers, made by the endpoint. */
function faultReply(fault: Fault | undefined): JsonReply | null {
  switch (fault?.kind) {
    case 429:
      return {
        status: 429,
        headers: { "Retry-After": String(fault.retryAfter ?? 2) },
        body: {
          errors:
            "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
        },
      };
    case 500:
      return { status: 500, body: { errors: "Internal Server Error" } };
    case 503:
      return {
        status: 503,
        body: { errors: "Unavailable Shop" },
      };
    default:
      return null;
  }
}
