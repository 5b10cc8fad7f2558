import "server-only";
import { claimOrdersByEmail } from "@/lib/orders/claim";
import { users, type Mailbox } from "@/db/schema";
import { isUniqueViolation, violatedConstraint } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { SessionSubject } from "@/lib/auth/authenticate";
import { clientKey } from "@/lib/auth/client-address";
import { admitHashing, HASHING_BUSY } from "@/lib/auth/hash-slots";
import { hashPassword } from "@/lib/auth/password";
import type { SignUpInput } from "@/lib/auth/schemas";
import type { MailcowConfig } from "@/lib/env";
import { mailboxNameAvailability, nameTaken } from "@/lib/mailcow/availability";
import { requestMailbox } from "@/lib/mailcow/provision";
import { fail, ok, type Result } from "@/lib/result";
import { getUserByEmail } from "@/lib/users/queries";

// People who only wrote in by mail already have a row without a password. They are told the email is
// taken too: the reset link proves they own the address, where signing up would not.
const TAKEN =
  "An account with this email already exists. Sign in, or reset your password to get in.";
const NAME_NEEDED = "Choose a name for your mailbox.";

export type SignedUp = {
  subject: SessionSubject;
  /** The mailbox asked for, still pending: the caller makes the first attempt after commit. */
  mailbox: Mailbox | null;
};

/**
 * Creates a customer account and, when mailboxes are on, records their mailbox as pending in the
 * same transaction. Unique indexes decide races: lower(email) for the account, the address for the
 * mailbox.
 */
export async function signUp(
  db: Db,
  input: SignUpInput,
  options: {
    mailcow?: MailcowConfig | null;
    now?: Date;
    /** When signup must be done with Mailcow (epoch ms); the name check stops waiting then. */
    deadline?: number;
    /** The caller's IP address: one client may not queue many password hashes at once. */
    client?: string | null;
  } = {},
): Promise<Result<SignedUp>> {
  const now = options.now ?? new Date();
  const mailcow = options.mailcow ?? null;
  const name = mailcow ? input.mailboxName : undefined;
  if (mailcow && !name)
    return fail("invalid_input", "Please correct the highlighted fields.", {
      fields: { mailboxName: [NAME_NEEDED] },
    });
  if (mailcow && name) {
    // The account is the first question: a taken email makes the mailbox name moot.
    if (await getUserByEmail(db, input.email))
      return fail("conflict", TAKEN, { fields: { email: [TAKEN] } });
    const availability = await mailboxNameAvailability(db, mailcow, name, {
      deadline: options.deadline,
    });
    if (!availability.free) return nameTaken(name, availability.suggestion);
  }

  const admission = admitHashing(clientKey(options.client ?? null));
  if (!admission) return fail("rate_limited", HASHING_BUSY, { retryAfter: 1 });
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.password);
  } finally {
    admission.release();
  }
  try {
    const created = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          email: input.email,
          name: input.name,
          passwordHash,
          role: "customer",
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("sign-up wrote no row");
      await recordAudit(tx, {
        actor: { kind: "user", id: row.id },
        action: "user.signed_up",
        entityType: "user",
        entityId: row.id,
        at: now,
      });
      await claimOrdersByEmail(tx, row);
      const mailbox =
        mailcow && name
          ? await requestMailbox(tx, {
              userId: row.id,
              localPart: name,
              config: mailcow,
              now,
            })
          : null;
      return { user: row, mailbox };
    });
    const { user, mailbox } = created;
    return ok({
      subject: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        sessionVersion: user.sessionVersion,
      },
      mailbox,
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone took the name between the check and the insert.
    if (name && violatedConstraint(error) === "mailboxes_address_key")
      return nameTaken(name, null);
    return fail("conflict", TAKEN, { fields: { email: [TAKEN] } });
  }
}
