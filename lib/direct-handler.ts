// The hand-off between the app and Portico's server (server/direct.ts): start-up offers, from inside
// Next's bundle, the handler that answers the osTicket API's and Stripe's posts; the server, outside
// that bundle, takes it. The app never imports the server.

/**
 * A web-standard handler: the same function the osTicket route files call. `webhook` answers the
 * webhooks from their whole body instead: making a web Request and Response cost a delivery more
 * CPU than recording it did (docs/benchmarks.md).
 */
export type DirectHandler = ((req: Request) => Promise<Response>) & {
  webhook?: (post: WebhookPost) => Promise<WebhookReply>;
};

/** A webhook delivery as Portico's server read it: the body whole, as text. */
export type WebhookPost = {
  path: string;
  headers: Pick<Headers, "get">;
  body: string;
};

/** The JSON answer to a delivery. */
export type WebhookReply = { status: number; body: unknown };

// On globalThis: instrumentation runs in Next's bundle, the server outside it; a symbol both can name.
const OFFERED = Symbol.for("portico.direct-handler");
type Offered = { [OFFERED]?: DirectHandler };

export function offerDirectHandler(handler: DirectHandler): void {
  (globalThis as Offered)[OFFERED] = handler;
}

/** The handler instrumentation.ts offered; undefined until Next has run it, around its first
 * request. */
export function offeredDirectHandler(): DirectHandler | undefined {
  return (globalThis as Offered)[OFFERED];
}
