import "server-only";
import {
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { z } from "zod";
import { log } from "@/lib/log";
import {
  ShopifyTokenGrantError,
  type ShopifyClient,
} from "@/lib/shopify/client";

// Every Admin GraphQL call goes through here. The library throws on any GraphQL error and never
// retries one, so this wrapper: runs one call at a time per store (they share a cost bucket), waits
// out THROTTLED for as long as the bucket needs before retrying, lets the library retry 429/503, and
// turns what can go wrong into three typed errors in plain English — configuration (an operator must
// fix something), unavailable (try later), and query (a bug in our query).

export type ShopifyGraphqlOptions = {
  /** Replaces the real wait between THROTTLED retries; tests pass a recorder. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** THROTTLED retries per call. Default 3. */
  throttleRetries?: number;
  /** The library's own retries of 429 and 503. Default 2. */
  httpRetries?: number;
};

export type ShopifyRequestOptions = {
  variables?: Record<string, unknown>;
  /** Includes the time spent waiting behind other calls; the agent view passes a short one. */
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type QueryCost = z.infer<typeof costSchema>;
export type ThrottleStatus = QueryCost["throttleStatus"];

export type ShopifyGraphql = {
  shopDomain: string;
  client: ShopifyClient;
  /** Runs one query; `data` is unchecked here — parse it (see `query`). */
  request: (
    query: string,
    options?: ShopifyRequestOptions,
  ) => Promise<{ data: unknown; cost: QueryCost | null }>;
  /** Runs one query and parses its data with `schema`; a mismatch is a ShopifyQueryError. */
  query: <T>(
    schema: z.ZodType<T>,
    query: string,
    options?: ShopifyRequestOptions,
  ) => Promise<T>;
  /** The bucket as the last answer described it; null before the first. */
  throttleStatus: () => ThrottleStatus | null;
};

export type ConfigurationReason =
  | "token_refused"
  | "credentials_refused"
  | "missing_scope"
  | "protected_customer_data"
  | "shop_not_found";

/** Shopify refuses us until an operator changes the app or the settings; retrying will not help. */
export class ShopifyConfigurationError extends Error {
  constructor(
    readonly reason: ConfigurationReason,
    message: string,
    readonly scope?: string,
  ) {
    super(message);
    this.name = "ShopifyConfigurationError";
  }
}

export type UnavailableReason =
  | "timeout"
  | "throttled"
  | "rate_limited"
  | "server_error"
  | "network"
  | "shop_unavailable";

/** Shopify could not answer now; the same call may work later. */
export class ShopifyUnavailableError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = "ShopifyUnavailableError";
  }
}

export type QueryErrorReason =
  "invalid_query" | "max_cost_exceeded" | "unexpected_response";

/** Shopify refused the query itself, or answered in a shape we did not expect: a bug on our side. */
export class ShopifyQueryError extends Error {
  constructor(
    readonly reason: QueryErrorReason,
    message: string,
    readonly codes: string[] = [],
  ) {
    super(message);
    this.name = "ShopifyQueryError";
  }
}

const costSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable(),
  throttleStatus: z.object({
    maximumAvailable: z.number(),
    currentlyAvailable: z.number(),
    restoreRate: z.number(),
  }),
});

const extensionsSchema = z
  .object({ cost: costSchema.optional() })
  .partial()
  .optional()
  .catch(undefined);

const graphqlErrorSchema = z.object({
  message: z.string(),
  extensions: z
    .object({
      code: z.string().optional(),
      requiredAccess: z.string().optional(),
      documentation: z.string().optional(),
    })
    .optional(),
});

const failedBodySchema = z.object({
  errors: z
    .object({ graphQLErrors: z.array(graphqlErrorSchema).optional() })
    .optional(),
  extensions: extensionsSchema,
});

type GraphqlErrorDetail = z.infer<typeof graphqlErrorSchema>;

const realSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Seconds until the bucket holds what the call asked for: ceil(missing / restore rate), at least 1. */
export function throttleWaitSeconds(cost: QueryCost | null): number {
  if (!cost) return 1;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const missing = cost.requestedQueryCost - currentlyAvailable;
  if (restoreRate <= 0 || missing <= 0) return 1;
  return Math.max(1, Math.ceil(missing / restoreRate));
}

