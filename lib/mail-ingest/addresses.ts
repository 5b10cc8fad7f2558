import "server-only";
import { isNotNull } from "drizzle-orm";
import { departments } from "@/db/schema";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";

/** Portico's own addresses: the sender of its mail and every department's address. */
export async function systemAddresses(db: Db): Promise<string[]> {
  const rows = await db
    .select({ email: departments.email })
    .from(departments)
    .where(isNotNull(departments.email));
  const sender = /<([^>]+)>\s*$/.exec(env().mailFrom)?.[1] ?? env().mailFrom;
  return [sender, ...rows.map((r) => r.email ?? "")]
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a.includes("@"));
}
