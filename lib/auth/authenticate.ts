import "server-only";
import { eq } from "drizzle-orm";
import { users, type TwoFactorMethod, type User } from "@/db/schema";
import type { Db } from "@/db/types";
import { clientKey } from "@/lib/auth/client-address";
import { admitHashing, HASHING_BUSY } from "@/lib/auth/hash-slots";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import {
  clearFailures,
  recordFailure,
  SIGN_IN_LIMITS,
  throttleWait,
} from "@/lib/auth/throttle";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type AppError, type Result } from "@/lib/result";
import { getUserByEmail } from "@/lib/users/queries";

export type SessionSubject = Omit<Viewer, "emailVerified"> & {
  sessionVersion: number;
};

/** A password that checked out; with a second factor the session waits for it (two-factor.ts). */
export type Authenticated = SessionSubject & {
  twoFactor: TwoFactorMethod | null;
};

/** What a session is issued for, from the account's row. */
export const sessionSubjectOf = (user: User): SessionSubject => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  sessionVersion: user.sessionVersion,
});

const WRONG = "The email or password is not right.";

export type Credentials = {
  email: string;
  password: string;
  /** The caller's IP address (clientAddressOf); absent, every such caller shares one limit. */
  client?: string | null;
};

/**
 * Checks an email and password. Failures are counted per account and client address, and per client
 * address alone; past a few, that client is answered rate_limited until the lock runs out, whether or
 * not the password is right, while the owner elsewhere still gets in. A client over its limit, or
 * with sign-ins already waiting to be hashed, is refused before any hashing.
 */
export async function authenticate(
  db: Db,
  credentials: Credentials,
  now = new Date(),
): Promise<Result<Authenticated>> {
  const email = credentials.email.trim().toLowerCase();
  const client = clientKey(credentials.client ?? null);
  const pairKey = `sign-in:${email}|${client}`;
  const clientOnlyKey = `sign-in-client:${client}`;
  const wait = await throttleWait(db, [pairKey, clientOnlyKey], now);
  if (wait > 0) return tooManyFailures(wait);

  const admission = admitHashing(client);
  if (!admission) return fail("rate_limited", HASHING_BUSY, { retryAfter: 1 });
  let user: Awaited<ReturnType<typeof getUserByEmail>>;
  let valid: boolean;
  try {
    user = await getUserByEmail(db, email);
    valid = user?.passwordHash
      ? await verifyPassword(user.passwordHash, credentials.password)
      : (await burnPasswordCheck(credentials.password), false);
  } finally {
    admission.release();
  }
  if (!user || !valid) {
    await recordFailure(db, pairKey, SIGN_IN_LIMITS.accountFromClient, now);
    await recordFailure(db, clientOnlyKey, SIGN_IN_LIMITS.client, now);
    return fail("unauthenticated", WRONG);
  }
  if (user.deactivatedAt)
    return fail("forbidden", "This account has been deactivated.");
  // Only the pair is forgiven: signing in to an account of one's own must not reset a client's count.
  // With a second factor, only the second step forgives: else each password would buy fresh guesses.
  if (!user.twoFactor) await clearFailures(db, pairKey);
  await db
    .update(users)
    .set({ lastSignInAt: now })
    .where(eq(users.id, user.id));
  return ok({ ...sessionSubjectOf(user), twoFactor: user.twoFactor });
}

/**
 * Asks a signed-in person for their password again before a sensitive change. Wrong answers are
 * limited like a client's guesses at one account, so a borrowed session is no side door for guessing.
 */
export async function confirmPassword(
  db: Db,
  viewer: { id: string; email: string },
  password: string,
  now = new Date(),
): Promise<Result<void>> {
  const key = `confirm:${viewer.id}`;
  const wait = await throttleWait(db, [key], now);
  if (wait > 0) return tooManyFailures(wait);
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, viewer.id));
  if (
    !user?.passwordHash ||
    !(await verifyPassword(user.passwordHash, password))
  ) {
    await recordFailure(db, key, SIGN_IN_LIMITS.accountFromClient, now);
    return fail("unauthenticated", "That is not your portal password.");
  }
  await clearFailures(db, key);
  return ok(undefined);
}

export function tooManyFailures(wait: number): { ok: false; error: AppError } {
  return fail(
    "rate_limited",
    `Too many failed attempts. Try again in ${formatWait(wait)}.`,
    { retryAfter: wait },
  );
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** confirmPassword, its refusal shown on the form's password field (`field`). */
export async function confirmPasswordField(
  db: Db,
  viewer: { id: string; email: string },
  password: string,
  now = new Date(),
  field = "password",
): Promise<Result<void>> {
  const confirmed = await confirmPassword(db, viewer, password, now);
  if (confirmed.ok) return confirmed;
  return fail(confirmed.error.code, confirmed.error.message, {
    ...confirmed.error,
    fields: { [field]: [confirmed.error.message] },
  });
}
