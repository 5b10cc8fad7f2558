import "server-only";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import {
  recoveryCodes,
  signInChallenges,
  users,
  type TwoFactorMethod,
  type User,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit, type AuditInput } from "@/lib/audit/record-audit";
import {
  confirmPasswordField,
  sessionSubjectOf,
  tooManyFailures,
  type SessionSubject,
} from "@/lib/auth/authenticate";
import { clientKey } from "@/lib/auth/client-address";
import { open, seal } from "@/lib/auth/crypto";
import {
  hashRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
} from "@/lib/auth/recovery-codes";
import {
  clearFailures,
  recordFailure,
  SIGN_IN_LIMITS,
  throttleWait,
} from "@/lib/auth/throttle";
import { isTotpSecret, totpStep } from "@/lib/auth/totp";
import { enqueueMail } from "@/lib/mail/outbox";
import { securityChangeMail } from "@/lib/mail/templates/account";
import { fail, ok, type Result } from "@/lib/result";
import { getUserById } from "@/lib/users/queries";
import {
  sendSmsCode,
  smsFactorRefusal,
  spendSmsCode,
} from "@/lib/auth/sms-codes";
import type { Viewer } from "@/lib/auth/viewer";
import { maskPhone } from "@/lib/sms/phone";
import type { SmsConfig } from "@/lib/sms/types";

// The second step of signing in. A password that checks out opens a challenge instead of a session
// when the account has a second factor; the challenge is spent by a code from the authenticator app
// (each time step accepted once), a texted code, or one of the ten recovery codes. Every change to
// the second factor is audited and mailed to the person.

export const CHALLENGE_MINUTES = 10;
/** Wrong codes one challenge takes before the person must start again with the password. */
export const CHALLENGE_ATTEMPTS = 5;

const WRONG_CODE = "That code is not right. Check your app and try again.";
const EXPIRED =
  "This sign-in took too long or had too many wrong codes. Sign in again.";

async function tellAndAudit(
  db: Db,
  user: Pick<User, "id" | "email" | "name">,
  p: {
    actor: AuditInput["actor"];
    action: string;
    what: string;
    data?: Record<string, unknown>;
  },
  now: Date,
): Promise<void> {
  await recordAudit(db, {
    actor: p.actor,
    action: p.action,
    entityType: "user",
    entityId: user.id,
    data: p.data ?? {},
    at: now,
  });
  await enqueueMail(
    db,
    {
      kind: "security_notice",
      to: user.email,
      ...securityChangeMail({ name: user.name, what: p.what }),
    },
    now,
  );
}

async function storeRecoveryCodes(
  db: Db,
  userId: string,
  now: Date,
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(
    codes.map((code) => ({
      userId,
      codeHash: hashRecoveryCode(code),
      createdAt: now,
    })),
  );
  return codes;
}

/**
 * Turns on the authenticator app: the secret the enrolment page showed, proven by a current code from
 * the app and the account's password. Returns the ten recovery codes, shown once.
 */
export async function enableTotp(
  db: Db,
  viewer: { id: string; email: string },
  input: { secret: string; code: string; password: string },
  now = new Date(),
): Promise<Result<{ recoveryCodes: string[] }>> {
  if (!isTotpSecret(input.secret))
    return fail("invalid_input", "Start the set-up again.");
  const step = totpStep(input.secret, input.code, now.getTime());
  if (step === null)
    return fail("invalid_input", WRONG_CODE, {
      fields: { code: [WRONG_CODE] },
    });
  const confirmed = await confirmPasswordField(db, viewer, input.password, now);
  if (!confirmed.ok) return confirmed;
  return turnOn(
    db,
    viewer.id,
    {
      method: "totp",
      columns: { totpSecret: seal(input.secret), totpLastStep: step },
      what: "Two-step sign-in with an authenticator app was turned on",
    },
    now,
  );
}

/**
 * Sets the account's second factor, makes its ten recovery codes (returned to be shown once), and
 * tells the person and the audit log, in one transaction.
 */
