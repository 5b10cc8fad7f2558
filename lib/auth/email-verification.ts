import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { isUniqueViolation } from "@/db/errors";
import {
  emailTokens,
  passwordResetTokens,
  users,
  type EmailTokenPurpose,
  type User,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { confirmPasswordField } from "@/lib/auth/authenticate";
import { hashToken } from "@/lib/auth/crypto";
import type { Viewer } from "@/lib/auth/viewer";
import { enqueueMail } from "@/lib/mail/outbox";
import {
  emailChangedMail,
  emailChangeLinkMail,
  emailChangeRequestedMail,
  emailChangeTakenMail,
  verifyEmailMail,
} from "@/lib/mail/templates/account";
import { claimOrdersByEmail } from "@/lib/orders/claim";
import { fail, ok, type Result } from "@/lib/result";
import { getUserByEmail, getUserById } from "@/lib/users/queries";

// Proof that a person reads mail at an address: a single-use link mailed there. It confirms the
// account's own address ("verify") or moves the account to a new one ("change"); either way the
// account then counts as verified, and what was waiting for the address (mailed-in tickets, store
// orders) becomes theirs.

export const EMAIL_LINK_TTL_HOURS = 48;
// One link per account and minute is plenty; more would let anyone flood an inbox.
const RESEND_AFTER_MS = 60_000;

const BAD_LINK =
  "This link is invalid, already used or expired. Ask for a new one from your account page.";

type LinkOptions = { appUrl: string; now?: Date };

async function issueLink(
  db: Db,
  userId: string,
  purpose: EmailTokenPurpose,
  email: string,
  opts: { appUrl: string; now: Date },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(emailTokens).values({
    userId,
    purpose,
    email,
    tokenHash: hashToken(token),
    expiresAt: new Date(opts.now.getTime() + EMAIL_LINK_TTL_HOURS * 3600_000),
    createdAt: opts.now,
  });
  return `${opts.appUrl}/verify-email/${token}`;
}

async function sentRecently(
  db: Db,
  userId: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<boolean> {
  const [row] = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, purpose),
        gt(emailTokens.createdAt, new Date(now.getTime() - RESEND_AFTER_MS)),
      ),
    )
    .orderBy(desc(emailTokens.createdAt))
    .limit(1);
  return Boolean(row);
}

/**
 * Mails the account a link that confirms its address. Call inside the transaction that creates the
 * account, or from the banner's resend (at most once a minute).
 */
export async function sendVerificationLink(
  db: Db,
  user: Pick<User, "id" | "email" | "name" | "emailVerifiedAt">,
  opts: LinkOptions,
): Promise<Result<{ sent: boolean }>> {
  const now = opts.now ?? new Date();
  if (user.emailVerifiedAt) return ok({ sent: false });
  if (await sentRecently(db, user.id, "verify", now))
    return fail(
      "rate_limited",
      "We sent a link less than a minute ago. Check your inbox (and spam folder) first.",
      { retryAfter: 60 },
    );
  const url = await issueLink(db, user.id, "verify", user.email, {
    appUrl: opts.appUrl,
    now,
  });
  const mail = verifyEmailMail({
    name: user.name,
    url,
    expiresInHours: EMAIL_LINK_TTL_HOURS,
  });
  await enqueueMail(db, { kind: "verify_email", to: user.email, ...mail }, now);
  return ok({ sent: true });
}

/**
 * Marks the account's current address as proven and gives it what waited for that address. Also
 * called when a password link is spent: it too was opened by whoever reads the address's mail.
 */
export async function markEmailVerified(
  db: Db,
  user: Pick<User, "id" | "email">,
  now: Date,
): Promise<void> {
  const [changed] = await db
    .update(users)
    .set({ emailVerifiedAt: now, updatedAt: now })
    .where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt)))
    .returning({ id: users.id });
  if (!changed) return;
  await claimOrdersByEmail(db, user);
  await recordAudit(db, {
    actor: { kind: "user", id: user.id },
    action: "user.email_verified",
    entityType: "user",
    entityId: user.id,
    data: { email: user.email },
    at: now,
  });
}

export type EmailLinkOutcome =
  | { kind: "verified"; email: string }
  | { kind: "changed"; email: string; previous: string };

/** Whether a link can still be used, so its page can say so before asking for a click. */
export async function peekEmailLink(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ purpose: EmailTokenPurpose; email: string } | null> {
  const [row] = await db
    .select({ purpose: emailTokens.purpose, email: emailTokens.email })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, hashToken(token)),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    );
  return row ?? null;
}

/**
 * Spends an address link. "verify" proves the account's address (only while the account still has
 * the address the link was sent to); "change" moves the account to the new address, tells the old
 * one, and cancels password links that went to the old address.
 */
