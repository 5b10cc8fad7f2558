import { z } from "zod";
import type { MailcowPasswordPolicy } from "@/lib/mailcow/types";

// Mailbox names, mailbox passwords and the mailbox forms' input. Client-safe: the forms check as you
// type, and the actions behind them check again (a password also against Mailcow's live policy).

// --- Names ------------------------------------------------------------------------------------
// The local part of a customer's address. Mailcow puts the address in URL paths, so Portico allows
// only [a-z0-9] with single ".", "-" or "_" between (docs/mailcow.md §5.1), and keeps role addresses
// (postmaster, abuse, …) for the company.

export const MAILBOX_NAME_MAX = 64;
const SHAPE = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

// RFC 2142 role addresses, mail-system names, and addresses a help desk needs for itself.
const RESERVED = new Set([
  "abuse",
  "admin",
  "administrator",
  "billing",
  "help",
  "helpdesk",
  "hostmaster",
  "info",
  "mailer-daemon",
  "marketing",
  "no-reply",
  "noc",
  "noreply",
  "postmaster",
  "root",
  "sales",
  "security",
  "support",
  "sysadmin",
  "webmaster",
]);

export function isReservedMailboxName(name: string): boolean {
  return RESERVED.has(name);
}

/** A mailbox's full address, as Mailcow and the customer know it. */
export const mailboxAddress = (box: { localPart: string; domain: string }) =>
  `${box.localPart}@${box.domain}`;

/** Why `name` cannot be a mailbox name, in words for the form; null when it can. */
export function mailboxNameProblem(name: string): string | null {
  if (name === "") return "Choose a name for your mailbox.";
  if (name.length > MAILBOX_NAME_MAX)
    return `Use at most ${MAILBOX_NAME_MAX} characters.`;
  if (name !== name.toLowerCase())
    return "Use lower-case letters (a–z) and digits.";
  if (!SHAPE.test(name))
    return 'Use letters a–z and digits, with single ".", "-" or "_" between them (not at the start or end).';
  if (isReservedMailboxName(name))
    return `"${name}" is kept for the company's own mail. Choose another name.`;
  return null;
}

/** A valid name made from the person's name (or their email's local part), for the form to suggest. */
export function suggestMailboxName(fullName: string, email: string): string {
  const fromName = slug(fullName, ".");
  const fromEmail = slug(email.split("@")[0] ?? "", ".");
  const base = (fromName.length >= 2 ? fromName : fromEmail) || "mailbox";
  const trimmed = trimTo(base, MAILBOX_NAME_MAX);
  return isReservedMailboxName(trimmed) ? `${trimmed}1` : trimmed;
}

/**
 * The first of `base`, `base2`, `base3`, … that is free, for a "taken, how about …" message.
 * `isTaken` asks wherever names live (Portico's mailboxes, and Mailcow).
 */
export async function firstFreeMailboxName(
  base: string,
  isTaken: (name: string) => Promise<boolean>,
  maxTries = 50,
): Promise<string | null> {
  for (let n = 1; n <= maxTries; n++) {
    const suffix = n === 1 ? "" : String(n);
    const candidate = `${trimTo(base, maxWithout(suffix))}${suffix}`;
    if (mailboxNameProblem(candidate) !== null) continue;
    if (!(await isTaken(candidate))) return candidate;
  }
  return null;
}

const maxWithout = (suffix: string) => MAILBOX_NAME_MAX - suffix.length;

function slug(text: string, separator: "." | "-"): string {
  return (
    text
      .normalize("NFKD")
      // Combining marks left by NFKD (é → e + ´), then the few letters NFKD does not split.
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/ß/g, "ss")
      .replace(/[æ]/gi, "ae")
      .replace(/[ø]/gi, "o")
      .replace(/[đð]/gi, "d")
      .replace(/[ł]/gi, "l")
      .replace(/[þ]/gi, "th")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, separator)
      .replace(/^[._-]+|[._-]+$/g, "")
  );
}

function trimTo(name: string, max: number): string {
  return name.slice(0, max).replace(/[._-]+$/, "");
}

// --- Passwords --------------------------------------------------------------------------------
// Portico's rule for mailbox passwords (docs/mailcow.md §6): its own floor, on top of Mailcow's live policy,
// so a customer sees a sentence here and never a Mailcow key. Client-safe: the form checks as you type.

