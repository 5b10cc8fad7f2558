import "server-only";
// The Web API adapter, not the Node one: route handlers get a Web Request, which the Node adapter
// cannot read (webhook validation then reports missing_hmac for every delivery). It must run before
// the library is used, and it installs global fetch as the library's HTTP function.
import "@shopify/shopify-api/adapters/web-api";
import {
  HttpRequestError,
  HttpResponseError,
  LogSeverity,
  shopifyApi,
  type GraphqlClient,
  type Session,
  type Shopify,
} from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import type { ShopifyConfig } from "@/lib/env";
import { log } from "@/lib/log";
import { SHOPIFY_API_VERSION } from "@/lib/shopify/config";

// The library set up for one store without OAuth: a legacy custom app's fixed token, or a Dev
// Dashboard app's client-credentials grant with the token cached and renewed before it expires.

export type ShopifyClientOptions = {
  /** Clock for the token's renewal; the library stamps `expires` with the real one. */
  now?: () => Date;
  /** How long before expiry a granted token is replaced. Default 5 minutes. */
  renewBeforeMs?: number;
};

export type ShopifyClient = {
  config: ShopifyConfig;
  /** The library itself, e.g. `api.webhooks.validate` for the webhook route. */
  api: Shopify;
  /** A GraphQL client holding a current token (granted first when needed). */
  graphqlClient: () => Promise<GraphqlClient>;
  /** Forgets a granted token, so the next call asks for a new one (after Shopify refused it). */
  dropToken: () => void;
  usesTokenGrant: boolean;
};

/** The token grant failed; `cause` is the library's error (HTTP status or network). */
export class ShopifyTokenGrantError extends Error {
  constructor(override readonly cause: unknown) {
    super("Shopify's client-credentials token grant failed", { cause });
    this.name = "ShopifyTokenGrantError";
  }

  /** Shopify answered and refused the client id or secret (as opposed to not answering). */
  get isRefusal(): boolean {
    return (
      this.cause instanceof HttpResponseError &&
      this.cause.response.code >= 400 &&
      this.cause.response.code < 500
    );
  }

  get isNetwork(): boolean {
    return this.cause instanceof HttpRequestError;
  }
}

export function createShopifyClient(
  config: ShopifyConfig,
  options: ShopifyClientOptions = {},
): ShopifyClient {
  if (config.apiUrl) routeShopToStandIn(config.shopDomain, config.apiUrl);
  const now = options.now ?? (() => new Date());
  const renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
  const { credentials } = config;
  const common = {
    apiSecretKey: config.apiSecret,
    apiVersion: SHOPIFY_API_VERSION,
    hostName: config.appHost,
    isEmbeddedApp: false,
    logger: {
      level: LogSeverity.Warning,
      log: (severity: LogSeverity, message: string) => {
        if (severity === LogSeverity.Error)
          log.error("shopify.library", { message });
        else log.warn("shopify.library", { message });
      },
    },
  };
  const api: Shopify =
    credentials.kind === "access_token"
      ? shopifyApi({
          ...common,
          isCustomStoreApp: true,
          adminApiAccessToken: credentials.accessToken,
        })
      : shopifyApi({
          ...common,
          isCustomStoreApp: false,
          apiKey: credentials.clientId,
        });

  let granted: Session | null = null;
  let granting: Promise<Session> | null = null;

  const isFresh = (session: Session) =>
    session.expires === undefined ||
    session.expires.getTime() - renewBeforeMs > now().getTime();

  async function grantedSession(): Promise<Session> {
    if (granted && isFresh(granted)) return granted;
    // Concurrent callers share one grant instead of each asking for a token.
    granting ??= api.auth
      .clientCredentials({ shop: config.shopDomain })
      .then(({ session }) => {
        granted = session;
        return session;
      })
      .catch((error: unknown) => {
        throw new ShopifyTokenGrantError(error);
      })
      .finally(() => {
        granting = null;
      });
    return granting;
  }

  return {
    config,
    api,
    usesTokenGrant: credentials.kind === "client_credentials",
    graphqlClient: async () => {
      const session =
        credentials.kind === "access_token"
          ? api.session.customAppSession(config.shopDomain)
          : await grantedSession();
      return new api.clients.Graphql({ session });
    },
    dropToken: () => {
      granted = null;
    },
  };
}

// The library cannot be pointed at another host: it always calls https://<shop>/…, and the shop must
// be a *.myshopify.com name. Its fetch function can be swapped, though, process-wide. So one function
// is installed once, and it sends each registered store's calls to that store's stand-in; anything
// else goes to the real fetch. Registered only when SHOPIFY_API_URL is set.
const standIns = new Map<string, string>();
let installed = false;

/** Sends the library's calls for `shopDomain` to `apiUrl` (e.g. http://127.0.0.1:3219) instead. */
export function routeShopToStandIn(shopDomain: string, apiUrl: string): void {
  standIns.set(shopDomain.toLowerCase(), apiUrl.replace(/\/+$/, ""));
  if (installed) return;
  installed = true;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const base = standIns.get(url.hostname.toLowerCase());
    if (base === undefined) return fetch(input, init);
    const target = `${base}${url.pathname}${url.search}`;
    return input instanceof Request
      ? fetch(new Request(target, input), init)
      : fetch(target, init);
  });
}
