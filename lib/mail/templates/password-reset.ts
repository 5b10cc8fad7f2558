import "server-only";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

export function passwordResetMail(p: {
  name: string;
  url: string;
  expiresInMinutes: number;
}): RenderedMail {
  const subject = "Reset your Portico password";
  const text = [
    `Hello ${p.name},`,
    "",
    "Someone (hopefully you) asked to reset the password of your Portico account.",
    `Open this link within ${p.expiresInMinutes} minutes to choose a new one:`,
    "",
    p.url,
    "",
    "The link works once. If you did not ask for this, ignore this mail: your password stays as it is.",
  ].join("\n");
  const html = mailHtml(
    subject,
    [
      `Hello ${escapeHtml(p.name)},`,
      "Someone (hopefully you) asked to reset the password of your Portico account.",
      `Use the button within ${p.expiresInMinutes} minutes to choose a new one. The link works once.`,
      "If you did not ask for this, ignore this mail: your password stays as it is.",
    ],
    { label: "Choose a new password", url: p.url },
  );
  return { subject, text, html };
}
