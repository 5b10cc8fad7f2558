import "server-only";
import { formatDate, formatMoney } from "@/lib/format";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

// The customer's mail about an order. Every one names the order and links to its page.

type OrderRef = {
  customerName: string;
  number: string;
  url: string;
};

type Line = { description: string; quantity: number; totalAmount: number };

function render(
  subject: string,
  greeting: string,
  paragraphs: string[],
  link: { label: string; url: string },
): RenderedMail {
  const text = [
    greeting,
    "",
    ...paragraphs.flatMap((p) => [p, ""]),
    link.url,
  ].join("\n");
  const html = mailHtml(
    subject,
    [
      escapeHtml(greeting),
      ...paragraphs.map((p) => escapeHtml(p).replace(/\n/g, "<br>")),
    ],
    link,
  );
  return { subject, text, html };
}

const hello = (name: string) => (name.trim() ? `Hello ${name},` : "Hello,");

const lineList = (lines: Line[], currency: string) =>
  lines
    .map(
      (l) =>
        `${l.quantity} × ${l.description}: ${formatMoney(l.totalAmount, currency)}`,
    )
    .join("\n");

export function orderConfirmationMail(
  p: OrderRef & {
    lines: Line[];
    totalAmount: number;
    currency: string;
    /** Set for bank transfer: what to pay to, and the reference to quote. */
    bankTransfer?: { details: string };
  },
): RenderedMail {
  const total = formatMoney(p.totalAmount, p.currency);
  return render(
    `Order ${p.number} received`,
    hello(p.customerName),
    [
      `Thank you for your order ${p.number}.`,
      lineList(p.lines, p.currency),
      `Total: ${total}`,
      ...(p.bankTransfer
        ? [
            `Please transfer ${total} to the account below, quoting ${p.number} as the reference. We start as soon as the money arrives.`,
            p.bankTransfer.details,
          ]
        : []),
    ],
    { label: "View your order", url: p.url },
  );
}

export function paymentReceiptMail(
  p: OrderRef & {
    amount: number;
    currency: string;
    invoiceNumber: string | null;
    /** Set for a subscription's renewal, the paid-through date. */
    renewedUntil?: Date | null;
  },
): RenderedMail {
  const amount = formatMoney(p.amount, p.currency);
  return render(
    p.renewedUntil
      ? `Payment received: ${p.number} renewed`
      : `Payment received for order ${p.number}`,
    hello(p.customerName),
    [
      p.renewedUntil
        ? `We received ${amount}. Your service from order ${p.number} is paid until ${formatDate(p.renewedUntil)}.`
        : `We received your payment of ${amount} for order ${p.number}.`,
      ...(p.invoiceNumber
        ? [
            `Your invoice ${p.invoiceNumber} is on the order page, ready to print.`,
          ]
        : []),
    ],
    { label: "View your order", url: p.url },
  );
}

export function paymentFailedMail(p: OrderRef): RenderedMail {
  return render(
    `Payment for order ${p.number} failed`,
    hello(p.customerName),
    [
      `The payment for order ${p.number} did not go through, so the order is on hold.`,
      "You can try again with another payment method from the order page.",
    ],
    { label: "Pay for your order", url: p.url },
  );
}

export function refundNoticeMail(
  p: OrderRef & { amount: number; currency: string; isFull: boolean },
): RenderedMail {
  const amount = formatMoney(p.amount, p.currency);
  return render(
    `Refund of ${amount} for order ${p.number}`,
    hello(p.customerName),
    [
      p.isFull
        ? `We refunded order ${p.number} in full (${amount}).`
        : `We refunded ${amount} of order ${p.number}.`,
      "It usually reaches your account within 5 to 10 business days, depending on your bank.",
    ],
    { label: "View your order", url: p.url },
  );
}

export function renewalFailedMail(
  p: OrderRef & { service: string },
): RenderedMail {
  return render(
    `Renewal of ${p.service} failed`,
    hello(p.customerName),
    [
      `We could not collect the renewal payment for ${p.service} (order ${p.number}).`,
      "Please update your payment method under Services > Manage billing, so your service keeps running. We will try again automatically.",
    ],
    { label: "Manage your services", url: p.url },
  );
}
