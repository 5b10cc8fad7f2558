import "server-only";
import { asc, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { bannedEmails, type BannedEmail } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import type { BannedEmailInput } from "@/lib/helpdesk/ban-list-schemas";
import {
  adminTransaction,
  auditedInsert,
  type SettingsKind,
} from "@/lib/helpdesk/settings-write";
import { fail, ok, type Result } from "@/lib/result";

// osTicket's system ban list: mail and API tickets from these addresses are refused.

const BANNED_EMAIL: SettingsKind = {
  entityType: "banned_email",
  gone: "This address is no longer on the ban list.",
  unique: { field: "email", message: "This address is already banned." },
};

/**
 * Whether mail and API tickets from an address are refused, as a column for a caller's own query:
 * `lowered` is the address, trimmed and lower-cased. Case-insensitive exact match, written as
 * lower(email) = … so it uses the unique index on lower(email).
 */
export function bannedAddress(lowered: string | SQLWrapper): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${bannedEmails}
    where lower(${bannedEmails.email}) = ${lowered})`;
}

/** Whether an address (any letter case) is on the ban list. */
export async function isBannedEmail(db: Db, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: bannedEmails.id })
    .from(bannedEmails)
    .where(bannedAddressIs(email))
    .limit(1);
  return rows.length > 0;
}

const bannedAddressIs = (email: string) =>
  sql`lower(${bannedEmails.email}) = ${email.trim().toLowerCase()}`;

/** Every banned address, alphabetically. */
export async function listBannedEmails(db: Db): Promise<BannedEmail[]> {
  return db
    .select()
    .from(bannedEmails)
    .orderBy(asc(sql`lower(${bannedEmails.email})`), asc(bannedEmails.id));
}

/** Bans an address. The unique index on lower(email) refuses one already banned in any case. */
export async function banEmail(
  db: Db,
  actor: Viewer,
  input: BannedEmailInput,
  now = new Date(),
): Promise<Result<BannedEmail>> {
  return adminTransaction(db, actor, BANNED_EMAIL, (tx) =>
    auditedInsert(tx, actor, BANNED_EMAIL, {
      now,
      data: { email: input.email, notes: input.notes },
      insert: () =>
        tx
          .insert(bannedEmails)
          .values({ ...input, createdById: actor.id, createdAt: now })
          .returning(),
    }),
  );
}

/** Lifts a ban, recording "banned_email.deleted" with the address it held. */
export async function unbanEmail(
  db: Db,
  actor: Viewer,
  id: number,
  now = new Date(),
): Promise<Result<{ email: string }>> {
  return adminTransaction(db, actor, BANNED_EMAIL, async (tx) => {
    const [row] = await tx
      .delete(bannedEmails)
      .where(eq(bannedEmails.id, id))
      .returning();
    if (!row) return fail("not_found", BANNED_EMAIL.gone);
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "banned_email.deleted",
      entityType: BANNED_EMAIL.entityType,
      entityId: String(id),
      data: { email: row.email, notes: row.notes },
      at: now,
    });
    return ok({ email: row.email });
  });
}
