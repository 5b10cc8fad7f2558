import "server-only";
import { eq, inArray } from "drizzle-orm";
import { departments, slaPlans } from "@/db/schema";
import type { Db } from "@/db/types";

// References a form chose from a list. A tampered or stale choice becomes a field error instead of a
// foreign-key crash, and FOR SHARE keeps the row from being deleted before the caller commits.

/** Whether every id names a department, held until the surrounding transaction ends. */
export async function holdDepartments(db: Db, ids: number[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const rows = await db
    .select({ id: departments.id })
    .from(departments)
    .where(inArray(departments.id, ids))
    .for("share");
  return rows.length === new Set(ids).size;
}

/** Whether the SLA plan exists (null, "no plan", always does), held until the transaction ends. */
export async function holdSlaPlan(db: Db, id: number | null): Promise<boolean> {
  if (id === null) return true;
  const rows = await db
    .select({ id: slaPlans.id })
    .from(slaPlans)
    .where(eq(slaPlans.id, id))
    .for("share");
  return rows.length === 1;
}
