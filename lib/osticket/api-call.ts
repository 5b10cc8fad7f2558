import "server-only";
import type { Db } from "@/db/types";
import { authenticateApiKey } from "@/lib/osticket/api-keys";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { apiKeyPrefix, normalizeApiKey } from "@/lib/osticket/api-key-format";
import { recordApiCall } from "@/lib/osticket/call-log";
import { createApiTicket } from "@/lib/osticket/create-ticket";
import { applyAttachmentRules } from "@/lib/osticket/attachment-rules";
import {
  osTicketFailure,
  type OsTicketFailure,
  type OsTicketResult,
} from "@/lib/osticket/errors";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestHash,
} from "@/lib/osticket/idempotency";
import { takeApiCall } from "@/lib/osticket/rate-limit";
import { readBodyWithLimit } from "@/lib/osticket/read-body";
import {
  osTicketAccepted,
  osTicketCreated,
  osTicketError,
  osTicketReplay,
} from "@/lib/osticket/respond";
import { parseOsTicketJson } from "@/lib/osticket/request/json";
import { MAX_BODY_BYTES } from "@/lib/osticket/request/ticket-request";
import { parseOsTicketXml } from "@/lib/osticket/request/xml";
import { hasMarkupDeclaration } from "@/lib/osticket/xml-declarations";
import { pipeMail, type PipeAnswer } from "@/lib/osticket/pipe-mail";
import { clientIp, proxyMatcher } from "@/lib/peer";

// One call to the osTicket-compatible API, from the URL to the logged answer (docs/api.md §1–§3):
// route, authenticate (before the body is read), rate-limit, read the body within its limit, honour
// an Idempotency-Key, create, answer in osTicket's plain-text style, and log the call.

export type OsTicketFormat = "json" | "xml" | "email";

/** `tickets.json`, `http.php/tickets.xml`, … → the format; anything else is not routed. */
export function osTicketFormatOf(segments: string[]): OsTicketFormat | null {
  const rest = segments[0] === "http.php" ? segments.slice(1) : segments;
  if (rest.length !== 1) return null;
  const match = /^tickets\.(json|xml|email)$/.exec(rest[0] ?? "");
  return (match?.[1] as OsTicketFormat | undefined) ?? null;
}

// The configured proxies change only with the environment: build their matcher once, not per call.
let matcher: { entries: string[]; matches: (ip: string) => boolean } | null =
  null;
function trustedProxyMatcher(entries: string[]): (ip: string) => boolean {
  if (matcher?.entries !== entries)
    matcher = { entries, matches: proxyMatcher(entries) };
  return matcher.matches;
}

type Outcome = {
  response: Response;
  apiKeyId: number | null;
  ticketId: string | null;
  replayed: boolean;
};

