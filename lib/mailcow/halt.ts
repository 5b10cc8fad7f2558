import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { auditLog, mailboxes } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { mailcowKeyRefusedMail } from "@/lib/mail/templates/mailbox";
import { mailAdmins } from "@/lib/mailcow/alerts";
import type { MailcowClient } from "@/lib/mailcow/client";
import { explainMailcowFailure } from "@/lib/mailcow/health";
import type { MailcowFailure, MailcowResult } from "@/lib/mailcow/types";
import { fail, ok, type Result } from "@/lib/result";

// Mailcow answers a wrong key (or a caller outside the key's allow-list) with 401 and counts it
// towards fail2ban, which blocks Portico after ten; a read-only key gets 403 on every write. Neither
// clears up by itself, so the first such answer stops every call Portico would make with that key
// on its own (signups, the mailbox page, the scheduled job) until an admin acts: "Try again" under
// Settings > Mailboxes (Mailcow), a retry on the customer page, or another key in the
// configuration. The stop is an audit entry under the key's fingerprint, so every instance and
// every run sees it.

type AuthFailure = Extract<MailcowFailure, { kind: "auth" }>;

export type MailcowHalt = {
  since: Date;
  /** Mailcow's answer: 401 (wrong key or address) or 403 (a key that may not write). */
  status: number;
  message: string;
};

const ENTITY = "mailcow_key";
const REFUSED = "mailcow.key_refused";
const RESUMED = "mailcow.key_resumed";
// Two refusals at once (a signup and the scheduled job) record one stop and send one mail.
const HALT_LOCK = 7215051;

type Keyed = Pick<MailcowClient, "keyFingerprint">;

/** Why Portico is not calling Mailcow with this client's key, or null when it may. */
export async function getMailcowHalt(
  db: Db,
  client: Keyed,
): Promise<MailcowHalt | null> {
  const [last] = await db
    .select({
      action: auditLog.action,
      data: auditLog.data,
      at: auditLog.createdAt,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, ENTITY),
        eq(auditLog.entityId, client.keyFingerprint),
      ),
    )
    // By insertion, not time: callers pass their own `now`.
    .orderBy(desc(auditLog.id))
    .limit(1);
  if (!last || last.action !== REFUSED) return null;
  return {
    since: last.at,
    status: Number(last.data.status) || 401,
    message: typeof last.data.message === "string" ? last.data.message : "",
  };
}

/**
 * Records that Mailcow refused the key. Idempotent: a key already stopped keeps its first record.
 * Administrators are mailed when the stop begins, unless an admin's own action met the refusal.
 */
export async function haltMailcow(
  db: Db,
  client: Keyed,
  failure: AuthFailure,
  p: { now: Date; actorId?: string },
): Promise<MailcowHalt> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${HALT_LOCK})`);
    const current = await getMailcowHalt(tx, client);
    if (current) return current;
    await recordAudit(tx, {
      actor: p.actorId ? { kind: "user", id: p.actorId } : { kind: "system" },
      action: REFUSED,
      entityType: ENTITY,
      entityId: client.keyFingerprint,
      data: { status: failure.status, message: failure.message },
      at: p.now,
    });
    if (!p.actorId)
      await mailAdmins(
        tx,
        mailcowKeyRefusedMail({
          reason: explainMailcowFailure(failure),
          url: `${env().appUrl}/staff/settings/mailcow`,
        }),
        p.now,
      );
    return { since: p.now, status: failure.status, message: failure.message };
  });
}

/** An admin lets Portico call Mailcow with this key again; false when it was not stopped. */
export async function resumeMailcow(
  db: Db,
  client: Keyed,
  p: { actorId: string; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${HALT_LOCK})`);
    if (!(await getMailcowHalt(tx, client))) return false;
    await recordAudit(tx, {
      actor: { kind: "user", id: p.actorId },
      action: RESUMED,
      entityType: ENTITY,
      entityId: client.keyFingerprint,
      at: p.now,
    });
    return true;
  });
}

