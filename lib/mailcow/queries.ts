import "server-only";
import { asc, count, eq, inArray, sql } from "drizzle-orm";
import {
  mailboxes,
  mailboxStatus,
  users,
  type Mailbox as MailboxRow,
  type User,
} from "@/db/schema";
import type { Db } from "@/db/types";
import type { MailcowConfig } from "@/lib/env";
import { haltAware } from "@/lib/mailcow/halt";
import { mailcowClient } from "@/lib/mailcow/provision";
import type {
  Mailbox,
  MailcowPasswordPolicy,
  MailcowResult,
} from "@/lib/mailcow/types";

// Reads for the mailbox pages: Portico's rows, and Mailcow's live view of a mailbox. A page must
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

/** How many of Portico's mailbox rows are in each state (every state present, zero or more). */
export async function countMailboxesByStatus(
  db: Db,
): Promise<Record<MailboxRow["status"], number>> {
  const grouped = await db
    .select({ status: mailboxes.status, n: count() })
    .from(mailboxes)
    .groupBy(mailboxes.status);
  const counts = Object.fromEntries(
    mailboxStatus.enumValues.map((s) => [s, 0]),
  ) as Record<MailboxRow["status"], number>;
  for (const { status, n } of grouped) counts[status] = n;
  return counts;
}

export type MailboxNeedingAttention = Pick<
  MailboxRow,
  | "id"
  | "localPart"
  | "domain"
  | "status"
  | "attempts"
  | "nextAttemptAt"
  | "lastErrorKey"
  | "lastErrorMessage"
  | "updatedAt"
> & { customer: Pick<User, "id" | "name" | "email"> };

/** Failed mailboxes first, then pending ones by when they are tried next; at most `limit`. */
export async function listMailboxesNeedingAttention(
  db: Db,
  limit = 50,
): Promise<MailboxNeedingAttention[]> {
  return (
    db
      .select({
        id: mailboxes.id,
        localPart: mailboxes.localPart,
        domain: mailboxes.domain,
        status: mailboxes.status,
        attempts: mailboxes.attempts,
        nextAttemptAt: mailboxes.nextAttemptAt,
        lastErrorKey: mailboxes.lastErrorKey,
        lastErrorMessage: mailboxes.lastErrorMessage,
        updatedAt: mailboxes.updatedAt,
        customer: { id: users.id, name: users.name, email: users.email },
      })
      .from(mailboxes)
      .innerJoin(users, eq(users.id, mailboxes.userId))
      .where(inArray(mailboxes.status, ["failed", "pending"]))
      // false sorts before true: failed rows, which wait for a person, come first.
      .orderBy(
        sql`${mailboxes.status} = 'pending'`,
        asc(mailboxes.nextAttemptAt),
        asc(mailboxes.createdAt),
      )
      .limit(limit)
  );
}
