import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { emailTokens, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import {
  confirmPasswordField,
  sessionSubjectOf,
  type SessionSubject,
} from "@/lib/auth/authenticate";
import { admitHashing, HASHING_BUSY } from "@/lib/auth/hash-slots";
import { hashPassword } from "@/lib/auth/password";
import { closeAllSessionRows } from "@/lib/auth/sessions";
import type { NotificationInput } from "@/lib/auth/schemas";
import type { Viewer } from "@/lib/auth/viewer";
import { enqueueMail } from "@/lib/mail/outbox";
import { securityChangeMail } from "@/lib/mail/templates/account";
import { fail, ok, type Result } from "@/lib/result";

// What a person changes about their own account from /account.

export async function renameAccount(
  db: Db,
  viewer: Pick<Viewer, "id">,
  name: string,
  now = new Date(),
): Promise<void> {
  await db
    .update(users)
    .set({ name, updatedAt: now })
    .where(eq(users.id, viewer.id));
}

export async function saveNotificationChoices(
  db: Db,
  viewer: Pick<Viewer, "id">,
  choices: NotificationInput,
  now = new Date(),
): Promise<void> {
  await db
    .update(users)
    .set({ ...choices, updatedAt: now })
    .where(eq(users.id, viewer.id));
}

/**
 * Sets a new password after checking the current one. Every session ends (the session version moves
 * on), a pending address change is cancelled, and the person is mailed; the caller signs this
 * browser in again with the subject returned.
 */
export async function changePassword(
  db: Db,
  viewer: Pick<Viewer, "id" | "email">,
  input: { current: string; password: string },
  opts: { client?: string | null; now?: Date } = {},
): Promise<Result<SessionSubject>> {
  const now = opts.now ?? new Date();
  const confirmed = await confirmPasswordField(
    db,
    viewer,
    input.current,
    now,
    "current",
  );
  if (!confirmed.ok) return confirmed;
  const admission = admitHashing(opts.client ?? "self");
  if (!admission) return fail("rate_limited", HASHING_BUSY, { retryAfter: 1 });
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.password);
  } finally {
    admission.release();
  }
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: now,
      })
      .where(eq(users.id, viewer.id))
      .returning();
    if (!user) return fail("not_found", "Your account was not found.");
    await closeAllSessionRows(tx, user.id, now);
    // Someone holding a borrowed session may have asked to move the account: that ends here too.
    await tx
      .update(emailTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(emailTokens.userId, user.id),
          eq(emailTokens.purpose, "change"),
          isNull(emailTokens.usedAt),
        ),
      );
    await enqueueMail(
      tx,
      {
        kind: "password_changed",
        to: user.email,
        ...securityChangeMail({
          name: user.name,
          what: "Your password was changed and every other session was signed out",
        }),
      },
      now,
    );
    await recordAudit(tx, {
      actor: { kind: "user", id: user.id },
      action: "user.password_changed",
      entityType: "user",
      entityId: user.id,
      at: now,
    });
    return ok(sessionSubjectOf(user));
  });
}
