import "server-only";
import { eq, sql } from "drizzle-orm";
import { installation, users, type Installation } from "@/db/schema";
import type { Db } from "@/db/types";

/** Whether any administrator exists, active or not: setup is for a database that has none. */
export async function hasAdmin(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ one: sql`1` })
    .from(users)
    .where(eq(users.role, "admin"))
    .limit(1);
  return Boolean(row);
}

/** What setup was told about the company; null before setup (or on a demo database). */
export async function getInstallation(db: Db): Promise<Installation | null> {
  const [row] = await db.select().from(installation);
  return row ?? null;
}
