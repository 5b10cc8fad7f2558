import "server-only";
import { z } from "zod";
import { giveUp, postWithBasicAuth, tryAgain } from "@/lib/sms/http";
import { maskPhone, maskPhonesIn } from "@/lib/sms/phone";
import type { TwilioConfig, SmsCallOptions, SmsSender } from "@/lib/sms/types";

// The thin boundary around Twilio's Programmable Messaging REST API (2010-04-01): create one Message
// resource per text. No business rules, no logging: callers get an SmsOutcome and decide.

// Twilio's error body on every 4xx and 5xx.
const twilioError = z.object({
  code: z.number(),
  message: z.string(),
  more_info: z.string().optional(),
  status: z.number().optional(),
});
const twilioMessage = z.object({ sid: z.string().min(1), status: z.string() });

/** Refusals about the recipient, in words an admin understands (Twilio's error dictionary). */
export const TWILIO_NUMBER_REFUSALS: Readonly<Record<number, string>> = {
  21211: "it is not a valid phone number",
  21614: "it is not a mobile number that can receive texts",
  21610:
    "the recipient has unsubscribed by replying STOP, and must text START to this sender before anything reaches them again",
  21408:
    "the Twilio account is not permitted to send to that country (see Messaging → Settings → Geo permissions in the Twilio console)",
  21612: "Twilio cannot route a text to it from this sender",
  21604: "no recipient number was given",
};

/** Refusals of our own settings: they fail every message until someone changes the configuration. */
export const TWILIO_SETTING_REFUSALS: Readonly<Record<number, string>> = {
  20003:
    "Twilio refused the account SID and auth token; check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN. No text can be sent until they are corrected",
  20404:
    "Twilio does not know this account or Messaging Service; check TWILIO_ACCOUNT_SID and TWILIO_MESSAGING_SERVICE_SID",
  21212: "TWILIO_FROM is not a valid sender number or sender ID",
  21606: "TWILIO_FROM is not a number this Twilio account may send texts from",
  21659: "TWILIO_FROM is not a number this Twilio account may send texts from",
  21603: "neither TWILIO_FROM nor TWILIO_MESSAGING_SERVICE_SID was sent",
  21602: "the message was empty",
  21617: "the message is longer than Twilio's 1600 characters",
};

export function createTwilioClient(
  config: Omit<TwilioConfig, "provider">,
  options: SmsCallOptions = {},
): SmsSender {
  const url = `${config.apiUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;

  const send: SmsSender["send"] = async (message) => {
    const to = maskPhone(message.to);
    const form = new URLSearchParams({ To: message.to, Body: message.body });
    if (config.sender.kind === "messaging_service")
      form.set("MessagingServiceSid", config.sender.messagingServiceSid);
    else form.set("From", config.sender.from);
    const reply = await postWithBasicAuth(
      url,
      { user: config.accountSid, password: config.authToken },
      {
        contentType: "application/x-www-form-urlencoded",
        text: form.toString(),
      },
      options,
    );
    if (!reply.reached)
      return tryAgain("Twilio", `could not be reached: ${reply.reason}`, to);

    if (reply.status >= 200 && reply.status < 300) {
      const created = twilioMessage.safeParse(reply.json);
      return created.success
        ? { ok: true, providerId: created.data.sid }
        : // Twilio said yes: sending again could deliver the code twice.
          giveUp(
            `Twilio accepted the text to ${to} (${reply.status}) but its answer had no message SID; it may have been sent.`,
          );
    }

    const error = twilioError.safeParse(reply.json);
    const code = error.success ? error.data.code : undefined;
    // Twilio's messages quote the number in full.
    const said = error.success
      ? maskPhonesIn(error.data.message)
      : "no error details";
    if (reply.status === 429 || code === 20429)
      return tryAgain(
        "Twilio",
        `is limiting how fast we send (${code ?? 429})`,
        to,
        reply.retryAfterSeconds,
      );
    if (reply.status >= 500)
      return tryAgain(
        "Twilio",
        `had a server error (${reply.status}${code ? `, ${code}` : ""})`,
        to,
        reply.retryAfterSeconds,
      );
    if (code !== undefined && TWILIO_NUMBER_REFUSALS[code])
      return giveUp(
        `Twilio refused the number ${to}: ${TWILIO_NUMBER_REFUSALS[code]} (${code}).`,
      );
    const setting =
      code !== undefined
        ? TWILIO_SETTING_REFUSALS[code]
        : reply.status === 401
          ? TWILIO_SETTING_REFUSALS[20003]
          : undefined;
    if (setting)
      return giveUp(
        `${setting} (${code ?? reply.status}). The text to ${to} was not sent.`,
      );
    return giveUp(
      `Twilio refused the text to ${to} (${reply.status}${code ? `, ${code}` : ""}): ${said}`,
    );
  };

  return { send };
}
