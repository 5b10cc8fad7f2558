import "server-only";
import { randomBytes } from "node:crypto";
import {
  isE164,
  startFakeSmsProvider,
  type FakeReply,
  type FakeSmsProvider,
  type ProviderAnswer,
} from "@/testing/sms/server";

// An in-process Twilio speaking the Messages resource of its 2010-04-01 REST API over real HTTP on
// loopback: Basic auth with the account SID and auth token, form-encoded parameters, a 201 with the
// Message resource, and Twilio's error body `{code, message, more_info, status}` for every refusal.
// Test-only: nothing in production points at it.

export type FakeTwilioOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  accountSid?: string;
  authToken?: string;
  /** Numbers refused as not valid (21211) although they look like E.164. */
  invalidNumbers?: string[];
  /** Numbers that replied STOP (21610). */
  unsubscribedNumbers?: string[];
  now?: () => Date;
};

export type FakeTwilio = FakeSmsProvider & {
  accountSid: string;
  authToken: string;
};

const MAX_BODY = 1600;

export async function startFakeTwilio(
  options: FakeTwilioOptions = {},
): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${hex(32)}`;
  const authToken = options.authToken ?? hex(32);
  const invalid = new Set(options.invalidNumbers ?? []);
  const unsubscribed = new Set(options.unsubscribedNumbers ?? []);
  const now = options.now ?? (() => new Date());

  const answer: ProviderAnswer = (request, { mode, messages, waitHeaders }) => {
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(
      request.pathname,
    );
    const { credentials } = request;
    // Twilio checks the credentials first, and the path's account must be the one authenticated.
    if (
      !credentials ||
      credentials.user !== accountSid ||
      credentials.password !== authToken ||
      (path && decodeURIComponent(path[1] ?? "") !== accountSid)
    )
      return {
        ...twilioError(401, 20003, "Authenticate"),
        headers: { "WWW-Authenticate": 'Basic realm="Twilio API"' },
      };
    if (!path || request.method !== "POST")
      return twilioError(
        404,
        20404,
        `The requested resource ${request.pathname} was not found`,
      );
    if (mode === "rate_limited")
      return {
        ...twilioError(429, 20429, "Too Many Requests"),
        headers: waitHeaders,
      };

    const form = new URLSearchParams(
      request.contentType.startsWith("application/x-www-form-urlencoded")
        ? request.raw
        : "",
    );
    const to = form.get("To") ?? "";
    const body = form.get("Body") ?? "";
    const from = form.get("From");
    const service = form.get("MessagingServiceSid");
    if (to === "")
      return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!from && !service)
      return twilioError(
        400,
        21603,
        "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
      );
    if (body === "")
      return twilioError(400, 21602, "Message body is required.");
    if (body.length > MAX_BODY)
      return twilioError(
        400,
        21617,
        "The concatenated message body exceeds the 1600 character limit.",
      );
    if (!isE164(to) || invalid.has(to))
      return twilioError(
        400,
        21211,
        `The 'To' number ${to} is not a valid phone number.`,
      );
    if (unsubscribed.has(to))
      return twilioError(
        400,
        21610,
        "Attempt to send to unsubscribed recipient",
      );

    const sid = `SM${hex(32)}`;
    const at = now();
    messages.push({ id: sid, to, from: from ?? service, body, at });
    return { status: 201, body: messageResource(sid, at) };

    function messageResource(sid: string, at: Date) {
      const date = at.toUTCString().replace("GMT", "+0000");
      return {
        account_sid: accountSid,
        api_version: "2010-04-01",
        body,
        date_created: date,
        date_sent: null,
        date_updated: date,
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        from: service ? null : from,
        messaging_service_sid: service,
        num_media: "0",
        num_segments: service ? "0" : String(Math.ceil(body.length / 153) || 1),
        price: null,
        price_unit: "USD",
        sid,
        // A Messaging Service first "accepts" the message, then picks a sender and queues it.
        status: service ? "accepted" : "queued",
        subresource_uris: {
          media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json`,
        },
        to,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      };
    }
  };

  const provider = await startFakeSmsProvider(
    options.port ?? 0,
    twilioError(500, 20500, "Internal Server Error"),
    answer,
  );
  return { ...provider, accountSid, authToken };
}

function twilioError(status: number, code: number, message: string): FakeReply {
  return {
    status,
    body: {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    },
  };
}

const hex = (length: number) => randomBytes(length / 2).toString("hex");
