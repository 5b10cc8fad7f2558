import "server-only";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type Stripe from "stripe";
import {
  completeState,
  expireState,
  failAsyncState,
  succeedAsyncState,
} from "@/testing/stripe/checkout-sessions";
import {
  API_VERSION,
  newId,
  snapshot,
  type RequestContext,
} from "@/testing/stripe/objects";
import { page } from "@/testing/stripe/pages";
import { refundState } from "@/testing/stripe/refunds";
import { stripeError, type ApiReply } from "@/testing/stripe/replies";
import { api, header } from "@/testing/stripe/routes";
import { createStore, requireSession } from "@/testing/stripe/state";
import {
  cancelState,
  failRenewalState,
  renewState,
} from "@/testing/stripe/subscriptions";
import {
  createSwitches,
  faultReply,
  type FailKind,
} from "@/testing/stripe/switches";
import {
  createWebhooks,
  type DeliverOptions,
  type FakeDelivery,
} from "@/testing/stripe/webhooks";

// An in-process Stripe over real HTTP on loopback, for tests and local runs. It keeps state for
// Checkout Sessions (with a hosted page), payments, refunds, subscriptions, invoices and the billing
// portal, answers with the wire format of the SDK's pinned API version (bracket-encoded forms in,
// JSON and Stripe's error bodies out) and sends signed webhook events to one endpoint. Test-only:
// nothing in production points at it.
// This file wires the parts: state.ts (the store), routes.ts (the API) with one module per resource
// (checkout-sessions, refunds, subscriptions), pages.ts (the hosted pages), webhooks.ts (events and
// their delivery) and switches.ts (the failures a test arms).

export type FakeStripeOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The exact key callers must send; by default any `sk_test_…` key is accepted. */
  secretKey?: string;
  webhookUrl?: string;
  webhookSecret: string;
  /** Whether built events are sent; by default, whenever a webhook URL is set. */
  deliverEvents?: boolean;
  /** Clock for object timestamps, in milliseconds. Signatures always use the real clock. */
  now?: () => number;
};

export type FakeRequest = {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** 0 while unanswered, or when the connection was dropped. */
  status: number;
};

