import type Stripe from "stripe";

// Stripe's API answers: a JSON body, or Stripe's error body with its type, code and param.

export type ApiReply = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent to the webhook after the response, as Stripe does. */
  events?: Stripe.Event[];
};
type ErrorType =
  "invalid_request_error" | "api_error" | "card_error" | "idempotency_error";

export function ok(body: unknown): ApiReply {
  return { status: 200, body };
}

export function stripeError(
  status: number,
  detail: {
    type?: ErrorType;
    message: string;
    code?: string;
    param?: string;
    decline_code?: string;
  },
  headers?: Record<string, string>,
): ApiReply {
  return {
    status,
    headers,
    body: {
      error: {
        ...(detail.code !== undefined && {
          code: detail.code,
          doc_url: `https://stripe.com/docs/error-codes/${detail.code.replaceAll("_", "-")}`,
        }),
        ...(detail.decline_code !== undefined && {
          decline_code: detail.decline_code,
        }),
        message: detail.message,
        ...(detail.param !== undefined && { param: detail.param }),
        type: detail.type ?? "invalid_request_error",
      },
    },
  };
}

export function invalid(
  message: string,
  param?: string,
  code?: string,
): ApiReply {
  return stripeError(400, { message, param, code });
}

/** A missing object: 404 when it is the URL's subject, 400 when a parameter names it. */
export function noSuch(
  kind: string,
  id: string,
  param: string,
  status: 400 | 404,
): ApiReply {
  return stripeError(status, {
    message: `No such ${kind}: '${id}'`,
    param,
    code: "resource_missing",
  });
}
