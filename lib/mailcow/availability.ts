import "server-only";
import { and, ne, sql } from "drizzle-orm";
import { mailboxes } from "@/db/schema";
import type { Db } from "@/db/types";
import type { MailcowConfig } from "@/lib/env";
import { mailcowClient } from "@/lib/mailcow/provision";
import { firstFreeMailboxName } from "@/lib/mailcow/schemas";
import { fail } from "@/lib/result";

// Is a mailbox name free? Portico's own rows decide for customers; Mailcow is asked too (addresses
// the company made by hand), but only until `deadline`: signup must never wait long on Mailcow.

/** The most a name check waits for Mailcow, whatever the caller's deadline. */
const MAILCOW_CHECK_MS = 400;

export type NameAvailability =
  { free: true } | { free: false; suggestion: string | null };

export async function mailboxNameAvailability(
  db: Db,
  config: MailcowConfig,
  name: string,
  options: {
    /** A customer choosing again: their own earlier row does not count as taken. */
    forUserId?: string;
    /** When the caller must be done with Mailcow (epoch ms). */
    deadline?: number;
  } = {},
): Promise<NameAvailability> {
  const { forUserId } = options;
  const deadline = Math.min(
    options.deadline ?? Infinity,
    Date.now() + MAILCOW_CHECK_MS,
  );
  const quick = mailcowClient(config, {
    timeoutMs: Math.max(1, deadline - Date.now()),
  });
  const isTaken = async (candidate: string) => {
    if (await takenInPortico(db, candidate, config.domain, forUserId))
      return true;
    const left = deadline - Date.now();
    if (left <= 50) return false;
    // Unknown answers count as free: the create itself is the final word (object_exists).
    const found = await quick.getMailbox(`${candidate}@${config.domain}`);
    return found.ok && found.value !== null;
  };
  if (!(await isTaken(name))) return { free: true };
  return { free: false, suggestion: await firstFreeMailboxName(name, isTaken) };
}

export async function takenInPortico(
  db: Db,
  localPart: string,
  domain: string,
  exceptUserId?: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: mailboxes.id })
    .from(mailboxes)
    .where(
      and(
        sql`lower(${mailboxes.localPart}) = ${localPart.toLowerCase()}`,
        sql`lower(${mailboxes.domain}) = ${domain.toLowerCase()}`,
        exceptUserId ? ne(mailboxes.userId, exceptUserId) : undefined,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The form's answer to a taken name, on the mailbox name field. */
export function nameTaken(name: string, suggestion: string | null) {
  const message = suggestion
    ? `"${name}" is already taken. How about "${suggestion}"?`
    : `"${name}" is already taken. Choose another name.`;
  return fail("conflict", message, { fields: { mailboxName: [message] } });
}
