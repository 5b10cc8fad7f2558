import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { passwordResetTokens, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { sessionSubjectOf, type SessionSubject } from "@/lib/auth/authenticate";
import { hashToken } from "@/lib/auth/crypto";
import { markEmailVerified } from "@/lib/auth/email-verification";
import { closeAllSessionRows } from "@/lib/auth/sessions";
import { enqueueMail } from "@/lib/mail/outbox";
import { passwordResetMail } from "@/lib/mail/templates/password-reset";
import { fail, ok, type Result } from "@/lib/result";
import { getUserByEmail } from "@/lib/users/queries";

export const RESET_TTL_MINUTES = 60;
// One mail per address in this window is enough; more would let anyone flood a stranger's inbox.
const RESEND_AFTER_MS = 60_000;

/**
 * Mails a single-use reset link if the address has an active account. The caller tells the user
 * the same thing either way, so the form can't be used to probe for accounts.
 */
export async function requestPasswordReset(
  db: Db,
  email: string,
  opts: { appUrl: string; now?: Date },
): Promise<{ sent: boolean }> {
  const now = opts.now ?? new Date();
  const user = await getUserByEmail(db, email);
  if (!user || user.deactivatedAt) return { sent: false };
  return db.transaction(async (tx) => {
    const [recent] = await tx
      .select({ id: passwordResetTokens.id })
      .from(passwordResetTokens)
      .where(
        and(
          eq(passwordResetTokens.userId, user.id),
          gt(
            passwordResetTokens.createdAt,
            new Date(now.getTime() - RESEND_AFTER_MS),
          ),
        ),
      )
      .limit(1);
    if (recent) return { sent: false };
    const url = await issuePasswordLink(tx, user.id, {
      appUrl: opts.appUrl,
      ttlMinutes: RESET_TTL_MINUTES,
      now,
    });
    const mail = passwordResetMail({
      name: user.name,
      url,
      expiresInMinutes: RESET_TTL_MINUTES,
    });
    await enqueueMail(
      tx,
      { kind: "password_reset", to: user.email, ...mail },
      now,
    );
    await recordAudit(tx, {
      actor: { kind: "system" },
      action: "user.password_reset_requested",
      entityType: "user",
      entityId: user.id,
      at: now,
    });
    return { sent: true };
  });
}

/**
 * Stores a single-use token that sets the user's password and returns the link that spends it.
 * Only the hash is kept, so call it inside the transaction that mails the link.
 */
export async function issuePasswordLink(
  db: Db,
  userId: string,
  opts: { appUrl: string; ttlMinutes: number; now: Date },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(passwordResetTokens).values({
    userId,
    tokenHash: hashToken(token),
    expiresAt: new Date(opts.now.getTime() + opts.ttlMinutes * 60_000),
    createdAt: opts.now,
  });
  return `${opts.appUrl}/reset-password/${token}`;
}

const INVALID = "This reset link is invalid or has expired. Ask for a new one.";

/** Whether a reset link can still be used, so the page can say so before the user types anything. */
export async function isResetTokenUsable(
  db: Db,
  token: string,
  now = new Date(),
): Promise<boolean> {
  const [row] = await db
    .select({ id: passwordResetTokens.id })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.tokenHash, hashToken(token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    );
  return Boolean(row);
}

/**
 * Sets a new password through a reset token. The token and every other outstanding token of the
 * user are spent, and existing sessions end (session version bump).
 */
export async function resetPassword(
  db: Db,
  input: { token: string; password: string },
  now = new Date(),
): Promise<Result<SessionSubject>> {
  // A link that cannot work costs no hashing, so guessing links cannot tie up the hashing slots.
  if (!(await isResetTokenUsable(db, input.token, now)))
    return fail("not_found", INVALID, { fields: { token: [INVALID] } });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Spending the token is the first write, so two concurrent submits can't both use it.
    const [spent] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashToken(input.token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, now),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    if (!spent)
      return fail("not_found", INVALID, { fields: { token: [INVALID] } });
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        lastSignInAt: now, // the link signs them in
        updatedAt: now,
      })
      .where(eq(users.id, spent.userId))
      .returning();
    if (!user || user.deactivatedAt)
      return fail("not_found", INVALID, { fields: { token: [INVALID] } });
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.userId, user.id),
          isNull(passwordResetTokens.usedAt),
        ),
      );
    await closeAllSessionRows(tx, user.id, now);
    // Only someone reading the address's mail could open the link: that proves the address too.
    await markEmailVerified(tx, user, now);
    await recordAudit(tx, {
      actor: { kind: "user", id: user.id },
      action: "user.password_reset",
      entityType: "user",
      entityId: user.id,
      at: now,
    });
    return ok(sessionSubjectOf(user));
  });
}
