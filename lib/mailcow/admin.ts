import "server-only";
import { and, eq } from "drizzle-orm";
import { mailboxes, type Mailbox as MailboxRow } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import {
  explainMailcowFailure,
  explainQuotaLeftExceeded,
} from "@/lib/mailcow/health";
import {
  provisionMailbox,
  type MailcowClient,
  type ProvisionOutcome,
} from "@/lib/mailcow/provision";
import { haltAware, resumeMailcow } from "@/lib/mailcow/halt";
import { isGoneFromMailcow } from "@/lib/mailcow/queries";
import type { MailcowFailure } from "@/lib/mailcow/types";
import { mailboxAddress } from "@/lib/mailcow/schemas";
import { isUuid } from "@/lib/ids";
import { fail, ok, type Result } from "@/lib/result";

// What an administrator can do to a customer's mailbox from the staff desk. Mailcow is changed
// first and the row only once Mailcow agreed, so a refusal or an outage leaves Portico's record as
// it was. Callers check that the actor is an admin; every change is an audit entry in their name.

type MailboxStatus = MailboxRow["status"];
export type MailboxAdminOptions = {
  actorId: string;
  now: Date;
  /** A retry's first back-off step when it fails again (MAILCOW_RETRY_SECONDS). */
  retrySeconds?: number;
};

/** How long the scheduled job keeps its hands off a mailbox while an admin's retry runs. */
const RETRY_LEASE_MS = 5 * 60_000;

const GONE = "This mailbox has been deleted.";
const ALREADY_ACTIVE = "This mailbox is already active.";
const NEVER_CREATED =
  "This mailbox was never created in Mailcow; retry it or delete it instead.";
const BEING_SET_UP =
  "This mailbox is still being set up; there is nothing in Mailcow to change yet.";

// Why each operation refuses a mailbox in a given state; a state missing here is one it accepts.
const REFUSALS = {
  // An active mailbox is refused by retryMailbox itself, unless Mailcow no longer has it.
  retry: {
    suspended:
      "This mailbox exists in Mailcow and is suspended; re-activate it instead.",
    deleted: GONE,
  },
  suspend: {
    pending: BEING_SET_UP,
    failed: NEVER_CREATED,
    suspended: "This mailbox is already suspended.",
    deleted: GONE,
  },
  reactivate: {
    pending: BEING_SET_UP,
    failed: NEVER_CREATED,
    active: ALREADY_ACTIVE,
    deleted: GONE,
  },
  delete: {
    // The scheduled job may create it at any moment; deleting now would race it.
    pending:
      "This mailbox is still being set up and may be created any moment; delete it once it is active or has failed.",
    deleted: "This mailbox is already deleted.",
  },
} satisfies Record<string, Partial<Record<MailboxStatus, string>>>;

type Operation = keyof typeof REFUSALS;

/**
 * Tries a pending or failed mailbox again now, or creates again an active one that Mailcow no
 * longer has: the back-off starts over and one attempt runs with a generated password the customer
 * must replace. A stop on a refused key is lifted first (this is the admin acting). `ok` means the
 * attempt ran; its outcome says how it went.
 */
export async function retryMailbox(
  db: Db,
  client: MailcowClient,
  mailboxId: string,
  p: MailboxAdminOptions,
): Promise<Result<ProvisionOutcome>> {
  const found = await loadFor(db, mailboxId, "retry");
  if (!found.ok) return found;
  const row = found.value;
  await resumeMailcow(db, client, { actorId: p.actorId, now: p.now });
  if (row.status === "active") {
    const missing = await isMissingInMailcow(db, client, row, p);
    if (!missing.ok) return missing;
    if (!missing.value) return fail("conflict", ALREADY_ACTIVE);
  }
  const reset = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(mailboxes)
      .set({
        status: "pending",
        attempts: 0,
        // Cleared so provisionMailbox records the outcome even when the reason is the same as before.
        lastErrorKey: null,
        lastErrorMessage: null,
        nextAttemptAt: new Date(p.now.getTime() + RETRY_LEASE_MS),
        ...(row.status === "active" && {
          mustSetPassword: false,
          provisionedAt: null,
        }),
        updatedAt: p.now,
      })
      .where(and(eq(mailboxes.id, row.id), eq(mailboxes.status, row.status)))
      .returning();
    if (!updated) return null;
    await audit(tx, updated, p, "mailbox.retry_requested", {
      from: row.status,
      attempts: row.attempts,
      lastErrorKey: row.lastErrorKey,
      ...(row.status === "active" && { missingInMailcow: true }),
    });
    return updated;
  });
  if (!reset) return changedMeanwhile();
  return ok(
    await provisionMailbox(db, client, reset, {
      now: p.now,
      retrySeconds: p.retrySeconds,
      actorId: p.actorId,
    }),
  );
}

/**
 * Whether Mailcow answers `{}` for this mailbox (docs/mailcow.md §5.4): it was removed there, so Portico's
 * "active" is wrong and the mailbox may be created again.
 */
export async function isMissingInMailcow(
  db: Db,
  client: MailcowClient,
  row: MailboxRow,
  p: { now: Date; actorId?: string },
): Promise<Result<boolean>> {
  const found = await haltAware(db, client, p).getMailbox(mailboxAddress(row));
  if (!found.ok) return mailcowRefused(found, row);
  return ok(isGoneFromMailcow(row, found));
}

