import "server-only";
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { closeAllSessionRows } from "@/lib/auth/sessions";

/**
 * Ends every session of the user, on every device: each session cookie carries the session version it
 * was issued with, and getViewer refuses one that no longer matches; every session row is closed too.
 * Ending all of them also makes a copied cookie useless, which is what signing out must guarantee
 * (the security page ends single sessions).
 */
export async function endAllSessions(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: now })
      .where(eq(users.id, userId));
    await closeAllSessionRows(tx, userId, now);
    await recordAudit(tx, {
      actor: { kind: "user", id: userId },
      action: "user.signed_out",
      entityType: "user",
      entityId: userId,
      at: now,
    });
  });
}
