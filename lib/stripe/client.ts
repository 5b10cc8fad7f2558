import "server-only";
import Stripe from "stripe";
import { z } from "zod";
import type { StripeConfig } from "@/lib/env";

// The thin boundary around the Stripe SDK: Checkout Sessions, refunds, the billing portal and
// webhook verification, in our types. No business rules and no logging: callers decide.
// The API version stays at the SDK's pin, the only version its types describe.

export type StripeClientOptions = {
  /** The SDK retries connection errors, 409 and 5xx with back-off; tests pass 0. Default 2. */
  maxNetworkRetries?: number;
  /** Per request, in milliseconds. Default 10 000 (the SDK's own default is 80 s). */
  timeoutMs?: number;
};

export type CheckoutSessionSummary = {
  id: string;
  /** Stripe clears it once the session is complete or expired. */
  url: string | null;
  status: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  expiresAt: Date;
  /** Minor units, tax included. */
  amountTotal: number | null;
  /** Lower-case ISO code, as Stripe writes it. */
  currency: string | null;
  mode: "payment" | "subscription" | "setup";
  clientReferenceId: string | null;
  /** Filled once the session completes. */
  customerId: string | null;
  paymentIntentId: string | null;
  subscriptionId: string | null;
};

/** A session as created: always open, always with a URL to send the customer to. */
export type OpenCheckoutSession = CheckoutSessionSummary & {
  status: "open";
  url: string;
};

export type RefundSummary = {
  id: string;
  /** `pending`, `requires_action`, `succeeded`, `failed` or `canceled`. */
  status: string;
  amount: number;
  currency: string;
};

export type StripeClient = ReturnType<typeof createStripeClient>;

const idOrObject = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullable()
  .transform((v) => (v === null ? null : typeof v === "string" ? v : v.id));

const sessionPayload = z.object({
  id: z.string(),
  url: z.string().nullable(),
  status: z.enum(["open", "complete", "expired"]),
  payment_status: z.enum(["paid", "unpaid", "no_payment_required"]),
  expires_at: z.number().int(),
  amount_total: z.number().int().nullable(),
  currency: z.string().nullable(),
  mode: z.enum(["payment", "subscription", "setup"]),
  client_reference_id: z.string().nullable(),
  customer: idOrObject,
  payment_intent: idOrObject,
  subscription: idOrObject,
});

