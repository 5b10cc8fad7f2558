// The failures a test can make the fake Shopify show. Each armed fault answers the next GraphQL call
// in place of running it; "token refused" stays on until switched off and answers every call 401,
// as Shopify does once an app's token is revoked or the app uninstalled.

export type FaultKind =
  | 401
  | 429
  | 500
  | 503
  | "THROTTLED"
  | "ACCESS_DENIED"
  | "PROTECTED_CUSTOMER_DATA"
  | "network";

export type Fault = {
  kind: FaultKind;
  /** Seconds for 429's Retry-After header. */
  retryAfter?: number;
  /** The scope an ACCESS_DENIED names; default read_orders. */
  scope?: string;
};

export type Switches = {
  failNext: (
    kind: FaultKind,
    options?: Omit<Fault, "kind"> & { count?: number },
  ) => void;
  /** The fault the next GraphQL call meets, if one is armed; it is spent. */
  take: () => Fault | undefined;
  clear: () => void;
  tokenRefused: boolean;
};

export function createSwitches(): Switches {
  const faults: Fault[] = [];
  return {
    failNext: (kind, { count = 1, ...rest } = {}) => {
      for (let i = 0; i < count; i++) faults.push({ kind, ...rest });
    },
    take: () => faults.shift(),
    clear: () => {
      faults.length = 0;
    },
    tokenRefused: false,
  };
}

export const FAULT_KINDS: readonly FaultKind[] = [
  401,
  429,
  500,
  503,
  "THROTTLED",
  "ACCESS_DENIED",
  "PROTECTED_CUSTOMER_DATA",
  "network",
];
