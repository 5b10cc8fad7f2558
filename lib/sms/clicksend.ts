import "server-only";
import { z } from "zod";
import { giveUp, postWithBasicAuth, tryAgain } from "@/lib/sms/http";
import { maskPhone, maskPhonesIn } from "@/lib/sms/phone";
import type {
  ClickSendConfig,
  SmsCallOptions,
  SmsSender,
} from "@/lib/sms/types";

// The thin boundary around ClickSend's REST API v3: POST /v3/sms/send with one message. ClickSend
// answers 200 for the request as a whole and gives each message its own status, so a 200 can still
// be a refusal. No business rules, no logging: callers get an SmsOutcome and decide.

// The envelope of every ClickSend answer, success or not.
const clickSendReply = z.object({
  http_code: z.number().optional(),
  response_code: z.string(),
  response_msg: z.string().optional(),
  data: z.unknown().optional(),
});
const sentMessages = z.object({
  messages: z
    .array(
      z.object({
        status: z.string(),
        message_id: z.string().optional(),
      }),
    )
    .min(1),
});

/** Per-message statuses, in words an admin understands, and whether the same text may pass later. */
export const CLICKSEND_STATUSES: Readonly<
  Record<string, { retry: boolean; explain: (to: string) => string }>
> = {
  INVALID_RECIPIENT: {
    retry: false,
    explain: (to) =>
      `ClickSend refused the number ${to}: it is not a valid recipient`,
  },
  COUNTRY_NOT_ENABLED: {
    retry: false,
    explain: (to) =>
      `ClickSend refused the number ${to}: the account may not send to that country`,
  },
  MISSING_REQUIRED_FIELDS: {
    retry: false,
    explain: (to) =>
      `ClickSend refused the text to ${to}: the number or the message was missing`,
  },
  INVALID_SENDER_ID: {
    retry: false,
    explain: (to) =>
      `ClickSend refused the sender: CLICKSEND_FROM is not a sender ID it accepts. The text to ${to} was not sent`,
  },
  INSUFFICIENT_CREDIT: {
    // Sent once someone tops the account up: worth keeping, and the admin is told what to do.
    retry: true,
    explain: (to) =>
      `ClickSend has no credit left on the account: top it up in the ClickSend dashboard. The text to ${to} will be tried again`,
  },
  THROTTLED: {
    retry: true,
    explain: (to) =>
      `ClickSend is holding back repeated texts to ${to}; it will be tried again`,
  },
  INTERNAL_ERROR: {
    retry: true,
    explain: (to) =>
      `ClickSend had an internal error. The text to ${to} will be tried again`,
  },
};

export function createClickSendClient(
  config: Omit<ClickSendConfig, "provider">,
  options: SmsCallOptions = {},
): SmsSender {
  const url = `${config.apiUrl.replace(/\/+$/, "")}/v3/sms/send`;

  const send: SmsSender["send"] = async (message) => {
    const to = maskPhone(message.to);
    const reply = await postWithBasicAuth(
      url,
      { user: config.username, password: config.apiKey },
      {
        contentType: "application/json",
        text: JSON.stringify({
          messages: [
            {
              // ClickSend's "method of sending", shown in its dashboard.
              source: "portico",
              ...(config.from && { from: config.from }),
              to: message.to,
              body: message.body,
            },
          ],
        }),
      },
      options,
    );
    if (!reply.reached)
      return tryAgain("ClickSend", `could not be reached: ${reply.reason}`, to);

    const envelope = clickSendReply.safeParse(reply.json);
    const code = envelope.success ? envelope.data.response_code : undefined;
    const said = envelope.success
      ? maskPhonesIn(envelope.data.response_msg ?? "")
      : "";
    if (reply.status === 429 || code === "TOO_MANY_REQUESTS")
      return tryAgain(
        "ClickSend",
        "is limiting how fast we send (TOO_MANY_REQUESTS)",
        to,
        reply.retryAfterSeconds,
      );
    if (reply.status >= 500)
      return tryAgain(
        "ClickSend",
        `had a server error (${reply.status}${code ? ` ${code}` : ""})`,
        to,
        reply.retryAfterSeconds,
      );
    if (reply.status === 401 || code === "UNAUTHORIZED")
      return giveUp(
        `ClickSend refused the username and API key (UNAUTHORIZED); check CLICKSEND_USERNAME and CLICKSEND_API_KEY. No text can be sent until they are corrected. The text to ${to} was not sent.`,
      );
    if (reply.status < 200 || reply.status >= 300 || code !== "SUCCESS")
      return giveUp(
        `ClickSend refused the text to ${to} (${reply.status}${code ? ` ${code}` : ""})${said ? `: ${said}` : "."}`,
      );

    const sent = sentMessages.safeParse(envelope.data?.data);
    const first = sent.success ? sent.data.messages[0] : undefined;
    if (first?.status === "SUCCESS" && first.message_id)
      return { ok: true, providerId: first.message_id };
    if (!first || first.status === "SUCCESS")
      // ClickSend said yes: sending again could deliver the code twice.
      return giveUp(
        `ClickSend accepted the text to ${to} but its answer had no message ID; it may have been sent.`,
      );
    const known = CLICKSEND_STATUSES[first.status];
    const reason = known
      ? `${known.explain(to)} (${first.status}).`
      : `ClickSend refused the text to ${to} (${first.status}).`;
    return known?.retry ? { ok: false, retry: true, reason } : giveUp(reason);
  };

  return { send };
}
