// Presentation helpers, client-safe. Money is integer minor units plus an ISO currency code.

export function formatMoney(
  amountMinor: number,
  currency: string,
  locale = "en-IE",
): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(
    amountMinor / 100,
  );
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
