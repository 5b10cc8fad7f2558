import { stripeError, type ApiReply } from "@/testing/stripe/replies";

// The failures a test can make the fake Stripe show: each armed fault answers (or drops) the next API
// call in place of processing it.

/** What the next API calls answer instead of being processed. */
export type FailKind =
  401 | 402 | 429 | 500 | "500-should-retry-false" | "drop";

export type Switches = {
  failNext: (kind: FailKind, count?: number) => void;
  /** The fault the next API call meets, if one is armed; it is spent. */
  take: () => FailKind | undefined;
};

export function createSwitches(): Switches {
  const faults: FailKind[] = [];
  return {
    failNext: (kind, count = 1) => {
      for (let i = 0; i < count; i++) faults.push(kind);
    },
    take: () => faults.shift(),
  };
}

export function faultReply(kind: Exclude<FailKind, "drop">): ApiReply {
  switch (kind) {
    case 401:
      return stripeError(401, {
        message: "Invalid API Key provided: sk_test_****",
      });
    case 402:
      return stripeError(402, {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        message: "Your card was declined.",
      });
    case 429:
      return stripeError(429, {
        code: "rate_limit",
        message:
          "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
      });
    case 500:
      return stripeError(500, {
        type: "api_error",
        message: "An unknown error occurred",
      });
    case "500-should-retry-false":
      return stripeError(
        500,
        { type: "api_error", message: "An unknown error occurred" },
        { "Stripe-Should-Retry": "false" },
      );
  }
}