/** Disables an active mailbox in Mailcow (no login, no delivery) and marks it suspended. */
export async function suspendMailbox(
  db: Db,
  client: MailcowClient,
  mailboxId: string,
  p: MailboxAdminOptions,
): Promise<Result<MailboxRow>> {
  return changeActivity(db, client, mailboxId, p, "suspend");
}

/** Lets a suspended mailbox log in and receive mail again. */
export async function reactivateMailbox(
  db: Db,
  client: MailcowClient,
  mailboxId: string,
  p: MailboxAdminOptions,
): Promise<Result<MailboxRow>> {
  return changeActivity(db, client, mailboxId, p, "reactivate");
}

const ACTIVITY_CHANGES = {
  suspend: {
    activity: "disabled",
    status: "suspended",
    action: "mailbox.suspended",
  },
  reactivate: {
    activity: "active",
    status: "active",
    action: "mailbox.reactivated",
  },
} as const;

async function changeActivity(
  db: Db,
  client: MailcowClient,
  mailboxId: string,
  p: MailboxAdminOptions,
  operation: keyof typeof ACTIVITY_CHANGES,
): Promise<Result<MailboxRow>> {
  const found = await loadFor(db, mailboxId, operation);
  if (!found.ok) return found;
  const row = found.value;
  const change = ACTIVITY_CHANGES[operation];
  const edited = await client.editMailbox(mailboxAddress(row), {
    activity: change.activity,
  });
  if (!edited.ok) return mailcowRefused(edited, row);
  return commit(db, row, p, { status: change.status }, change.action);
}

export type MailboxDeletion = {
  mailbox: MailboxRow;
  /** "not_created": provisioning had failed, so Portico had nothing in Mailcow to remove. */
  inMailcow: "deleted" | "already_gone" | "not_created";
};

/**
 * Removes the mailbox from Mailcow (idempotent: one already gone counts) and marks the row deleted.
 * A failed mailbox is only closed in Portico: its address may belong to a mailbox Portico did not
 * create (object_exists), which must not be removed.
 */
export async function deleteMailbox(
  db: Db,
  client: MailcowClient,
  mailboxId: string,
  p: MailboxAdminOptions,
): Promise<Result<MailboxDeletion>> {
  const found = await loadFor(db, mailboxId, "delete");
  if (!found.ok) return found;
  const row = found.value;
  let inMailcow: MailboxDeletion["inMailcow"] = "not_created";
  if (row.status !== "failed") {
    const deleted = await client.deleteMailbox(mailboxAddress(row));
    if (!deleted.ok) return mailcowRefused(deleted, row);
    inMailcow = deleted.value.outcome;
  }
  const committed = await commit(
    db,
    row,
    p,
    { status: "deleted", nextAttemptAt: null },
    "mailbox.deleted",
    { inMailcow },
  );
  return committed.ok ? ok({ mailbox: committed.value, inMailcow }) : committed;
}

async function loadFor(
  db: Db,
  mailboxId: string,
  operation: Operation,
): Promise<Result<MailboxRow>> {
  const [row] = isUuid(mailboxId)
    ? await db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId))
    : [];
  if (!row) return fail("not_found", "This mailbox does not exist.");
  const refusals: Partial<Record<MailboxStatus, string>> = REFUSALS[operation];
  const refusal = refusals[row.status];
  return refusal ? fail("conflict", refusal) : ok(row);
}

/** Writes the new state only if nobody changed the row since it was read, with its audit entry. */
async function commit(
  db: Db,
  row: MailboxRow,
  p: MailboxAdminOptions,
  change: Pick<Partial<MailboxRow>, "status" | "nextAttemptAt">,
  action: string,
  data: Record<string, unknown> = {},
): Promise<Result<MailboxRow>> {
  const updated = await db.transaction(async (tx) => {
    const [next] = await tx
      .update(mailboxes)
      .set({ ...change, updatedAt: p.now })
      .where(and(eq(mailboxes.id, row.id), eq(mailboxes.status, row.status)))
      .returning();
    if (next) await audit(tx, next, p, action, { from: row.status, ...data });
    return next;
  });
  return updated ? ok(updated) : changedMeanwhile();
}

const changedMeanwhile = () =>
  fail(
    "conflict",
    "Someone changed this mailbox at the same time; reload the page and try again.",
  );

/** A Mailcow failure in words for the admin who asked; the row was not touched. */
function mailcowRefused(failure: MailcowFailure, row: MailboxRow) {
  // docs/mailcow.md §5.2: Mailcow re-checks the domain's storage on every edit, not only on a new quota.
  if (
    failure.kind === "rejected" &&
    failure.key === "mailbox_quota_left_exceeded"
  )
    return fail(
      "upstream_failed",
      `Mailcow refused: ${explainQuotaLeftExceeded(failure.args, row.quotaMb)} Then try again. Portico left the mailbox as it was.`,
    );
  return fail(
    "upstream_failed",
    `${explainMailcowFailure(failure)} Portico left the mailbox as it was.`,
  );
}

async function audit(
  db: Db,
  row: MailboxRow,
  p: MailboxAdminOptions,
  action: string,
  data: Record<string, unknown>,
): Promise<void> {
  await recordAudit(db, {
    actor: { kind: "user", id: p.actorId },
    action,
    entityType: "mailbox",
    entityId: row.id,
    data: { address: mailboxAddress(row), ...data },
    at: p.now,
  });
}
