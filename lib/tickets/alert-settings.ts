import "server-only";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { agentAlertSettings, departmentMembers, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { ALERT_KINDS, type AlertKind } from "@/lib/tickets/alert-kinds";

/** Whether `userId` still gets alerts of `kind`, for a caller's own query: no row means yes. */
export function wantsAlertSql(userId: SQL | string, kind: AlertKind): SQL {
  return sql`not exists (select 1 from ${agentAlertSettings} s
    where s.user_id = ${userId} and s.kind = ${kind} and s.enabled = false)`;
}

/** An agent's choices, every kind answered (on unless turned off). */
export async function alertSettingsFor(
  db: Db,
  userId: string,
): Promise<Record<AlertKind, boolean>> {
  const rows = await db
    .select({
      kind: agentAlertSettings.kind,
      enabled: agentAlertSettings.enabled,
    })
    .from(agentAlertSettings)
    .where(eq(agentAlertSettings.userId, userId));
  const off = new Set(rows.filter((r) => !r.enabled).map((r) => r.kind));
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, !off.has(k)])) as Record<
    AlertKind,
    boolean
  >;
}

/** Saves an agent's choices: the kinds listed are on, every other kind off. */
export async function saveAlertSettings(
  db: Db,
  userId: string,
  enabled: AlertKind[],
  now = new Date(),
): Promise<void> {
  await db
    .insert(agentAlertSettings)
    .values(
      ALERT_KINDS.map((kind) => ({
        userId,
        kind,
        enabled: enabled.includes(kind),
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [agentAlertSettings.userId, agentAlertSettings.kind],
      set: { enabled: sql`excluded.enabled`, updatedAt: now },
    });
}

/** A department's agents who get alerts of `kind`: active, deliverable, not opted out. */
export async function departmentAlertRecipients(
  db: Db,
  departmentId: number,
  kind: AlertKind,
): Promise<Array<{ id: string; name: string; email: string }>> {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(departmentMembers)
    .innerJoin(users, eq(users.id, departmentMembers.userId))
    .where(
      and(
        eq(departmentMembers.departmentId, departmentId),
        isNull(users.deactivatedAt),
        isNull(users.emailUndeliverableAt),
        wantsAlertSql(sql`${users.id}`, kind),
      ),
    );
}

/** Whether one agent gets alerts of `kind`. */
export async function wantsAlert(
  db: Db,
  userId: string,
  kind: AlertKind,
): Promise<boolean> {
  return (await alertSettingsFor(db, userId))[kind];
}
