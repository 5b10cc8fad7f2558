import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import type { SmsConfig, TwilioConfig } from "@/lib/sms/types";

// The SMS_*, TWILIO_* and CLICKSEND_* variables, read the way lib/env.ts reads the others: zod, empty
// counts as unset, and a provider chosen without its credentials stops start-up with the names of
// the missing variables. It takes the variables as an argument because lib/env.ts alone reads
// process.env: env() calls smsConfig(process.env).

const TWILIO_API_URL = "https://api.twilio.com";
const CLICKSEND_API_URL = "https://rest.clicksend.com";

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const smsEnvSchema = z.object({
  SMS_PROVIDER: optionalString.pipe(
    z
      .enum(["twilio", "clicksend"], {
        error:
          'must be "twilio" or "clicksend", or unset to keep texts in the outbox',
      })
      .optional(),
  ),
  TWILIO_ACCOUNT_SID: optionalString.pipe(
    z
      .string()
      .regex(
        /^AC[0-9a-fA-F]{32}$/,
        "must be the account SID: AC and 32 hexadecimal digits",
      )
      .optional(),
  ),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString.pipe(
    z
      .string()
      .regex(
        /^(\+[1-9]\d{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/,
        "must be a number in E.164 form (+15551234567) or an alphanumeric sender ID of at most 11 characters",
      )
      .optional(),
  ),
  TWILIO_MESSAGING_SERVICE_SID: optionalString.pipe(
    z
      .string()
      .regex(
        /^MG[0-9a-fA-F]{32}$/,
        "must be a Messaging Service SID: MG and 32 hexadecimal digits",
      )
      .optional(),
  ),
  TWILIO_API_URL: optionalString.pipe(z.url().optional()),
  CLICKSEND_USERNAME: optionalString,
  CLICKSEND_API_KEY: optionalString,
  CLICKSEND_FROM: optionalString,
  CLICKSEND_API_URL: optionalString.pipe(z.url().optional()),
});

/**
 * The configured SMS provider; null when SMS_PROVIDER is unset (texts stay in the outbox). Throws,
 * naming each variable, when the chosen provider's settings are missing or malformed.
 */
export function smsConfig(
  vars: Record<string, string | undefined>,
): SmsConfig | null {
  const parsed = smsEnvSchema.safeParse(vars);
  if (!parsed.success)
    return invalid(
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    );
  const e = parsed.data;
  if (e.SMS_PROVIDER === "twilio") {
    // A Messaging Service chooses among its own senders, so it wins when both are set.
    const sender: TwilioConfig["sender"] | null = e.TWILIO_MESSAGING_SERVICE_SID
      ? {
          kind: "messaging_service",
          messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
        }
      : e.TWILIO_FROM
        ? { kind: "from", from: e.TWILIO_FROM }
        : null;
    const problems = [
      !e.TWILIO_ACCOUNT_SID && "TWILIO_ACCOUNT_SID",
      !e.TWILIO_AUTH_TOKEN && "TWILIO_AUTH_TOKEN",
      !sender && "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID",
    ]
      .filter((name) => name !== false)
      .map((name) => `${name} must be set with SMS_PROVIDER=twilio`);
    if (
      problems.length > 0 ||
      !e.TWILIO_ACCOUNT_SID ||
      !e.TWILIO_AUTH_TOKEN ||
      !sender
    )
      return invalid(problems);
    return {
      provider: "twilio",
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      sender,
      apiUrl: e.TWILIO_API_URL ?? TWILIO_API_URL,
    };
  }
  if (e.SMS_PROVIDER === "clicksend") {
    const problems = [
      !e.CLICKSEND_USERNAME && "CLICKSEND_USERNAME",
      !e.CLICKSEND_API_KEY && "CLICKSEND_API_KEY",
    ]
      .filter((name) => name !== false)
      .map((name) => `${name} must be set with SMS_PROVIDER=clicksend`);
    if (problems.length > 0 || !e.CLICKSEND_USERNAME || !e.CLICKSEND_API_KEY)
      return invalid(problems);
    return {
      provider: "clicksend",
      username: e.CLICKSEND_USERNAME,
      apiKey: e.CLICKSEND_API_KEY,
      from: e.CLICKSEND_FROM,
      apiUrl: e.CLICKSEND_API_URL ?? CLICKSEND_API_URL,
    };
  }
  return null;
}

function invalid(problems: string[]): never {
  throw new Error(
    `Invalid environment:\n${problems.map((p) => `  ${p}`).join("\n")}`,
  );
}

let cached: {
  vars: Record<string, string | undefined>;
  config: SmsConfig | null;
} | null = null;

/** The configured provider (null: texts stay in the SMS outbox), from the environment. */
export function smsFromEnv(): SmsConfig | null {
  const vars = env().smsVars;
  if (cached?.vars !== vars) cached = { vars, config: smsConfig(vars) };
  return cached.config;
}