export async function spendEmailLink(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Result<EmailLinkOutcome>> {
  try {
    return await db.transaction(async (tx) => {
      // Spending the token is the first write, so two clicks can't both use it.
      const [spent] = await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(emailTokens.tokenHash, hashToken(token)),
            isNull(emailTokens.usedAt),
            gt(emailTokens.expiresAt, now),
          ),
        )
        .returning();
      if (!spent) return fail("not_found", BAD_LINK);
      const user = await getUserById(tx, spent.userId);
      if (!user || user.deactivatedAt) return fail("not_found", BAD_LINK);

      if (spent.purpose === "verify") {
        if (user.email.toLowerCase() !== spent.email.toLowerCase())
          return fail("not_found", BAD_LINK);
        await markEmailVerified(tx, user, now);
        return ok({ kind: "verified" as const, email: user.email });
      }

      const previous = user.email;
      await tx
        .update(users)
        .set({ email: spent.email, emailVerifiedAt: now, updatedAt: now })
        .where(eq(users.id, user.id));
      // Links mailed to the old address must not work for the account any more.
      await tx
        .update(passwordResetTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(passwordResetTokens.userId, user.id),
            isNull(passwordResetTokens.usedAt),
          ),
        );
      await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(
          and(eq(emailTokens.userId, user.id), isNull(emailTokens.usedAt)),
        );
      await claimOrdersByEmail(tx, { id: user.id, email: spent.email });
      await enqueueMail(
        tx,
        {
          kind: "email_changed",
          to: previous,
          ...emailChangedMail({ name: user.name, newEmail: spent.email }),
        },
        now,
      );
      await recordAudit(tx, {
        actor: { kind: "user", id: user.id },
        action: "user.email_changed",
        entityType: "user",
        entityId: user.id,
        data: { from: previous, to: spent.email },
        at: now,
      });
      return ok({
        kind: "changed" as const,
        email: spent.email,
        previous,
      });
    });
  } catch (error) {
    // Another account took the address between the request and the click.
    if (isUniqueViolation(error))
      return fail(
        "conflict",
        "Another account uses that address now, so your address was not changed.",
      );
    throw error;
  }
}

const SAME_ADDRESS = "That is already your address.";

/**
 * Starts moving the account to `newEmail`: the current password is asked for, a link goes to the new
 * address and a warning to the old one. The answer is the same whether or not the new address has an
 * account (that owner gets a note instead), so the form cannot be used to find accounts.
 */
export async function requestEmailChange(
  db: Db,
  viewer: Pick<Viewer, "id" | "email">,
  input: { newEmail: string; password: string },
  opts: LinkOptions,
): Promise<Result<{ email: string }>> {
  const now = opts.now ?? new Date();
  const newEmail = input.newEmail.trim();
  if (newEmail.toLowerCase() === viewer.email.toLowerCase())
    return fail("invalid_input", SAME_ADDRESS, {
      fields: { newEmail: [SAME_ADDRESS] },
    });
  const confirmed = await confirmPasswordField(db, viewer, input.password, now);
  if (!confirmed.ok) return confirmed;
  const user = await getUserById(db, viewer.id);
  if (!user) return fail("not_found", "Your account was not found.");
  return db.transaction(async (tx) => {
    if (await sentRecently(tx, user.id, "change", now))
      return fail(
        "rate_limited",
        "We sent a link less than a minute ago. Check that inbox first.",
        { retryAfter: 60 },
      );
    const owner = await getUserByEmail(tx, newEmail);
    if (owner) {
      await enqueueMail(
        tx,
        {
          kind: "email_change_taken",
          to: newEmail,
          ...emailChangeTakenMail({ appUrl: opts.appUrl }),
        },
        now,
      );
      // A spent row still counts for the once-a-minute limit, so probing stays as slow as changing.
      await tx.insert(emailTokens).values({
        userId: user.id,
        purpose: "change",
        email: newEmail,
        tokenHash: hashToken(randomBytes(32).toString("base64url")),
        expiresAt: now,
        usedAt: now,
        createdAt: now,
      });
    } else {
      const url = await issueLink(tx, user.id, "change", newEmail, {
        appUrl: opts.appUrl,
        now,
      });
      await enqueueMail(
        tx,
        {
          kind: "email_change",
          to: newEmail,
          ...emailChangeLinkMail({
            name: user.name,
            url,
            expiresInHours: EMAIL_LINK_TTL_HOURS,
          }),
        },
        now,
      );
    }
    await enqueueMail(
      tx,
      {
        kind: "email_change_requested",
        to: user.email,
        ...emailChangeRequestedMail({ name: user.name, newEmail }),
      },
      now,
    );
    await recordAudit(tx, {
      actor: { kind: "user", id: user.id },
      action: "user.email_change_requested",
      entityType: "user",
      entityId: user.id,
      data: { to: newEmail },
      at: now,
    });
    return ok({ email: newEmail });
  });
}

/** The address change still waiting for its link, if any, for the account page. */
export async function pendingEmailChange(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<string | null> {
  const [row] = await db
    .select({ email: emailTokens.email })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, "change"),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .orderBy(desc(emailTokens.createdAt))
    .limit(1);
  return row?.email ?? null;
}