export function createStripeClient(
  config: StripeConfig,
  options: StripeClientOptions = {},
) {
  const sdk = new Stripe(config.secretKey, {
    ...addressOf(config.apiUrl),
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 10_000,
    telemetry: false,
  });

  /**
   * Idempotent per key: the same key and parameters give back the same session; the same key with
   * other parameters throws StripeIdempotencyError (use a new key when the order changed).
   */
  async function createCheckoutSession(
    params: Stripe.Checkout.SessionCreateParams,
    idempotencyKey: string,
  ): Promise<OpenCheckoutSession> {
    const session = summarise(
      await sdk.checkout.sessions.create(params, { idempotencyKey }),
    );
    if (session.status !== "open" || session.url === null)
      throw new Error(
        `Stripe returned Checkout Session ${session.id} as ${session.status} without a URL`,
      );
    return { ...session, status: "open", url: session.url };
  }

  async function retrieveCheckoutSession(
    id: string,
  ): Promise<CheckoutSessionSummary> {
    return summarise(await sdk.checkout.sessions.retrieve(id));
  }

  /** Ends an open session so it can no longer be paid. A session that already ended is fine. */
  async function expireCheckoutSession(id: string): Promise<void> {
    try {
      await sdk.checkout.sessions.expire(id);
    } catch (error) {
      // Stripe refuses (400) to expire a session that is complete or already expired. Either way the
      // session cannot be paid any more, which is all the caller wants; ask rather than parse the text.
      if (
        !(error instanceof Stripe.errors.StripeInvalidRequestError) ||
        error.statusCode !== 400
      )
        throw error;
      const current = await retrieveCheckoutSession(id);
      if (current.status === "open") throw error;
    }
  }

  /** `amount` in minor units. Idempotent per key, like createCheckoutSession. */
  async function createRefund(input: {
    paymentIntentId: string;
    amount: number;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<RefundSummary> {
    const refund = await sdk.refunds.create(
      {
        payment_intent: input.paymentIntentId,
        amount: input.amount,
        ...(input.metadata && { metadata: input.metadata }),
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return {
      id: refund.id,
      // Stripe documents the field as nullable; a new refund without one has not settled.
      status: refund.status ?? "pending",
      amount: refund.amount,
      currency: refund.currency,
    };
  }

  async function createBillingPortalSession(input: {
    customerId: string;
    returnUrl: string;
  }): Promise<{ url: string }> {
    const session = await sdk.billingPortal.sessions.create({
      customer: input.customerId,
      return_url: input.returnUrl,
    });
    return { url: session.url };
  }

  /**
   * Verifies `Stripe-Signature` over the raw body (as received, never re-serialised) with the webhook
   * secret and Stripe's 5-minute tolerance. Throws StripeSignatureVerificationError on any mismatch.
   */
  function constructEvent(
    rawBody: string,
    signatureHeader: string,
  ): Stripe.Event {
    return sdk.webhooks.constructEvent(
      rawBody,
      signatureHeader,
      config.webhookSecret,
    );
  }

  return {
    sdk,
    createCheckoutSession,
    retrieveCheckoutSession,
    expireCheckoutSession,
    createRefund,
    createBillingPortalSession,
    constructEvent,
  };
}

export function isSignatureError(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeSignatureVerificationError;
}

/**
 * A sentence a customer may read, and whether the same call may succeed if tried again later.
 * An idempotency conflict is not retryable under the same key: the order changed, so a new key
 * (a new attempt) is needed.
 */
export function describeStripeError(error: unknown): {
  retryable: boolean;
  message: string;
} {
  const E = Stripe.errors;
  if (error instanceof E.StripeConnectionError)
    return {
      retryable: true,
      message:
        "The payment provider could not be reached. Your cart is kept; please try again in a moment.",
    };
  if (error instanceof E.StripeRateLimitError)
    return {
      retryable: true,
      message:
        "The payment provider is busy right now. Your cart is kept; please try again in a minute.",
    };
  if (error instanceof E.StripeIdempotencyError)
    return {
      retryable: false,
      message:
        "Your order changed while its payment was being prepared. Please reload the page and try again.",
    };
  if (
    error instanceof E.StripeAuthenticationError ||
    error instanceof E.StripePermissionError
  )
    return {
      retryable: false,
      message:
        "Card payments are unavailable because of a configuration problem on our side. Please contact support.",
    };
  if (error instanceof E.StripeCardError)
    return {
      retryable: false,
      message: "The payment was declined. Please try another payment method.",
    };
  if (error instanceof E.StripeInvalidRequestError)
    return {
      retryable: false,
      message:
        "The payment provider refused the request. Please contact support if this keeps happening.",
    };
  // 409 (a conflicting request in flight), 5xx, and answers that were not JSON.
  if (error instanceof E.StripeAPIError)
    return {
      retryable:
        error.statusCode === undefined ||
        error.statusCode === 409 ||
        error.statusCode >= 500,
      message:
        "The payment provider had a temporary problem. Your cart is kept; please try again in a moment.",
    };
  return {
    retryable: false,
    message:
      "Something went wrong while contacting the payment provider. Please try again later.",
  };
}

/** `http://127.0.0.1:3215` → the SDK's host, port and protocol; unset means api.stripe.com. */
function addressOf(
  apiUrl: string | undefined,
): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (apiUrl === undefined) return {};
  const url = new URL(apiUrl);
  // The SDK always requests /v1/… at the root, so a path here would be silently dropped.
  if (url.pathname.replace(/\/+$/, "") !== "" || url.search !== "")
    throw new Error(
      `STRIPE_API_URL must be a bare origin such as http://127.0.0.1:3215, not ${apiUrl}`,
    );
  const protocol = url.protocol === "http:" ? "http" : "https";
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443,
    protocol,
  };
}

function summarise(session: Stripe.Checkout.Session): CheckoutSessionSummary {
  const s = sessionPayload.parse(session);
  return {
    id: s.id,
    url: s.url,
    status: s.status,
    paymentStatus: s.payment_status,
    expiresAt: new Date(s.expires_at * 1000),
    amountTotal: s.amount_total,
    currency: s.currency,
    mode: s.mode,
    clientReferenceId: s.client_reference_id,
    customerId: s.customer,
    paymentIntentId: s.payment_intent,
    subscriptionId: s.subscription,
  };
}
