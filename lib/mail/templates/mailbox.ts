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

/** To administrators: Mailcow refused Portico's API key, so Portico stopped calling it. Sent once per stop. */
export function mailcowKeyRefusedMail(p: {
  /** Portico's explanation of the refusal, already in words. */
  reason: string;
  url: string;
}): RenderedMail {
  const subject = "Mailcow refused Portico's API key: mailboxes wait for you";
  const next =
    'Portico makes no more calls to Mailcow with this key, since each refused call counts towards Mailcow\'s fail2ban, which blocks Portico after ten. New mailboxes wait as pending. Fix the key (or its IP allow-list) in Mailcow or in MAILCOW_API_KEY, then press "Try again" on the page below; a new key is used at once.';
  const text = [p.reason, "", next, "", p.url].join("\n");
  const html = mailHtml(subject, [escapeHtml(p.reason), escapeHtml(next)], {
    label: "Open Settings > Mailboxes (Mailcow)",
    url: p.url,
  });
  return { subject, text, html };
}

/**
 * To administrators: Mailcow refuses changes to an existing mailbox (its password, say) for a
 * reason only they can fix, such as a domain whose limits dropped below the mailbox's quota.
 */
export function mailboxChangeRefusedMail(p: {
  address: string;
  customerName: string;
  /** What the customer tried, e.g. "change the password". */
  attempted: string;
  reason: string;
  url: string;
}): RenderedMail {
  const subject = `Mailbox ${p.address}: Mailcow refuses changes`;
  const text = [
    `${p.customerName} tried to ${p.attempted} of ${p.address}, and Mailcow refused:`,
    "",
    p.reason,
    "",
    "The customer was told that support has been informed. You are mailed once for this cause.",
    "",
    p.url,
  ].join("\n");
  const html = mailHtml(
    subject,
    [
      `${escapeHtml(p.customerName)} tried to ${escapeHtml(p.attempted)} of <strong>${escapeHtml(p.address)}</strong>, and Mailcow refused:`,
      escapeHtml(p.reason),
      "The customer was told that support has been informed. You are mailed once for this cause.",
    ],
    { label: "Open the customer", url: p.url },
  );
  return { subject, text, html };
}
