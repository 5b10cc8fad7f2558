import type http from "node:http";
import {
  createSession,
  expireSession,
  listLineItems,
  retrieveSession,
} from "@/testing/stripe/checkout-sessions";
import {
  formError,
  parseForm,
  retrieveInput,
  type FormTree,
} from "@/testing/stripe/forms";
import {
  API_VERSION,
  snapshot,
  type RequestContext,
} from "@/testing/stripe/objects";
import { createRefund } from "@/testing/stripe/refunds";
import {
  invalid,
  noSuch,
  ok,
  stripeError,
  type ApiReply,
} from "@/testing/stripe/replies";
import type { Store } from "@/testing/stripe/state";
import { createPortalSession } from "@/testing/stripe/subscriptions";

// Stripe's API as the SDK's pinned version speaks it: the key check, the version header,
// idempotent replays, and which path and method reach which resource module.

export type ApiContext = {
  store: Store;
  /** The exact key callers must send; by default any `sk_test_…` key is accepted. */
  secretKey?: string;
};

/** Answers one API call; a POST with an Idempotency-Key is answered once and replayed after. */
export function api(
  ctx: ApiContext,
  req: http.IncomingMessage,
  url: URL,
  raw: string,
  context: RequestContext,
): ApiReply {
  const { store } = ctx;
  const auth = authenticate(ctx, header(req, "authorization"));
  if (auth) return auth;
  const version = header(req, "stripe-version");
  if (version !== undefined && version !== API_VERSION)
    return invalid(
      `This stand-in speaks only API version ${API_VERSION}, not ${version}.`,
    );
  const method = req.method ?? "GET";
  const key = context.idempotencyKey;
  if (method !== "POST" || key === null)
    return route(store, method, url, raw, context);
  if (key.length > 255)
    return invalid(
      "Invalid Idempotency-Key: keys may be at most 255 characters long.",
      undefined,
      "idempotency_key_in_use",
    );
  const fingerprint = `${method} ${url.pathname}\n${raw}`;
  const stored = store.idempotency.get(key);
  if (stored) {
    if (stored.fingerprint !== fingerprint)
      return stripeError(400, {
        type: "idempotency_error",
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    return {
      ...stored.reply,
      events: undefined,
      headers: {
        ...stored.reply.headers,
        "Idempotent-Replayed": "true",
        "Original-Request": stored.requestId,
      },
    };
  }
  const reply = route(store, method, url, raw, context);
  // Stripe keeps only results of requests that began executing; refused parameters are not kept.
  if (reply.status < 400)
    store.idempotency.set(key, {
      fingerprint,
      reply,
      requestId: context.requestId,
    });
  return reply;
}

function authenticate(
  { secretKey }: ApiContext,
  authorization: string | undefined,
): ApiReply | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const key = match?.[1];
  if (key === undefined)
    return stripeError(401, {
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    });
  const accepted =
    secretKey === undefined ? /^sk_test_\w+$/.test(key) : key === secretKey;
  return accepted
    ? null
    : stripeError(401, {
        message: `Invalid API Key provided: ${maskKey(key)}`,
      });
}

function route(
  store: Store,
  method: string,
  url: URL,
  raw: string,
  context: RequestContext,
): ApiReply {
  const parsed = parseForm(method === "GET" ? url.search.slice(1) : raw);
  if (!parsed.ok)
    return invalid(`Invalid value for ${parsed.param}.`, parsed.param);
  const form = parsed.value;
  const path = url.pathname.replace(/\/+$/, "");
  const [, resource = "", id, action] =
    /^\/v1\/(checkout\/sessions|refunds|billing_portal\/sessions|customers|subscriptions|invoices)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
      path,
    ) ?? [];
  const target = id === undefined ? undefined : safeDecode(id);
  const is = (m: string, r: string, hasId: boolean, a?: string) =>
    method === m &&
    resource === r &&
    (target !== undefined) === hasId &&
    action === a;

  if (is("POST", "checkout/sessions", false)) return createSession(store, form);
  if (is("GET", "checkout/sessions", true) && target)
    return retrieveSession(store, target, form);
  if (is("GET", "checkout/sessions", true, "line_items") && target)
    return listLineItems(store, target, form);
  if (is("POST", "checkout/sessions", true, "expire") && target)
    return expireSession(store, target, form, context);
  if (is("POST", "refunds", false)) return createRefund(store, form, context);
  if (is("GET", "refunds", true) && target)
    return retrieveSimple(form, store.refunds.get(target), "refund", target);
  if (is("POST", "billing_portal/sessions", false))
    return createPortalSession(store, form);
  if (is("GET", "customers", true) && target)
    return retrieveSimple(
      form,
      store.customers.get(target),
      "customer",
      target,
    );
  if (is("GET", "subscriptions", true) && target)
    return retrieveSimple(
      form,
      store.subscriptions.get(target),
      "subscription",
      target,
    );
  if (is("GET", "invoices", true) && target)
    return retrieveSimple(form, store.invoices.get(target), "invoice", target);
  return stripeError(404, {
    message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

function retrieveSimple(
  form: FormTree,
  found: object | undefined,
  kind: string,
  id: string,
): ApiReply {
  const parsed = retrieveInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  if (parsed.data.expand?.length)
    return invalid(
      `This property cannot be expanded (${parsed.data.expand[0] ?? ""}).`,
      "expand",
    );
  return found ? ok(snapshot(found)) : noSuch(kind, id, "id", 404);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function header(
  req: http.IncomingMessage,
  name: string,
): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function maskKey(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? "";
  return `${prefix}${"*".repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}
