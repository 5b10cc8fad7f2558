import "server-only";
import nodemailer, { type Transporter } from "nodemailer";

/** The SMTP boundary. Null when SMTP_URL is unset: mail then stays in the outbox, readable by admins. */
export function createMailTransport(
  smtpUrl: string | undefined,
): Transporter | null {
  if (!smtpUrl) return null;
  return nodemailer.createTransport(smtpUrl);
}