export type FakeStripe = {
  /** What STRIPE_API_URL points at. */
  url: string;
  requests: FakeRequest[];
  deliveries: FakeDelivery[];
  /** Every event built so far, in order, whether or not it was delivered. */
  events: Stripe.Event[];
  completeSession: (
    id: string,
    options?: { paymentStatus?: "paid" | "unpaid" },
  ) => Promise<Stripe.Event[]>;
  succeedAsyncPayment: (sessionId: string) => Promise<Stripe.Event[]>;
  failAsyncPayment: (sessionId: string) => Promise<Stripe.Event[]>;
  expireSession: (id: string) => Promise<Stripe.Event[]>;
  /** A refund made in the dashboard: the whole unrefunded rest unless `amount` is given. */
  refund: (paymentIntentId: string, amount?: number) => Promise<Stripe.Event[]>;
  renewSubscription: (subscriptionId: string) => Promise<Stripe.Event[]>;
  failRenewal: (subscriptionId: string) => Promise<Stripe.Event[]>;
  cancelSubscription: (subscriptionId: string) => Promise<Stripe.Event[]>;
  /** Sends the events in order (delivery switch or not) and returns each HTTP status. */
  deliver: (
    events: Stripe.Event[],
    options?: DeliverOptions,
  ) => Promise<number[]>;
  signedRequest: (
    event: Stripe.Event,
    options?: DeliverOptions,
  ) => { body: string; headers: Record<string, string> };
  failNext: (kind: FailKind, count?: number) => void;
  getSession: (id: string) => Stripe.Checkout.Session | null;
  getSubscription: (id: string) => Stripe.Subscription | null;
  setWebhookUrl: (url: string | undefined) => void;
  setDelivery: (on: boolean) => void;
  /** Resolves once every queued delivery (API-made refunds and expiries send theirs late) is done. */
  idle: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startFakeStripe(
  options: FakeStripeOptions,
): Promise<FakeStripe> {
  const store = createStore(options.now ?? Date.now);
  const webhooks = createWebhooks({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    deliverEvents: options.deliverEvents,
  });
  const { emit } = webhooks;
  const switches = createSwitches();
  const requests: FakeRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      if (url.pathname.startsWith("/v1/")) return handleApi(req, res, url, raw);
      void page({ store, emit }, req.method ?? "GET", url)
        .then((reply) => {
          if ("location" in reply) {
            res.writeHead(303, { Location: reply.location });
            res.end();
          } else {
            res.writeHead(reply.status, {
              "Content-Type": "text/html; charset=utf-8",
            });
            res.end(reply.html);
          }
        })
        .catch((error: unknown) => {
          res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
          res.end(
            error instanceof Error ? error.message : "fake stripe failed",
          );
        });
    });
  });

  function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    raw: string,
  ) {
    const context: RequestContext = {
      requestId: newId("req").replace("_test", ""),
      idempotencyKey: header(req, "idempotency-key") ?? null,
    };
    const record: FakeRequest = {
      method: req.method ?? "",
      path: url.pathname,
      idempotencyKey: context.idempotencyKey,
      status: 0,
    };
    requests.push(record);
    const fault = switches.take();
    if (fault === "drop") {
      req.socket.destroy();
      return;
    }
    let reply: ApiReply;
    try {
      reply =
        fault === undefined
          ? api({ store, secretKey: options.secretKey }, req, url, raw, context)
          : faultReply(fault);
    } catch (error) {
      // A bug in the fake answers like Stripe's own 500 instead of taking the test run down.
      reply = stripeError(500, {
        type: "api_error",
        message: error instanceof Error ? error.message : String(error),
      });
    }
    record.status = reply.status;
    res.writeHead(reply.status, {
      "Content-Type": "application/json",
      "Request-Id": context.requestId,
      "Stripe-Version": API_VERSION,
      ...(context.idempotencyKey !== null && {
        "Idempotency-Key": context.idempotencyKey,
      }),
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body, null, 2));
    // Stripe sends webhooks after answering; a caller waiting on them inside a transaction would deadlock.
    if (reply.events) void emit(reply.events);
  }

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
  store.baseUrl = `http://127.0.0.1:${port}`;

  // ---- Test controls ----

  return {
    url: store.baseUrl,
    requests,
    deliveries: webhooks.deliveries,
    events: webhooks.events,
    completeSession: async (id, opts = {}) =>
      emit(completeState(store, id, opts.paymentStatus ?? "paid")),
    succeedAsyncPayment: async (id) => emit(succeedAsyncState(store, id)),
    failAsyncPayment: async (id) => emit(failAsyncState(store, id)),
    expireSession: async (id) => {
      const record = requireSession(store, id);
      if (record.session.status !== "open")
        throw new Error(
          `fake stripe: checkout session ${id} is ${record.session.status}`,
        );
      return emit(expireState(store, id, null));
    },
    refund: async (paymentIntentId, amount) => {
      const result = refundState(
        store,
        { paymentIntent: paymentIntentId, amount },
        null,
      );
      if (!result.ok) {
        const body = result.reply.body as { error: { message: string } };
        throw new Error(`fake stripe: ${body.error.message}`);
      }
      return emit(result.events);
    },
    renewSubscription: async (id) => emit(renewState(store, id)),
    failRenewal: async (id) => emit(failRenewalState(store, id)),
    cancelSubscription: async (id) => emit(cancelState(store, id)),
    deliver: webhooks.deliver,
    signedRequest: webhooks.signedRequest,
    failNext: switches.failNext,
    getSession: (id) => {
      const record = store.sessions.get(id);
      return record ? snapshot(record.session) : null;
    },
    getSubscription: (id) => {
      const found = store.subscriptions.get(id);
      return found ? snapshot(found) : null;
    },
    setWebhookUrl: webhooks.setUrl,
    setDelivery: webhooks.setDelivery,
    idle: webhooks.idle,
    close: async () => {
      webhooks.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
