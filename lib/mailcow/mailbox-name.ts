// Mailbox names (the local part of a customer's address). Mailcow puts the address in URL paths, so
// Portico allows only [a-z0-9] with single ".", "-" or "_" between (contract §5.1), and keeps role
// addresses (postmaster, abuse, …) for the company. Client-safe: the signup form checks as you type.

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