/** The refusal a stopped key stands for, answered without calling Mailcow. */
export function haltFailure(halt: MailcowHalt): AuthFailure {
  return {
    ok: false,
    kind: "auth",
    status: halt.status,
    message: halt.message,
  };
}

/**
 * `client`, answering every call with the recorded refusal while the key is stopped, and stopping
 * it at the first 401/403. One instance reads the stop once; make one per request or run.
 */
export function haltAware(
  db: Db,
  client: MailcowClient,
  p: {
    now?: Date;
    /** The admin whose action this is: a refusal they meet is shown to them, not mailed. */
    actorId?: string;
    /** The stop as the caller just read it, to save reading it again. */
    known?: MailcowHalt | null;
  } = {},
): MailcowClient {
  // Read at once, so the read overlaps whatever the caller does before its first call.
  const firstRead =
    p.known === undefined
      ? getMailcowHalt(db, client)
      : Promise.resolve(p.known);
  // A read nobody waits for (no call made) must not surface as an unhandled rejection.
  firstRead.catch(() => {});
  let halt: MailcowHalt | null | undefined;
  const current = async () => (halt ??= await firstRead);
  const noteRefusal = async (failure: MailcowFailure) => {
    if (failure.kind === "auth")
      halt = await haltMailcow(db, client, failure, {
        now: p.now ?? new Date(),
        actorId: p.actorId,
      });
  };
  function guard<A extends unknown[], T>(
    call: (...args: A) => Promise<MailcowResult<T>>,
  ) {
    return async (...args: A): Promise<MailcowResult<T>> => {
      const stopped = await current();
      if (stopped) return haltFailure(stopped);
      const result = await call(...args);
      if (!result.ok) await noteRefusal(result);
      return result;
    };
  }
  return {
    keyFingerprint: client.keyFingerprint,
    createMailbox: async (input) => {
      const stopped = await current();
      if (stopped) return { ...haltFailure(stopped), mayExist: false };
      const result = await client.createMailbox(input);
      if (!result.ok) await noteRefusal(result);
      return result;
    },
    listAliasAddresses: guard(client.listAliasAddresses),
    getMailbox: guard(client.getMailbox),
    editMailbox: guard(client.editMailbox),
    deleteMailbox: guard(client.deleteMailbox),
    getDomain: guard(client.getDomain),
    getPasswordPolicy: guard(client.getPasswordPolicy),
    checkWriteAccess: guard(client.checkWriteAccess),
    ping: guard(client.ping),
  };
}

/** Words for the mailbox rows and pages that wait on a stopped key. */
export function explainHalt(
  halt: Pick<MailcowHalt, "status" | "message">,
): string {
  return `${explainMailcowFailure({ ok: false, kind: "auth", ...halt })} Portico makes no more calls with it until an administrator presses "Try again" under Settings > Mailboxes (Mailcow) or retries the mailbox.`;
}

/**
 * An admin's "Try again": lifts the stop and checks, with one harmless write, that the key may now
 * create mailboxes. On success the mailboxes that waited on the key are due at once.
 */
export async function retryMailcowKey(
  db: Db,
  client: MailcowClient,
  p: { actorId: string; now: Date },
): Promise<Result<{ waitingMailboxes: number }>> {
  await resumeMailcow(db, client, p);
  const checked = await haltAware(db, client, {
    now: p.now,
    actorId: p.actorId,
    known: null,
  }).checkWriteAccess();
  if (!checked.ok)
    return fail(
      "upstream_failed",
      checked.kind === "auth"
        ? `Mailcow still refuses the key: ${explainMailcowFailure(checked)}`
        : `Mailcow could not be checked: ${explainMailcowFailure(checked)}`,
    );
  const due = await db
    .update(mailboxes)
    .set({ nextAttemptAt: p.now, updatedAt: p.now })
    .where(
      and(eq(mailboxes.status, "pending"), eq(mailboxes.lastErrorKey, "auth")),
    )
    .returning({ id: mailboxes.id });
  return ok({ waitingMailboxes: due.length });
}
