import "server-only";
import { auditLog } from "@/db/schema";
import type { Db } from "@/db/types";

export type AuditInput = {
  actor: { kind: "user"; id: string } | { kind: "system" | "api" | "email" };
  action: string;
  entityType: string;
  entityId: string;
  ticketId?: string;
  data?: Record<string, unknown>;
  at?: Date;
};

/** Appends one audit entry; call it inside the transaction that makes the change. */
export async function recordAudit(db: Db, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values(auditRow(entry));
}

/** The row of an audit entry, for a caller that writes it together with the change it records. */
export function auditRow(entry: AuditInput): typeof auditLog.$inferInsert {
  return {
    actorKind: entry.actor.kind,
    actorId: entry.actor.kind === "user" ? entry.actor.id : null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    ticketId: entry.ticketId,
    data: entry.data ?? {},
    createdAt: entry.at,
  };
}
