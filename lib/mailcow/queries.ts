import "server-only";
import { eq } from "drizzle-orm";
import { mailboxes, type Mailbox as MailboxRow } from "@/db/schema";
import type { Db } from "@/db/types";
import type { MailcowConfig } from "@/lib/env";
import { haltAware } from "@/lib/mailcow/halt";
import { mailcowClient } from "@/lib/mailcow/provision";
import type {
  Mailbox,
  MailcowPasswordPolicy,
  MailcowResult,
} from "@/lib/mailcow/types";

// Reads for the mailbox page: Portico's row, and Mailcow's live view of the mailbox. A page must
// render when Mailcow is slow, so live reads get a short timeout and the page says what it lacks.

const PAGE_BUDGET_MS = 3_000;

export async function mailboxOfUser(
  db: Db,
  userId: string,
): Promise<MailboxRow | null> {
  const [row] = await db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.userId, userId));
  return row ?? null;
}

export type LiveMailbox = {
  mailbox: MailcowResult<Mailbox | null>;
  policy: MailcowResult<MailcowPasswordPolicy>;
};

/**
 * Usage and status from Mailcow (null address: none yet), and its password policy, side by side.
 * While Mailcow refuses the key both are that refusal, without a call.
 */
export async function liveMailbox(
  db: Db,
  config: MailcowConfig,
  address: string | null,
): Promise<LiveMailbox> {
  const client = haltAware(
    db,
    mailcowClient(config, { timeoutMs: PAGE_BUDGET_MS }),
  );
  const [mailbox, policy] = await Promise.all([
    address === null
      ? Promise.resolve({ ok: true as const, value: null })
      : client.getMailbox(address),
    client.getPasswordPolicy(),
  ]);
  return { mailbox, policy };
}

/**
 * Whether Mailcow answers `{}` for a mailbox Portico has as created (active or suspended): it was
 * removed there, so the pages show it as missing and it may be created again. An unreadable answer
 * is not "missing".
 */
export function isGoneFromMailcow(
  row: Pick<MailboxRow, "status">,
  found: MailcowResult<Mailbox | null>,
): boolean {
  return (
    (row.status === "active" || row.status === "suspended") &&
    found.ok &&
    found.value === null
  );
}
