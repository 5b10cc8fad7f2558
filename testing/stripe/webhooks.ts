import Stripe from "stripe";

// Events and their delivery: each event is signed as Stripe signs it and POSTed to the one webhook
// endpoint, one at a time and in order, and every attempt's status is kept for the tests to read.

export type FakeDelivery = {
  eventId: string;
  type: string;
  /** 0 when the endpoint did not answer (refused, reset, timed out). */
  status: number;
};

export type DeliverOptions = {
  /** Sign with this secret instead of the configured one. */
  secret?: string;
  /** Unix seconds for `t=`; default now. */
  timestamp?: number;
  /** Changes the body after signing, so the signature no longer matches it. */
  mangle?: (body: string) => string;
};

export type Webhooks = {
  /** Every event built so far, in order, whether or not it was delivered. */
  events: Stripe.Event[];
  deliveries: FakeDelivery[];
  signedRequest: (
    event: Stripe.Event,
    options?: DeliverOptions,
  ) => { body: string; headers: Record<string, string> };
  /** Sends the events in order (delivery switch or not) and returns each HTTP status. */
  deliver: (
    events: Stripe.Event[],
    options?: DeliverOptions,
  ) => Promise<number[]>;
  /** Logs the events and, while delivery is on, sends them. */
  emit: (events: Stripe.Event[]) => Promise<Stripe.Event[]>;
  setUrl: (url: string | undefined) => void;
  setDelivery: (on: boolean) => void;
  /** Resolves once every queued delivery is done. */
  idle: () => Promise<void>;
  /** Aborts deliveries in flight. */
  close: () => void;
};

const WEBHOOK_TIMEOUT_MS = 10_000;

export function createWebhooks(options: {
  url?: string;
  secret: string;
  /** Whether built events are sent; by default, whenever a URL is set. */
  deliverEvents?: boolean;
}): Webhooks {
  let webhookUrl = options.url;
  let deliveryOverride = options.deliverEvents;
  const isDelivering = () => deliveryOverride ?? webhookUrl !== undefined;
  const deliveries: FakeDelivery[] = [];
  const eventLog: Stripe.Event[] = [];

  function signedRequest(event: Stripe.Event, opts: DeliverOptions = {}) {
    // Stripe sends its webhook bodies pretty-printed; re-serialising them breaks the signature.
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? options.secret,
      // The receiver checks the age against its own real clock.
      timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
    });
    return {
      body: opts.mangle ? opts.mangle(payload) : payload,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": signature,
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        Accept: "*/*; q=0.5, application/xml",
        "Cache-Control": "no-cache",
      },
    };
  }

  const closing = new AbortController();
  let tail: Promise<unknown> = Promise.resolve();
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  }

  async function post(event: Stripe.Event, opts: DeliverOptions) {
    const target = webhookUrl;
    if (target === undefined)
      throw new Error("fake stripe: no webhook URL is set");
    const { body, headers } = signedRequest(event, opts);
    let status = 0;
    try {
      const res = await fetch(target, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.any([
          AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          closing.signal,
        ]),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 0;
    }
    deliveries.push({ eventId: event.id, type: event.type, status });
    return status;
  }

  function deliver(events: Stripe.Event[], opts: DeliverOptions = {}) {
    return serial(async () => {
      const statuses: number[] = [];
      for (const event of events) statuses.push(await post(event, opts));
      return statuses;
    });
  }

  async function emit(events: Stripe.Event[]): Promise<Stripe.Event[]> {
    eventLog.push(...events);
    if (isDelivering() && webhookUrl !== undefined) await deliver(events);
    return events;
  }

  return {
    events: eventLog,
    deliveries,
    signedRequest,
    deliver,
    emit,
    setUrl: (url) => {
      webhookUrl = url;
    },
    setDelivery: (on) => {
      deliveryOverride = on;
    },
    idle: async () => {
      await tail;
    },
    close: () => closing.abort(),
  };
}