export async function handleOsTicketCall(
  db: Db,
  req: Request,
  format: OsTicketFormat | null,
  now = new Date(),
): Promise<Response> {
  const started = performance.now();
  const config = env();
  const ip = clientIp(req.headers, trustedProxyMatcher(config.trustedProxies));
  const presented = normalizeApiKey(req.headers.get("x-api-key"));
  let outcome: Outcome;
  try {
    outcome = await answer(db, req, format, ip, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The caller hung up mid-request (a timeout on their side): not a server error. Logged as
    // nginx's 499 so the call log tells the two apart.
    const aborted = req.signal.aborted || /\baborted\b/i.test(message);
    if (aborted) log.info("api.call_aborted", { message });
    else log.error("api.call_failed", { error: message });
    outcome = {
      response: aborted
        ? new Response("Client closed the request", { status: 499 })
        : osTicketError({ kind: "unknown_error" }),
      apiKeyId: null,
      ticketId: null,
      replayed: false,
    };
  }
  const { response } = outcome;
  await recordApiCall(db, {
    apiKeyId: outcome.apiKeyId,
    keyPrefix: presented ? apiKeyPrefix(presented) : null,
    ip,
    method: req.method,
    path: new URL(req.url).pathname,
    status: response.status,
    durationMs: performance.now() - started,
    ticketId: outcome.ticketId,
    error: response.status >= 300 ? await response.clone().text() : null,
    replayed: outcome.replayed,
    at: now,
  });
  return response;
}

async function answer(
  db: Db,
  req: Request,
  format: OsTicketFormat | null,
  ip: string | null,
  now: Date,
): Promise<Outcome> {
  const refused = (
    failure: OsTicketFailure,
    apiKeyId: number | null = null,
  ): Outcome => ({
    response: osTicketError(failure),
    apiKeyId,
    ticketId: null,
    replayed: false,
  });
  if (req.method !== "POST" || format === null)
    return refused({ kind: "url_not_supported" });

  // An unknown peer (a server other than Portico's own) can match no key: fail closed.
  const key = ip
    ? await authenticateApiKey(
        db,
        req.headers.get("x-api-key"),
        ip,
        "create_tickets",
        now,
      )
    : ({ ok: false, error: { kind: "api_key_required" } } as const);
  if (!key.ok) return refused(key.error);
  const apiKeyId = key.value.id;

  const rate = await takeApiCall(
    db,
    apiKeyId,
    env().api.rateLimitPerMinute,
    now,
  );
  if (!rate.allowed)
    return refused(
      { kind: "rate_limited", retryAfterSeconds: rate.retryAfterSeconds },
      apiKeyId,
    );

  const body = await readBodyWithLimit(req, MAX_BODY_BYTES);
  if (body === "too_large")
    return refused({ kind: "body_too_large" }, apiKeyId);

  const idempotencyKey = req.headers.get("idempotency-key");
  if (idempotencyKey !== null) {
    const claim = await claimIdempotencyKey(
      db,
      apiKeyId,
      idempotencyKey.trim(),
      requestHash(req.method, new URL(req.url).pathname, body),
      now,
    );
    if (!claim.ok) return refused(claim.error, apiKeyId);
    if (claim.value.kind === "replay") {
      const { status, body: text } = claim.value.answer;
      return {
        response: osTicketReplay(status, text),
        apiKeyId,
        ticketId: null,
        replayed: true,
      };
    }
  }

  let created: OsTicketResult<PipeAnswer>;
  try {
    created = await create(db, format, body, ip ?? "", now);
  } catch (error) {
    if (idempotencyKey !== null)
      await releaseIdempotencyKey(db, apiKeyId, idempotencyKey.trim());
    throw error;
  }
  const response = !created.ok
    ? osTicketError(created.error)
    : created.value.kind === "ticket"
      ? osTicketCreated(created.value.number)
      : osTicketAccepted(created.value.note);
  if (idempotencyKey !== null)
    await completeIdempotencyKey(db, apiKeyId, idempotencyKey.trim(), {
      status: response.status,
      body: await response.clone().text(),
    });
  return {
    response,
    apiKeyId,
    ticketId:
      created.ok && created.value.kind === "ticket" ? created.value.id : null,
    replayed: false,
  };
}

async function create(
  db: Db,
  format: OsTicketFormat,
  body: Uint8Array,
  callerIp: string,
  now: Date,
): Promise<OsTicketResult<PipeAnswer>> {
  const { api } = env();
  if (format === "email") return pipeMail(db, body, { now });
  if (format === "xml" && hasMarkupDeclaration(body))
    return osTicketFailure({ kind: "xml_syntax" });
  const options = { now, maxFileBytes: api.maxFileBytes };
  const parsed = applyAttachmentRules(
    format === "json"
      ? parseOsTicketJson(body, options)
      : parseOsTicketXml(body, options),
    env().attachments.types,
  );
  const ticket = await createApiTicket(db, parsed, {
    callerIp,
    verifyEmailDomains: api.verifyEmailDomains,
    now,
  });
  return ticket.ok
    ? {
        ok: true,
        value: {
          kind: "ticket",
          id: ticket.value.id,
          number: ticket.value.number,
        },
      }
    : ticket;
}