async function turnOn(
  db: Db,
  userId: string,
  p: {
    method: TwoFactorMethod;
    columns: Partial<typeof users.$inferInsert>;
    what: string;
  },
  now: Date,
): Promise<Result<{ recoveryCodes: string[] }>> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ ...p.columns, twoFactor: p.method, updatedAt: now })
      .where(eq(users.id, userId))
      .returning();
    if (!user) return fail("not_found", "Your account was not found.");
    const codes = await storeRecoveryCodes(tx, user.id, now);
    await tellAndAudit(
      tx,
      user,
      {
        actor: { kind: "user", id: user.id },
        action: "user.two_factor_enabled",
        what: p.what,
        data: { method: p.method },
      },
      now,
    );
    return ok({ recoveryCodes: codes });
  });
}

/**
 * Turns on sign-in codes by text, for a customer with a confirmed phone number. Needs the password;
 * returns the ten recovery codes, shown once (a lost phone is the usual reason to need them).
 */
export async function enableSmsTwoFactor(
  db: Db,
  viewer: Pick<Viewer, "id" | "email" | "role">,
  password: string,
  now = new Date(),
): Promise<Result<{ recoveryCodes: string[] }>> {
  const user = await getUserById(db, viewer.id);
  if (!user) return fail("not_found", "Your account was not found.");
  const refusal = smsFactorRefusal(viewer, user);
  if (refusal) return fail("invalid_input", refusal);
  const confirmed = await confirmPasswordField(db, viewer, password, now);
  if (!confirmed.ok) return confirmed;
  return turnOn(
    db,
    user.id,
    {
      method: "sms",
      columns: { totpSecret: null, totpLastStep: null },
      what: `Two-step sign-in with codes texted to ${maskPhone(user.phone!)} was turned on`,
    },
    now,
  );
}

/**
 * Opens the second step and, for texted codes, sends one. The caller holds the challenge's id in the
 * sign-in step's cookie.
 */
export async function beginSecondStep(
  db: Db,
  user: { id: string; twoFactor: TwoFactorMethod },
  opts: { sms: SmsConfig | null; now?: Date },
): Promise<string> {
  const now = opts.now ?? new Date();
  const id = await openChallenge(db, user.id, now);
  // Past the hourly limit no new text goes out; an earlier code or a recovery code still works.
  if (user.twoFactor === "sms") await textSignInCode(db, user.id, opts);
  return id;
}

/** Texts a new sign-in code to the account's confirmed number ("send me a new code"). */
export async function textSignInCode(
  db: Db,
  userId: string,
  opts: { sms: SmsConfig | null; now?: Date },
): Promise<Result<{ to: string }>> {
  const account = await getUserById(db, userId);
  if (account?.twoFactor !== "sms" || !account.phone)
    return fail("invalid_input", "This sign-in does not use codes by text.");
  return sendSmsCode(db, account, account.phone, "sign_in", {
    config: opts.sms,
    now: opts.now,
  });
}

/** The account a still-open challenge belongs to, for the second step's "new code" button. */
export async function challengeOwner(
  db: Db,
  id: string,
  now = new Date(),
): Promise<string | null> {
  const [row] = await db
    .select({ userId: signInChallenges.userId })
    .from(signInChallenges)
    .where(
      and(
        eq(signInChallenges.id, id),
        isNull(signInChallenges.doneAt),
        gt(signInChallenges.expiresAt, now),
      ),
    );
  return row?.userId ?? null;
}

