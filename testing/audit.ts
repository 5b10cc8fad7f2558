import { and, asc, eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import type { Db } from "@/db/types";

/** An entity's audit entries, oldest first. */
export const auditTrail = (
  db: Db,
  entityType: string,
  entityId: number | string,
) =>
  db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, entityType),
        eq(auditLog.entityId, String(entityId)),
      ),
    )
    .orderBy(asc(auditLog.id));
