import type Stripe from "stripe";

// Amounts as Stripe computes and shows them: minor units, the fake's stand-in for Stripe Tax, and
// currencies without a minor unit.

// A deterministic stand-in for Stripe Tax: 19 %, added to exclusive prices, contained in inclusive ones.
const TAX_PERCENT = 19;
export const ZERO_DECIMAL = new Set(
  "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "),
);

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function lineAmounts(
  price: Pick<
    Stripe.Price,
    "unit_amount" | "unit_amount_decimal" | "tax_behavior"
  >,
  quantity: number,
  automaticTax: boolean,
) {
  const unit =
    price.unit_amount ??
    (price.unit_amount_decimal === null
      ? 0
      : Number(price.unit_amount_decimal.toString()));
  const subtotal = Math.round(unit * quantity);
  const inclusive = price.tax_behavior === "inclusive";
  if (!automaticTax) return { subtotal, tax: 0, total: subtotal, inclusive };
  if (inclusive) {
    const tax = subtotal - Math.round((subtotal * 100) / (100 + TAX_PERCENT));
    return { subtotal, tax, total: subtotal, inclusive };
  }
  const tax = Math.round((subtotal * TAX_PERCENT) / 100);
  return { subtotal, tax, total: subtotal + tax, inclusive };
}

export function formatMoney(amount: number, currency: string): string {
  const digits = ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
  try {
    return new Intl.NumberFormat("en", {
      style: "currency",
      currency: currency.toUpperCase(),
    }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}