/** Makes ten new recovery codes; the old ones stop working. Needs the password. */
export async function renewRecoveryCodes(
  db: Db,
  viewer: { id: string; email: string },
  password: string,
  now = new Date(),
): Promise<Result<{ recoveryCodes: string[] }>> {
  const confirmed = await confirmPasswordField(db, viewer, password, now);
  if (!confirmed.ok) return confirmed;
  return db.transaction(async (tx) => {
    const user = await getUserById(tx, viewer.id);
    if (!user?.twoFactor)
      return fail("invalid_input", "Two-step sign-in is not on.");
    const codes = await storeRecoveryCodes(tx, user.id, now);
    await tellAndAudit(
      tx,
      user,
      {
        actor: { kind: "user", id: user.id },
        action: "user.recovery_codes_renewed",
        what: "New recovery codes were made; the old ones no longer work",
      },
      now,
    );
    return ok({ recoveryCodes: codes });
  });
}

/** Removes the second factor and its recovery codes, then tells the person and the audit log. */
async function clearSecondFactor(
  db: Db,
  user: User,
  p: { actor: AuditInput["actor"]; action: string; what: string },
  now: Date,
): Promise<void> {
  await db
    .update(users)
    .set({
      twoFactor: null,
      totpSecret: null,
      totpLastStep: null,
      updatedAt: now,
    })
    .where(eq(users.id, user.id));
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
  await tellAndAudit(db, user, { ...p, data: { method: user.twoFactor } }, now);
}

/** Turns two-step sign-in off: the password and a current code (or a recovery code) are asked for. */
export async function disableTwoFactor(
  db: Db,
  viewer: { id: string; email: string },
  input: { password: string; code: string },
  now = new Date(),
): Promise<Result<void>> {
  const confirmed = await confirmPasswordField(db, viewer, input.password, now);
  if (!confirmed.ok) return confirmed;
  return db.transaction(async (tx) => {
    const user = await getUserById(tx, viewer.id);
    if (!user?.twoFactor) return ok(undefined);
    const proof = await spendCode(tx, user, input.code, now);
    if (!proof)
      return fail("invalid_input", WRONG_CODE, {
        fields: { code: [WRONG_CODE] },
      });
    await clearSecondFactor(
      tx,
      user,
      {
        actor: { kind: "user", id: user.id },
        action: "user.two_factor_disabled",
        what: "Two-step sign-in was turned off",
      },
      now,
    );
    return ok(undefined);
  });
}

/** An administrator clears someone's second factor (a lost phone, no recovery codes left). */
export async function resetTwoFactor(
  db: Db,
  admin: { id: string },
  userId: string,
  now = new Date(),
): Promise<Result<void>> {
  return db.transaction(async (tx) => {
    const user = await getUserById(tx, userId);
    if (!user) return fail("not_found", "That person was not found.");
    if (!user.twoFactor)
      return fail("invalid_input", "They have no second factor to reset.");
    await clearSecondFactor(
      tx,
      user,
      {
        actor: { kind: "user", id: admin.id },
        action: "user.two_factor_reset",
        what: "An administrator turned off two-step sign-in for your account; set it up again from your account's security page",
      },
      now,
    );
    return ok(undefined);
  });
}

type Proof =
  { kind: "totp" } | { kind: "sms" } | { kind: "recovery"; left: number };

/**
 * Spends one code for `user`: an authenticator code from a time step later than the last accepted
 * (so a code seen over a shoulder cannot be replayed), or an unused recovery code. Null when wrong.
 */
async function spendCode(
  db: Db,
  user: User,
  code: string,
  now: Date,
): Promise<Proof | null> {
  const recovery = normalizeRecoveryCode(code);
  if (recovery) {
    const [spent] = await db
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, hashRecoveryCode(recovery)),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id });
    if (!spent) return null;
    const [left] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(recoveryCodes)
      .where(
        and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)),
      );
    return { kind: "recovery", left: left?.n ?? 0 };
  }
  if (user.twoFactor === "sms")
    return (await spendSmsCode(db, user.id, "sign_in", code, now))
      ? { kind: "sms" }
      : null;
  if (user.twoFactor !== "totp" || !user.totpSecret) return null;
  const opened = open(user.totpSecret);
  if (!opened) return null;
  const step = totpStep(opened.plain, code, now.getTime());
  if (step === null) return null;
  // The step moves forward in one statement, so two sign-ins racing with one code cannot both win.
  const [accepted] = await db
    .update(users)
    .set({
      totpLastStep: step,
      ...(opened.stale ? { totpSecret: seal(opened.plain) } : {}),
    })
    .where(
      and(
        eq(users.id, user.id),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
      ),
    )
    .returning({ id: users.id });
  return accepted ? { kind: "totp" } : null;
}

