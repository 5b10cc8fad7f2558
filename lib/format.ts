// Presentation helpers, client-safe. Money is integer minor units plus an ISO currency code.

// Building a formatter costs a hundred times what formatting with it does, and every Stripe receipt
// formats money. Formatters hold no state of their own; the keys are locales × ISO currency codes
// (an unknown code throws before it is kept).
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(
  amountMinor: number,
  currency: string,
  locale = "en-IE",
): string {
  const key = `${locale} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format)
    moneyFormats.set(
      key,
      (format = new Intl.NumberFormat(locale, { style: "currency", currency })),
    );
  return format.format(amountMinor / 100);
}

export function formatDate(date: Date, locale = "en-GB"): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeZone: "UTC",
  }).format(date);
}

export function formatDateTime(date: Date, locale = "en-GB"): string {
  return (
    new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    }).format(date) + " UTC"
  );
}

const INTERVALS = {
  day: "day",
  week: "week",
  month: "month",
  year: "year",
} as const;

export function formatPrice(p: {
  unitAmount: number;
  currency: string;
  interval: keyof typeof INTERVALS | null;
  intervalCount: number | null;
}): string {
  const amount = formatMoney(p.unitAmount, p.currency);
  if (!p.interval) return amount;
  const n = p.intervalCount ?? 1;
  return n === 1
    ? `${amount} / ${INTERVALS[p.interval]}`
    : `${amount} every ${n} ${INTERVALS[p.interval]}s`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** Binary units (1 KiB = 1024 B), as Mailcow and Dovecot count quota: "0 B", "1.2 GiB", "512 MiB". */
export function formatByteSize(bytes: number, locale = "en-GB"): string {
  let value = Number.isFinite(bytes) ? Math.max(0, bytes) : 0;
  let unit = 0;
  // Step up on the rounded value, so 1023.96 KiB reads "1 MiB" rather than "1,024 KiB".
  while (unit < BYTE_UNITS.length - 1 && roundForDisplay(value) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  const number = new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
  }).format(value);
  return `${number} ${BYTE_UNITS[unit]}`;
}

// One decimal below 10, whole numbers above: enough to see a quota move without noise.
function roundForDisplay(value: number): number {
  return value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
}
