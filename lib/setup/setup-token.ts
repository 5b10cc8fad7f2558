import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { setupTokens } from "@/db/schema";
import type { Db } from "@/db/types";
import { hasAdmin } from "@/lib/setup/queries";

// Any constant works; it only has to be the same in every instance (migrations use 7215042, the
// demo seed 7215043). Held while a token is issued and while setup runs, so the two never cross.
export const SETUP_LOCK = 7215044;

export const hashSetupToken = (token: string): string =>
  createHash("sha256").update(token).digest("hex");

/**
 * A new one-time setup token while no administrator exists (only its hash is kept), or null once
 * one does, when every leftover token is deleted. Each server process asks once, at start-up.
 */
export async function issueSetupToken(
  db: Db,
  now = new Date(),
): Promise<string | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
    if (await hasAdmin(tx)) {
      await tx.delete(setupTokens);
      return null;
    }
    // Hex, so a double click in a terminal selects all of it.
    const token = randomBytes(16).toString("hex");
    await tx
      .insert(setupTokens)
      .values({ tokenHash: hashSetupToken(token), createdAt: now });
    return token;
  });
}

/** Whether `token` opens /setup now: checked before the slow password hash is worked out. */
export async function isSetupTokenValid(
  db: Db,
  token: string,
): Promise<boolean> {
  const [row] = await db
    .select({ one: sql`1` })
    .from(setupTokens)
    .where(eq(setupTokens.tokenHash, hashSetupToken(token)));
  return Boolean(row);
}
