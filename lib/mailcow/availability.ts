import "server-only";
import { and, ne, sql } from "drizzle-orm";
import { mailboxes } from "@/db/schema";
import type { Db } from "@/db/types";
import type { MailcowConfig } from "@/lib/env";
import { haltAware } from "@/lib/mailcow/halt";
import { mailcowClient } from "@/lib/mailcow/provision";
import { firstFreeMailboxName } from "@/lib/mailcow/schemas";
import { fail } from "@/lib/result";

// Is a mailbox name free? Portico's own rows decide for customers, and so do the names Mailcow
// already refused for the customer's record; Mailcow is asked too (mailboxes and aliases the
// company made by hand), but only until `deadline`: signup must never wait long on Mailcow.

/** The most a name check waits for Mailcow, whatever the caller's deadline. */
const MAILCOW_CHECK_MS = 400;

export type NameAvailability =
  | { free: true }
  | {
      free: false;
      suggestion: string | null;
      /** Mailcow refused this name for the customer's record before. */
      refused?: true;
    };

export async function mailboxNameAvailability(
  db: Db,
  config: MailcowConfig,
  name: string,
  options: {
    /** A customer choosing again: their own earlier row does not count as taken. */
    forUserId?: string;
    /** Names Mailcow refused for this customer's record: taken, whatever Mailcow says now. */
    refused?: readonly string[];
    /** When the caller must be done with Mailcow (epoch ms). */
    deadline?: number;
  } = {},
): Promise<NameAvailability> {
  const { forUserId } = options;
  const refused = new Set(options.refused ?? []);
  const deadline = Math.min(
    options.deadline ?? Infinity,
    Date.now() + MAILCOW_CHECK_MS,
  );
  const quick = haltAware(
    db,
    mailcowClient(config, {
      timeoutMs: Math.max(1, deadline - Date.now()),
    }),
  );
  // One list of aliases per check, read when first needed.
  let aliases: Promise<ReadonlySet<string> | null> | undefined;
  const aliasAddresses = () =>
    (aliases ??= quick
      .listAliasAddresses()
      .then((list) => (list.ok ? new Set(list.value) : null)));
  const isTaken = async (candidate: string) => {
    if (refused.has(candidate)) return true;
    if (await takenInPortico(db, candidate, config.domain, forUserId))
      return true;
    const address = `${candidate}@${config.domain}`;
    if (deadline - Date.now() <= 50) return false;
    // Unknown answers count as free: the create itself is the final word (object_exists).
    const found = await quick.getMailbox(address);
    if (!found.ok) return false;
    if (found.value !== null) return true;
    // A mailbox lookup answers `{}` for an alias too (docs/mailcow.md §5.4): "not a mailbox" is not "free".
    if (deadline - Date.now() <= 50) return false;
    return (await aliasAddresses())?.has(address.toLowerCase()) ?? false;
  };
  if (!(await isTaken(name))) return { free: true };
  return {
    free: false,
    suggestion: await firstFreeMailboxName(name, isTaken),
    ...(refused.has(name) && { refused: true as const }),
  };
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
export function nameTaken(
  name: string,
  suggestion: string | null,
  options: { refused?: boolean } = {},
) {
  const taken = options.refused
    ? `The mail server refused "${name}" for your mailbox (it is already in use there).`
    : `"${name}" is already taken.`;
  const message = suggestion
    ? `${taken} How about "${suggestion}"?`
    : `${taken} Choose another name.`;
  return fail("conflict", message, { fields: { mailboxName: [message] } });
}
