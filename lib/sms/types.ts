// What the SMS layer hands over and answers, whichever provider sends.

/** One text message: `to` in E.164 (from parsePhone). The body carries one-time codes: never log it. */
export type SmsMessage = { to: string; body: string };

/**
 * A provider's answer. `reason` is plain English for an admin, naming the provider and the masked
 * number; `retry` says whether the same message may succeed later without anyone changing anything.
 */
export type SmsOutcome =
  | { ok: true; providerId: string }
  | {
      ok: false;
      retry: boolean;
      /** The provider's own wait (Retry-After), in seconds, when it gave one. */
      retryAfterSeconds?: number;
      reason: string;
    };

/** What each provider's client offers: one text per call. */
export type SmsSender = { send: (message: SmsMessage) => Promise<SmsOutcome> };

export type TwilioConfig = {
  provider: "twilio";
  accountSid: string;
  authToken: string;
  /** A Messaging Service picks the sender itself; otherwise one fixed number or sender ID. */
  sender:
    | { kind: "messaging_service"; messagingServiceSid: string }
    | { kind: "from"; from: string };
  /** Twilio itself, or a loopback stand-in such as `http://127.0.0.1:3221`. */
  apiUrl: string;
};

export type ClickSendConfig = {
  provider: "clicksend";
  username: string;
  apiKey: string;
  /** Sender ID or number; unset lets ClickSend use the account's default sender. */
  from: string | undefined;
  /** ClickSend itself, or a loopback stand-in such as `http://127.0.0.1:3222`. */
  apiUrl: string;
};

export type SmsConfig = TwilioConfig | ClickSendConfig;

/** What a test or a caller may change about how a provider is called. */
export type SmsCallOptions = {
  /** Per request, including reading the answer; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** For reading a Retry-After given as a date. */
  now?: () => Date;
};