export function createShopifyGraphql(
  client: ShopifyClient,
  options: ShopifyGraphqlOptions = {},
): ShopifyGraphql {
  const sleep = options.sleep ?? realSleep;
  const throttleRetries = options.throttleRetries ?? 3;
  const httpRetries = options.httpRetries ?? 2;
  const shopDomain = client.config.shopDomain;
  let lastStatus: ThrottleStatus | null = null;
  let tail: Promise<unknown> = Promise.resolve();

  function noteCost(extensions: unknown): QueryCost | null {
    const cost = extensionsSchema.parse(extensions)?.cost ?? null;
    if (cost) lastStatus = cost.throttleStatus;
    return cost;
  }

  async function attempt(
    query: string,
    variables: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<{ data: unknown; cost: QueryCost | null }> {
    let tokenRenewed = false;
    for (let throttled = 0; ;) {
      if (signal.aborted) throw timeoutError();
      try {
        const graphql = await client.graphqlClient();
        const response = await graphql.request(query, {
          variables,
          retries: httpRetries,
          signal,
        });
        const cost = noteCost(response.extensions);
        logDeprecation(response.headers);
        if (response.data === undefined || response.data === null)
          throw new ShopifyQueryError(
            "unexpected_response",
            "Shopify answered without data or errors.",
          );
        return { data: response.data, cost };
      } catch (error) {
        if (signal.aborted) throw timeoutError();
        if (error instanceof GraphqlQueryError) {
          const body = failedBodySchema.safeParse(error.body);
          const cost = noteCost(body.data?.extensions);
          const details = body.data?.errors?.graphQLErrors ?? [];
          logDeprecation(error.headers);
          if (details.some((d) => d.extensions?.code === "THROTTLED")) {
            if (throttled >= throttleRetries)
              throw new ShopifyUnavailableError(
                "throttled",
                "Shopify is busy with this store's other requests (rate limit); please try again in a moment.",
              );
            throttled++;
            const seconds = throttleWaitSeconds(cost);
            log.info("shopify.throttled", {
              shop: shopDomain,
              waitSeconds: seconds,
              attempt: throttled,
            });
            await sleep(seconds * 1000, signal);
            continue;
          }
          throw explainGraphqlErrors(details, shopDomain);
        }
        // A granted token can be revoked before it expires: ask for a new one once.
        if (
          client.usesTokenGrant &&
          !tokenRenewed &&
          error instanceof HttpResponseError &&
          error.response.code === 401
        ) {
          tokenRenewed = true;
          client.dropToken();
          continue;
        }
        throw explainFailure(error, shopDomain);
      }
    }
  }

  function logDeprecation(headers: unknown) {
    if (!headers || typeof headers !== "object") return;
    for (const [name, value] of Object.entries(headers))
      if (name.toLowerCase() === "x-shopify-api-deprecated-reason")
        log.warn("shopify.deprecated_fields", {
          shop: shopDomain,
          reason: Array.isArray(value) ? value.join(", ") : String(value),
        });
  }

  async function request(query: string, opts: ShopifyRequestOptions = {}) {
    const controller = new AbortController();
    const onAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut =
      opts.timeoutMs === undefined
        ? null
        : new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => {
              controller.abort(new Error("timeout"));
              reject(timeoutError());
            }, opts.timeoutMs);
          });
    // One call at a time per store: they share one cost bucket, and a THROTTLED wait holds the rest.
    const run = tail.then(() =>
      attempt(query, opts.variables, controller.signal),
    );
    tail = run.catch(() => undefined);
    try {
      return await (timedOut ? Promise.race([run, timedOut]) : run);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }

  return {
    shopDomain,
    client,
    request,
    query: async (schema, query, opts) => {
      const { data } = await request(query, opts);
      const parsed = schema.safeParse(data);
      if (!parsed.success)
        throw new ShopifyQueryError(
          "unexpected_response",
          `Shopify's answer did not have the expected shape: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".")}: ${i.message}`)
            .join("; ")}`,
        );
      return parsed.data;
    },
    throttleStatus: () => lastStatus,
  };
}

function timeoutError() {
  return new ShopifyUnavailableError(
    "timeout",
    "Shopify did not answer in time.",
  );
}

function explainGraphqlErrors(
  details: GraphqlErrorDetail[],
  shopDomain: string,
): Error {
  const codes = details.flatMap((d) =>
    d.extensions?.code ? [d.extensions.code] : [],
  );
  const denied = details.find((d) => d.extensions?.code === "ACCESS_DENIED");
  if (denied) {
    const text = `${denied.message} ${denied.extensions?.documentation ?? ""}`;
    if (/protected-customer-data|not approved to access/i.test(text))
      return new ShopifyConfigurationError(
        "protected_customer_data",
        `The Shopify app is not approved for protected customer data on ${shopDomain}, so customers' emails and names are withheld and orders cannot be matched to portal users. Request access to protected customer data (name and email) for the app in Shopify's Dev Dashboard.`,
      );
    const scope =
      /`(\w+)`/.exec(denied.extensions?.requiredAccess ?? "")?.[1] ??
      /`(\w+)` access scope/.exec(denied.message)?.[1];
    return new ShopifyConfigurationError(
      "missing_scope",
      `The Shopify app is missing the ${scope ?? "required"} access scope on ${shopDomain}${scope === "read_orders" ? ", so orders cannot be read" : ""}. Add the scope to the app's configuration and approve it again in the store.`,
      scope,
    );
  }
  if (codes.includes("MAX_COST_EXCEEDED"))
    return new ShopifyQueryError(
      "max_cost_exceeded",
      `Shopify refused a query as too expensive: ${details[0]?.message.split("\n")[0] ?? ""}`,
      codes,
    );
  return new ShopifyQueryError(
    "invalid_query",
    `Shopify refused the query: ${details.map((d) => d.message).join("; ")}`,
    codes,
  );
}

