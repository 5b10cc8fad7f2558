import "server-only";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

/** To the sender of a message too large to take in: it was kept, not turned into a ticket. */
export function messageTooLargeMail(p: {
  subject: string;
  sizeMb: number;
  limitMb: number;
}): RenderedMail {
  const line = `Your message "${p.subject}" is ${p.sizeMb} MB, larger than the ${p.limitMb} MB our help desk takes in, so it has not become a ticket yet.`;
  const next =
    "An agent can still release it. If it is urgent, please send it again with smaller attachments, or share large files as a link.";
  return {
    subject: `Message too large: ${p.subject}`,
    text: ["Hello,", "", line, next].join("\n"),
    html: mailHtml("Your message was too large", [
      "Hello,",
      escapeHtml(line),
      escapeHtml(next),
    ]),
  };
}
