import "server-only";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

// The ticket notifications. Every subject carries [TICKET-<number>] so replies can be matched even
// when a mail client drops the threading headers.

export const ticketTag = (number: string) => `[TICKET-${number}]`;

const quote = (text: string) =>
  `<blockquote style="margin:0;padding:8px 12px;border-left:3px solid #c7d2fe;color:#374151;white-space:pre-wrap">${escapeHtml(text)}</blockquote>`;

type Base = { number: string; subject: string; url: string };

// Alerts quote the customer's words; a very long message is cut, the rest is one click away.
const QUOTE_LIMIT = 4000;
const excerpt = (text: string) =>
  text.length <= QUOTE_LIMIT
    ? text
    : `${text.slice(0, QUOTE_LIMIT).trimEnd()}\n[…] (the whole message is in the staff desk)`;

export function ticketAcknowledgementMail(
  p: Base & { customerName: string; previousNumber?: string },
): RenderedMail {
  const subject = `${ticketTag(p.number)} ${p.subject}`;
  const continued = p.previousNumber
    ? `Ticket #${p.previousNumber} was closed a while ago, so your message opened this new ticket, linked to it.`
    : null;
  return {
    subject,
    text: [
      `Hello ${p.customerName},`,
      "",
      `we received your request "${p.subject}" and opened ticket #${p.number}.`,
      ...(continued ? [continued] : []),
      "An agent will get back to you soon. You can follow the ticket and add to it here:",
      p.url,
      "",
      "Or simply reply to this mail.",
    ].join("\n"),
    html: mailHtml(
      `Ticket #${p.number} is open`,
      [
        `Hello ${escapeHtml(p.customerName)},`,
        `we received your request “${escapeHtml(p.subject)}” and opened ticket #${escapeHtml(p.number)}. An agent will get back to you soon.`,
        ...(continued ? [escapeHtml(continued)] : []),
        "You can follow the ticket on the portal, or simply reply to this mail.",
      ],
      { label: "View your ticket", url: p.url },
    ),
  };
}

export function agentReplyMail(
  p: Base & {
    customerName: string;
    agentName: string;
    replyText: string;
    /** Set on the reply that resolves the ticket: it closes after this many days without an answer. */
    closesInDays?: number;
  },
): RenderedMail {
  const subject = `${ticketTag(p.number)} ${p.subject}`;
  const closing = p.closesInDays
    ? `If this solves it, there is nothing more to do: the ticket closes by itself after ${p.closesInDays} day${p.closesInDays === 1 ? "" : "s"} without a reply from you. If not, just reply and we'll pick it up again.`
    : null;
  return {
    subject,
    text: [
      `Hello ${p.customerName},`,
      "",
      `${p.agentName} replied to your ticket #${p.number}:`,
      "",
      p.replyText,
      "",
      ...(closing ? [closing, ""] : []),
      "---",
      `Reply to this mail or answer on the portal: ${p.url}`,
    ].join("\n"),
    html: mailHtml(
      `New reply on ticket #${p.number}`,
      [
        `Hello ${escapeHtml(p.customerName)},`,
        `${escapeHtml(p.agentName)} replied to your ticket “${escapeHtml(p.subject)}”:`,
        quote(p.replyText),
        ...(closing ? [escapeHtml(closing)] : []),
        "Reply to this mail or answer on the portal.",
      ],
      { label: "View the conversation", url: p.url },
    ),
  };
}

/** The same reply for someone copied on the ticket, who may have no account: answering by mail. */
export function agentReplyCopyMail(
  p: Omit<Base, "url"> & {
    customerName: string;
    agentName: string;
    replyText: string;
  },
): RenderedMail {
  return {
    subject: `${ticketTag(p.number)} ${p.subject}`,
    text: [
      "Hello,",
      "",
      `You are copied on ticket #${p.number} of ${p.customerName}. ${p.agentName} replied:`,
      "",
      p.replyText,
      "",
      "---",
      "Reply to this mail to add to the conversation.",
    ].join("\n"),
    html: mailHtml(`New reply on ticket #${p.number}`, [
      "Hello,",
      `You are copied on “${escapeHtml(p.subject)}” of ${escapeHtml(p.customerName)}. ${escapeHtml(p.agentName)} replied:`,
      quote(p.replyText),
      "Reply to this mail to add to the conversation.",
    ]),
  };
}

export function newTicketAlertMail(
  p: Base & {
    agentName: string;
    customerName: string;
    customerEmail: string;
    department: string;
    messageText: string;
  },
): RenderedMail {
  return {
    subject: `${ticketTag(p.number)} New ticket: ${p.subject}`,
    text: [
      `Hello ${p.agentName},`,
      "",
      `${p.customerName} <${p.customerEmail}> opened ticket #${p.number} in ${p.department}:`,
      "",
      excerpt(p.messageText),
      "",
      `Open it in the staff desk: ${p.url}`,
    ].join("\n"),
    html: mailHtml(
      `New ticket #${p.number} in ${p.department}`,
      [
        `Hello ${escapeHtml(p.agentName)},`,
        `${escapeHtml(p.customerName)} &lt;${escapeHtml(p.customerEmail)}&gt; opened “${escapeHtml(p.subject)}”:`,
        quote(excerpt(p.messageText)),
      ],
      { label: "Open in the staff desk", url: p.url },
    ),
  };
}

export function customerReplyAlertMail(
  p: Base & {
    agentName: string;
    customerName: string;
    messageText: string;
    /** The department of a ticket nobody is assigned to; absent for the assignee's alert. */
    unassignedIn?: string;
  },
): RenderedMail {
  const whose =
    p.unassignedIn === undefined
      ? "which is assigned to you"
      : `which nobody is assigned to yet (${p.unassignedIn.trim() || "no department name"})`;
  return {
    subject: `${ticketTag(p.number)} Customer replied: ${p.subject}`,
    text: [
      `Hello ${p.agentName},`,
      "",
      `${p.customerName} replied on ticket #${p.number}, ${whose}:`,
      "",
      excerpt(p.messageText),
      "",
      `Open it in the staff desk: ${p.url}`,
    ].join("\n"),
    html: mailHtml(
      `${p.customerName} replied on #${p.number}`,
      [
        `Hello ${escapeHtml(p.agentName)},`,
        `${escapeHtml(p.customerName)} replied on “${escapeHtml(p.subject)}”, ${escapeHtml(whose)}:`,
        quote(excerpt(p.messageText)),
      ],
      { label: "Open in the staff desk", url: p.url },
    ),
  };
}