function explainFailure(error: unknown, shopDomain: string): Error {
  if (error instanceof ShopifyTokenGrantError) {
    if (error.isRefusal)
      return new ShopifyConfigurationError(
        "credentials_refused",
        `Shopify refused the app's client id and secret when asked for an access token for ${shopDomain}. Check SHOPIFY_CLIENT_ID and SHOPIFY_API_SECRET, and that the app is installed on the store.`,
      );
    return explainFailure(error.cause, shopDomain);
  }
  if (error instanceof HttpMaxRetriesError)
    return new ShopifyUnavailableError(
      "server_error",
      "Shopify kept answering with errors; please try again later.",
    );
  if (error instanceof HttpThrottlingError)
    return new ShopifyUnavailableError(
      "rate_limited",
      "Shopify is limiting this store's requests; please try again in a moment.",
    );
  if (error instanceof HttpInternalError)
    return new ShopifyUnavailableError(
      "server_error",
      `Shopify had an internal error (HTTP ${error.response.code}); please try again later.`,
    );
  if (error instanceof HttpResponseError) {
    const code = error.response.code;
    if (code === 401)
      return new ShopifyConfigurationError(
        "token_refused",
        `Shopify refused the portal's access token for ${shopDomain} (HTTP 401). Check SHOPIFY_ADMIN_ACCESS_TOKEN (or the client id and secret), and whether the app was uninstalled from the store.`,
      );
    if (code === 404)
      return new ShopifyConfigurationError(
        "shop_not_found",
        `Shopify does not know the store ${shopDomain}. Check SHOPIFY_SHOP_DOMAIN.`,
      );
    // 402: the store's subscription lapsed (frozen); 423: the store is locked.
    if (code === 402 || code === 423)
      return new ShopifyUnavailableError(
        "shop_unavailable",
        `The store ${shopDomain} is frozen or locked (HTTP ${code}).`,
      );
    return new ShopifyQueryError(
      "unexpected_response",
      `Shopify answered HTTP ${code}.`,
    );
  }
  if (error instanceof HttpRequestError)
    return new ShopifyUnavailableError(
      "network",
      "Shopify could not be reached; please try again later.",
    );
  return error instanceof Error ? error : new Error(String(error));
}

/** Whether an error is one of the three this module throws for Shopify's answers. */
export function isShopifyError(
  error: unknown,
): error is
  ShopifyConfigurationError | ShopifyUnavailableError | ShopifyQueryError {
  return (
    error instanceof ShopifyConfigurationError ||
    error instanceof ShopifyUnavailableError ||
    error instanceof ShopifyQueryError
  );
}
