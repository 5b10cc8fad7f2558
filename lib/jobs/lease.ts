import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { jobLeases } from "@/db/schema";
import type { Db } from "@/db/types";

/**
 * Runs `job` only while holding the named lease; returns null without running when another run
 * holds it. A crashed holder's lease simply runs out, so the next run takes over.
 */
export async function withJobLease<T>(
  db: Db,
  name: string,
  opts: { now: Date; leaseMs: number },
  job: () => Promise<T>,
): Promise<T | null> {
  const holder = randomUUID();
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const [taken] = await db
    .insert(jobLeases)
    .values({ name, holder, leaseUntil })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder, leaseUntil },
      setWhere: lt(jobLeases.leaseUntil, opts.now),
    })
    .returning({ holder: jobLeases.holder });
  if (taken?.holder !== holder) return null;
  try {
    return await job();
  } finally {
    await db
      .delete(jobLeases)
      .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)));
  }
}
