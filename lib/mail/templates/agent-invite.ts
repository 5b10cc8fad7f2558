import "server-only";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

export function agentInviteMail(p: {
  name: string;
  invitedBy: string;
  role: "agent" | "admin";
  url: string;
  expiresInDays: number;
}): RenderedMail {
  const subject = "You're invited to the Portico staff desk";
  const as = p.role === "admin" ? "an administrator" : "an agent";
  const text = [
    `Hello ${p.name},`,
    "",
    `${p.invitedBy} added you to the Portico staff desk as ${as}.`,
    `Open this link within ${p.expiresInDays} days to choose your password and sign in:`,
    "",
    p.url,
    "",
    "The link works once. If it has expired, ask for a new one on the sign-in page (Forgot your password?).",
  ].join("\n");
  const html = mailHtml(
    subject,
    [
      `Hello ${escapeHtml(p.name)},`,
      `${escapeHtml(p.invitedBy)} added you to the Portico staff desk as ${as}.`,
      `Use the button within ${p.expiresInDays} days to choose your password and sign in. The link works once.`,
      "If it has expired, ask for a new one on the sign-in page (Forgot your password?).",
    ],
    { label: "Choose your password", url: p.url },
  );
  return { subject, text, html };
}
