import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  isE164,
  startFakeSmsProvider,
  type FakeReply,
  type FakeSmsProvider,
  type ProviderAnswer,
} from "@/testing/sms/server";

// An in-process ClickSend speaking POST /v3/sms/send of its REST API v3 over real HTTP on loopback:
// Basic auth with the API username and key, a JSON list of messages, and ClickSend's envelope
// `{http_code, response_code, response_msg, data}` on every answer. As ClickSend does, a request it
// could read is a 200 and each message carries its own status (SUCCESS, INVALID_RECIPIENT…).
// Test-only: nothing in production points at it.

export type FakeClickSendOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  username?: string;
  apiKey?: string;
  /** Numbers answered INVALID_RECIPIENT although they look like E.164. */
  invalidNumbers?: string[];
  now?: () => Date;
};

/** The shared modes, plus "no_credit": an account that has run out (INSUFFICIENT_CREDIT). */
export type FakeClickSend = FakeSmsProvider<"no_credit"> & {
  username: string;
  apiKey: string;
};

const sendRequest = z.object({
  messages: z
    .array(
      z.object({
        to: z.string().optional(),
        body: z.string().optional(),
        from: z.string().optional(),
        source: z.string().optional(),
      }),
    )
    .min(1),
});

const PRICE = 0.0725;

export async function startFakeClickSend(
  options: FakeClickSendOptions = {},
): Promise<FakeClickSend> {
  const username = options.username ?? "portico-test";
  const apiKey = options.apiKey ?? randomUUID().toUpperCase();
  const invalid = new Set(options.invalidNumbers ?? []);
  const now = options.now ?? (() => new Date());

  const answer: ProviderAnswer = (request, { mode, messages, waitHeaders }) => {
    const { credentials } = request;
    if (credentials?.user !== username || credentials.password !== apiKey)
      return envelope(
        401,
        "UNAUTHORIZED",
        "Authentication credentials were missing or incorrect.",
      );
    if (request.method !== "POST" || request.pathname !== "/v3/sms/send")
      return envelope(
        404,
        "NOT_FOUND",
        "The requested resource could not be found.",
      );
    if (mode === "rate_limited")
      return {
        ...envelope(429, "TOO_MANY_REQUESTS", "Too many requests."),
        headers: waitHeaders,
      };
    const parsed = sendRequest.safeParse(parseJson(request.raw));
    if (!parsed.success)
      return envelope(
        400,
        "BAD_REQUEST",
        "The request was invalid or cannot be otherwise served.",
      );

    const at = now();
    const results = parsed.data.messages.map((m) => {
      const status = statusOf(m.to ?? "", m.body ?? "", mode);
      const messageId = randomUUID().toUpperCase();
      if (status === "SUCCESS")
        messages.push({
          id: messageId,
          to: m.to ?? "",
          from: m.from ?? null,
          body: m.body ?? "",
          at,
        });
      return {
        direction: "out",
        date: Math.floor(at.getTime() / 1000),
        to: m.to ?? "",
        body: m.body ?? "",
        from: m.from ?? "",
        schedule: 0,
        message_id: messageId,
        message_parts: 1,
        message_price: status === "SUCCESS" ? PRICE.toFixed(4) : "0.0000",
        custom_string: "",
        user_id: 1,
        subaccount_id: 1,
        country: "",
        carrier: "",
        status,
      };
    });
    const queued = results.filter((r) => r.status === "SUCCESS").length;
    return envelope(200, "SUCCESS", "Messages queued for delivery.", {
      total_price: Number((queued * PRICE).toFixed(4)),
      total_count: results.length,
      queued_count: queued,
      messages: results,
      _currency: {
        currency_name_short: "USD",
        currency_prefix_d: "$",
        currency_prefix_c: "¢",
        currency_name_long: "US Dollars",
      },
    });
  };

  function statusOf(to: string, body: string, mode: string): string {
    if (to === "" || body === "") return "MISSING_REQUIRED_FIELDS";
    if (!isE164(to) || invalid.has(to)) return "INVALID_RECIPIENT";
    if (mode === "no_credit") return "INSUFFICIENT_CREDIT";
    return "SUCCESS";
  }

  const provider = await startFakeSmsProvider<"no_credit">(
    options.port ?? 0,
    envelope(500, "INTERNAL_SERVER_ERROR", "Internal server error."),
    answer,
  );
  return { ...provider, username, apiKey };
}

function envelope(
  status: number,
  code: string,
  message: string,
  data: unknown = null,
): FakeReply {
  return {
    status,
    body: {
      http_code: status,
      response_code: code,
      response_msg: message,
      data,
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
