import "server-only";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { changedFields, type FieldChanges } from "@/lib/audit/changes";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";

// The envelope every settings change shares: admins only, one transaction, a clash on a unique name
// becomes that field's error, and each real change is one audit entry. The table queries stay in
// the callers as small typed closures.

export type SettingsKind = {
  /** Audit entity type and action prefix, e.g. "help_topic". */
  entityType: string;
  /** The not-found message, e.g. "This help topic no longer exists." */
  gone: string;
  /** The field a unique-index clash belongs to, and its message. */
  unique: { field: string; message: string };
};

export async function adminTransaction<T>(
  db: Db,
  actor: Viewer,
  kind: SettingsKind,
  work: (tx: Db) => Promise<Result<T>>,
): Promise<Result<T>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  try {
    return await db.transaction(work);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const { field, message } = kind.unique;
    return fail("conflict", message, { fields: { [field]: [message] } });
  }
}

/** Inserts through `insert` and records "<entity>.created" with `data`. */
export async function auditedInsert<Row extends { id: number }>(
  tx: Db,
  actor: Viewer,
  kind: SettingsKind,
  p: { now: Date; data: Record<string, unknown>; insert: () => Promise<Row[]> },
): Promise<Result<Row>> {
  const [row] = await p.insert();
  if (!row) throw new Error(`${kind.entityType} insert returned nothing`);
  await recordAudit(tx, {
    actor: { kind: "user", id: actor.id },
    action: `${kind.entityType}.created`,
    entityType: kind.entityType,
    entityId: String(row.id),
    data: p.data,
    at: p.now,
  });
  return ok(row);
}

/**
 * Locks the row, checks `check`, writes only when `fields` change something, and records one audit
 * entry (by default "<entity>.updated" with the changed fields).
 */
export async function auditedUpdate<Row extends { id: number }>(
  tx: Db,
  actor: Viewer,
  kind: SettingsKind,
  p: {
    now: Date;
    lock: () => Promise<Row[]>;
    fields: Partial<Row>;
    write: () => Promise<Row[]>;
    check?: () => Promise<Result<null>>;
    action?: string;
    data?: (changes: FieldChanges, before: Row) => Record<string, unknown>;
  },
): Promise<Result<Row>> {
  const [before] = await p.lock();
  if (!before) return fail("not_found", kind.gone);
  if (p.check) {
    const checked = await p.check();
    if (!checked.ok) return checked;
  }
  const changes = changedFields(before, p.fields);
  if (Object.keys(changes).length === 0) return ok(before);
  const [row] = await p.write();
  await recordAudit(tx, {
    actor: { kind: "user", id: actor.id },
    action: p.action ?? `${kind.entityType}.updated`,
    entityType: kind.entityType,
    entityId: String(before.id),
    data: p.data ? p.data(changes, before) : { changes },
    at: p.now,
  });
  return ok(row ?? before);
}