/** Opens the second step for an account whose password was just checked. */
export async function openChallenge(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<string> {
  const [row] = await db
    .insert(signInChallenges)
    .values({
      userId,
      expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
      createdAt: now,
    })
    .returning({ id: signInChallenges.id });
  return row!.id;
}

export type PendingChallenge = { method: TwoFactorMethod; email: string };

/** The challenge behind the second-step page, while it can still be answered. */
export async function readChallenge(
  db: Db,
  id: string,
  now = new Date(),
): Promise<PendingChallenge | null> {
  const [row] = await db
    .select({ method: users.twoFactor, email: users.email })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(
      and(
        eq(signInChallenges.id, id),
        isNull(signInChallenges.doneAt),
        gt(signInChallenges.expiresAt, now),
        lt(signInChallenges.attempts, CHALLENGE_ATTEMPTS),
      ),
    );
  return row?.method ? { method: row.method, email: row.email } : null;
}

/**
 * Answers the second step. Wrong codes count against the challenge and, like wrong passwords,
 * against the account from this client, so the sign-in limits cover both steps together.
 */
export async function completeChallenge(
  db: Db,
  id: string,
  code: string,
  opts: { client?: string | null; now?: Date } = {},
): Promise<Result<SessionSubject>> {
  const now = opts.now ?? new Date();
  const [challenge] = await db
    .select()
    .from(signInChallenges)
    .where(eq(signInChallenges.id, id));
  const user = challenge ? await getUserById(db, challenge.userId) : null;
  if (
    !challenge ||
    !user ||
    user.deactivatedAt ||
    challenge.doneAt ||
    challenge.expiresAt <= now ||
    challenge.attempts >= CHALLENGE_ATTEMPTS
  )
    return fail("unauthenticated", EXPIRED);
  const client = clientKey(opts.client ?? null);
  const pairKey = `sign-in:${user.email.toLowerCase()}|${client}`;
  const clientOnlyKey = `sign-in-client:${client}`;
  const wait = await throttleWait(db, [pairKey, clientOnlyKey], now);
  if (wait > 0) return tooManyFailures(wait);

  return db.transaction(async (tx) => {
    const proof = await spendCode(tx, user, code, now);
    if (!proof) {
      await tx
        .update(signInChallenges)
        .set({ attempts: sql`${signInChallenges.attempts} + 1` })
        .where(eq(signInChallenges.id, id));
      await recordFailure(tx, pairKey, SIGN_IN_LIMITS.accountFromClient, now);
      await recordFailure(tx, clientOnlyKey, SIGN_IN_LIMITS.client, now);
      return fail("unauthenticated", WRONG_CODE, {
        fields: { code: [WRONG_CODE] },
      });
    }
    const [done] = await tx
      .update(signInChallenges)
      .set({ doneAt: now })
      .where(and(eq(signInChallenges.id, id), isNull(signInChallenges.doneAt)))
      .returning({ id: signInChallenges.id });
    if (!done) return fail("unauthenticated", EXPIRED);
    await clearFailures(tx, pairKey);
    await tx
      .update(users)
      .set({ lastSignInAt: now })
      .where(eq(users.id, user.id));
    if (proof.kind === "recovery")
      await tellAndAudit(
        tx,
        user,
        {
          actor: { kind: "user", id: user.id },
          action: "user.recovery_code_used",
          what: `A recovery code was used to sign in; ${proof.left} of them are left`,
          data: { left: proof.left },
        },
        now,
      );
    return ok(sessionSubjectOf(user));
  });
}
