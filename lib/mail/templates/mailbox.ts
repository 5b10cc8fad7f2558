import "server-only";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

/** To administrators: a customer's mailbox needs someone (a full domain, a refused key, a refusal). */
export function mailboxTroubleMail(p: {
  address: string;
  customerName: string;
  /** Portico's explanation, already in words. */
  reason: string;
  waiting: boolean;
  url: string;
}): RenderedMail {
  const subject = p.waiting
    ? `Mailbox ${p.address} is waiting: ${p.reason}`
    : `Mailbox ${p.address} could not be created`;
  const next = p.waiting
    ? "Portico keeps trying on its own and creates it once the cause is fixed."
    : "Portico will not try again by itself: retry it or delete it from the customer's page once the cause is fixed.";
  const text = [
    `The mailbox ${p.address} of ${p.customerName} ${p.waiting ? "is waiting" : "failed"}:`,
    "",
    p.reason,
    "",
    next,
    "",
    p.url,
  ].join("\n");
  const html = mailHtml(
    subject,
    [
      `The mailbox <strong>${escapeHtml(p.address)}</strong> of ${escapeHtml(p.customerName)} ${p.waiting ? "is waiting" : "failed"}:`,
      escapeHtml(p.reason),
      escapeHtml(next),
    ],
    { label: "Open the customer", url: p.url },
  );
  return { subject, text, html };
}
