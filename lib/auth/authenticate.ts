import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Db } from "@/db/types";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import {
  clearFailures,
  recordFailure,
  throttleWait,
} from "@/lib/auth/throttle";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { getUserByEmail } from "@/lib/users/queries";

export type SessionSubject = Viewer & { sessionVersion: number };

const WRONG = "The email or password is not right.";

/**
 * Checks an email and password. Failures are counted per email and, past a few, answered with
 * rate_limited until the lock runs out, whether or not the password is right.
 */
export async function authenticate(
  db: Db,
  credentials: { email: string; password: string },
  now = new Date(),
): Promise<Result<SessionSubject>> {
  const key = `email:${credentials.email.trim().toLowerCase()}`;
  const wait = await throttleWait(db, key, now);
  if (wait > 0) {
    return fail(
      "rate_limited",
      `Too many failed attempts. Try again in ${formatWait(wait)}.`,
      { retryAfter: wait },
    );
  }
  const user = await getUserByEmail(db, credentials.email);
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, credentials.password)
    : (await burnPasswordCheck(credentials.password), false);
  if (!user || !valid) {
    await recordFailure(db, key, now);
    return fail("unauthenticated", WRONG);
  }
  if (user.deactivatedAt)
    return fail("forbidden", "This account has been deactivated.");
  await clearFailures(db, key);
  await db
    .update(users)
    .set({ lastSignInAt: now })
    .where(eq(users.id, user.id));
  return ok({
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  });
}

/**
 * Asks a signed-in person for their password again before a sensitive change. Wrong answers count
 * towards the same lock as failed sign-ins, so it is no side door for guessing.
 */
export async function confirmPassword(
  db: Db,
  viewer: { id: string; email: string },
  password: string,
  now = new Date(),
): Promise<Result<void>> {
  const key = `email:${viewer.email.trim().toLowerCase()}`;
  const wait = await throttleWait(db, key, now);
  if (wait > 0)
    return fail(
      "rate_limited",
      `Too many failed attempts. Try again in ${formatWait(wait)}.`,
      { retryAfter: wait },
    );
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, viewer.id));
  if (
    !user?.passwordHash ||
    !(await verifyPassword(user.passwordHash, password))
  ) {
    await recordFailure(db, key, now);
    return fail("unauthenticated", "That is not your portal password.");
  }
  await clearFailures(db, key);
  return ok(undefined);
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
