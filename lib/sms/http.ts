import "server-only";
import { errorCodes, isTimeout } from "@/lib/errors";
import type { SmsCallOptions, SmsOutcome } from "@/lib/sms/types";

// The one HTTP exchange both providers need: a POST with Basic auth and a timeout, answered with the
// status, the parsed JSON body and the provider's wait, or the reason it never arrived.

export type ProviderReply =
  | {
      reached: true;
      status: number;
      /** The body as JSON, or undefined when it is not JSON. */
      json: unknown;
      retryAfterSeconds: number | undefined;
    }
  | { reached: false; reason: string };

export const DEFAULT_TIMEOUT_MS = 10_000;

export async function postWithBasicAuth(
  url: string,
  credentials: { user: string; password: string },
  body: { contentType: string; text: string },
  options: SmsCallOptions = {},
): Promise<ProviderReply> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const basic = Buffer.from(
    `${credentials.user}:${credentials.password}`,
  ).toString("base64");
  try {
    const res = await doFetch(url, {
      method: "POST",
      headers: {
        Authorization: `Basic ${basic}`,
        "Content-Type": body.contentType,
        Accept: "application/json",
      },
      body: body.text,
      // A followed redirect can turn the POST into a GET; a provider never redirects its API.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return {
      reached: true,
      status: res.status,
      json: parseJson(text),
      retryAfterSeconds: retryAfter(
        res.headers.get("retry-after"),
        options.now?.() ?? new Date(),
      ),
    };
  } catch (error) {
    return {
      reached: false,
      reason: isTimeout(error)
        ? `no answer within ${timeoutMs / 1000} s`
        : `the connection failed (${errorCodes(error)[0] ?? (error instanceof Error ? error.message : "network error")})`,
    };
  }
}

/** Retry-After as whole seconds, from either of its two forms (delay or HTTP date); undefined if absent. */
export function retryAfter(
  header: string | null,
  now: Date,
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP date names its day and month; Date.parse alone would take "-5" for a year.
  const at = /[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A failure that may pass by itself: "<provider> <what happened>. The text to … will be tried again." */
export function tryAgain(
  provider: string,
  happened: string,
  maskedTo: string,
  retryAfterSeconds?: number,
): SmsOutcome {
  return {
    ok: false,
    retry: true,
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    reason: `${provider} ${happened}. The text to ${maskedTo} will be tried again.`,
  };
}

/** A refusal that sending the same text again cannot change. */
export const giveUp = (reason: string): SmsOutcome => ({
  ok: false,
  retry: false,
  reason,
});