export const MAILBOX_PASSWORD_MIN = 12;
/** Dovecot's hashes read at most 72 bytes; a longer password would be silently cut. */
export const MAILBOX_PASSWORD_MAX_BYTES = 72;

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * What is wrong with `password` as a mailbox password, one sentence per rule broken; empty when it
 * is fine. Without `policy` (Mailcow unreachable) only Portico's own floor is checked.
 */
export function mailboxPasswordProblems(
  password: string,
  policy: MailcowPasswordPolicy | null,
): string[] {
  const problems: string[] = [];
  if ([...password].length < MAILBOX_PASSWORD_MIN)
    problems.push(`Use at least ${MAILBOX_PASSWORD_MIN} characters.`);
  if (utf8Length(password) > MAILBOX_PASSWORD_MAX_BYTES)
    problems.push(
      `Use a shorter password: at most ${MAILBOX_PASSWORD_MAX_BYTES} bytes (letters like ä count twice).`,
    );
  if (/[\u0000-\u001f\u007f]/.test(password))
    problems.push("Remove tabs, line breaks and other control characters.");
  // Dovecot would read "{SHA512}…" as an already-hashed password.
  if (/^\{[A-Za-z0-9._-]*\}/.test(password))
    problems.push(
      'Do not start the password with a word in braces, like "{PLAIN}".',
    );
  if (!policy) return problems;
  // Portico's own floor (12 characters, so at least 12 bytes) already covers a lower minimum.
  if (
    policy.minBytes > MAILBOX_PASSWORD_MIN &&
    utf8Length(password) < policy.minBytes
  )
    problems.push(
      `The mail server asks for at least ${policy.minBytes} characters.`,
    );
  if (policy.needsLetter && !/[A-Za-z]/.test(password))
    problems.push("Include at least one letter (a–z).");
  if (
    policy.needsLowerAndUpper &&
    !(/[a-z]/.test(password) && /[A-Z]/.test(password))
  )
    problems.push("Include both lower-case and upper-case letters.");
  if (policy.needsDigit && !/[0-9]/.test(password))
    problems.push("Include at least one digit.");
  if (policy.needsSpecial && !/[^A-Za-z0-9]/.test(password))
    problems.push(
      "Include at least one character that is not a letter or a digit, like - or !.",
    );
  return problems;
}

/** The rules in words, for the hint under the password field. */
export function mailboxPasswordHint(
  policy: MailcowPasswordPolicy | null,
): string {
  const rules = [
    `at least ${Math.max(MAILBOX_PASSWORD_MIN, policy?.minBytes ?? 0)} characters`,
  ];
  if (policy?.needsLowerAndUpper) rules.push("lower- and upper-case letters");
  else if (policy?.needsLetter) rules.push("a letter");
  if (policy?.needsDigit) rules.push("a digit");
  if (policy?.needsSpecial)
    rules.push("a character that is not a letter or digit");
  return `Use ${rules.join(", ")}. This is the password for mail apps and webmail; your portal password stays as it is.`;
}

// --- Form input -------------------------------------------------------------------------------

export const mailboxName = z
  .string()
  .trim()
  // Mail addresses are case-insensitive; "Jane.Doe" is simply jane.doe.
  .toLowerCase()
  .superRefine((name, ctx) => {
    const problem = mailboxNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const confirmed = <T extends { password: string; confirm: string }>(
  v: T,
): boolean => v.password === v.confirm;
const MISMATCH = {
  path: ["confirm"],
  message: "The two passwords do not match.",
};

export const mailboxPasswordInput = z
  .object({
    password: z.string().min(1, "Enter the new mailbox password.").max(200),
    confirm: z.string(),
    // Mailcow has no "current password" check (docs/mailcow.md §5.2): the portal password proves it is you.
    currentPassword: z
      .string()
      .min(1, "Enter your portal password to confirm it is you.")
      .max(200),
  })
  .refine(confirmed, MISMATCH);
export type MailboxPasswordInput = z.infer<typeof mailboxPasswordInput>;

export const newMailboxInput = z
  .object({
    mailboxName,
    password: z.string().min(1, "Choose a password for the mailbox.").max(200),
    confirm: z.string(),
  })
  .refine(confirmed, MISMATCH);
export type NewMailboxInput = z.infer<typeof newMailboxInput>;
