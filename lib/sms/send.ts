import "server-only";
import { log } from "@/lib/log";
import { createClickSendClient } from "@/lib/sms/clicksend";
import { giveUp } from "@/lib/sms/http";
import { maskPhone } from "@/lib/sms/phone";
import { createTwilioClient } from "@/lib/sms/twilio";
import type {
  SmsCallOptions,
  SmsConfig,
  SmsMessage,
  SmsOutcome,
} from "@/lib/sms/types";

// One door for every text Portico sends, whichever provider is configured. The outbox calls it per
// message and stores the outcome; the message body never leaves this function except to the provider.

const PROVIDER_NAMES: Record<SmsConfig["provider"], string> = {
  twilio: "Twilio",
  clicksend: "ClickSend",
};
const E164 = /^\+[1-9]\d{6,14}$/;

/** Sends one text. Never throws for anything the provider or the network does; see SmsOutcome. */
export async function sendSms(
  config: SmsConfig,
  message: SmsMessage,
  options: SmsCallOptions = {},
): Promise<SmsOutcome> {
  const to = maskPhone(message.to);
  const outcome = await deliver(config, message, options);
  // The masked number and the outcome only: the body carries one-time codes.
  if (outcome.ok)
    log.info("sms.sent", {
      provider: config.provider,
      to,
      providerId: outcome.providerId,
    });
  else
    log.warn("sms.failed", {
      provider: config.provider,
      to,
      retry: outcome.retry,
      retryAfterSeconds: outcome.retryAfterSeconds,
      reason: outcome.reason,
    });
  return outcome;
}

function deliver(
  config: SmsConfig,
  message: SmsMessage,
  options: SmsCallOptions,
): Promise<SmsOutcome> | SmsOutcome {
  const provider = PROVIDER_NAMES[config.provider];
  // Both providers would refuse these; saying so here costs nothing and names the real cause.
  if (!E164.test(message.to))
    return giveUp(
      `The number ${maskPhone(message.to)} is not in international form (+ and the country code), so nothing was sent to ${provider}. Numbers must be read with parsePhone before they are queued.`,
    );
  if (message.body.trim() === "")
    return giveUp(
      `The text to ${maskPhone(message.to)} was empty, so nothing was sent to ${provider}.`,
    );
  return config.provider === "twilio"
    ? createTwilioClient(config, options).send(message)
    : createClickSendClient(config, options).send(message);
}

const FIRST_WAIT_SECONDS = 30;
const LONGEST_WAIT_SECONDS = 60 * 60;

/**
 * Seconds to wait before attempt `attempt + 1` of a text whose attempt `attempt` (1-based) failed
 * with `retry: true`: 30 s doubling to at most an hour, spread by ±10 % so a backlog does not return
 * all at once. `random` (0 ≤ r < 1) is injectable for tests.
 */
export function smsBackoffSeconds(
  attempt: number,
  random: () => number = Math.random,
): number {
  const steps = Math.max(0, Math.floor(attempt) - 1);
  const base = Math.min(
    FIRST_WAIT_SECONDS * 2 ** Math.min(steps, 20),
    LONGEST_WAIT_SECONDS,
  );
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  return Math.min(jittered, LONGEST_WAIT_SECONDS);
}

/** The wait before the next attempt: the back-off, or the provider's own Retry-After when longer. */
export function smsRetryDelaySeconds(
  outcome: Extract<SmsOutcome, { ok: false }>,
  attempt: number,
  random: () => number = Math.random,
): number {
  return Math.max(
    outcome.retryAfterSeconds ?? 0,
    smsBackoffSeconds(attempt, random),
  );
}
