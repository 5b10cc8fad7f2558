import "server-only";
import { and, eq, gt } from "drizzle-orm";
import { outboundMail, users, type Mailbox } from "@/db/schema";
import { isUniqueViolation, violatedConstraint } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { sessionSubjectOf, type SessionSubject } from "@/lib/auth/authenticate";
import { sendVerificationLink } from "@/lib/auth/email-verification";
import { clientKey } from "@/lib/auth/client-address";
import { admitHashing, HASHING_BUSY } from "@/lib/auth/hash-slots";
import { hashPassword } from "@/lib/auth/password";
import type { SignUpInput } from "@/lib/auth/schemas";
import { env, type MailcowConfig } from "@/lib/env";
import { enqueueMail } from "@/lib/mail/outbox";
import { alreadyRegisteredMail } from "@/lib/mail/templates/account";
import { mailboxNameAvailability, nameTaken } from "@/lib/mailcow/availability";
import { requestMailbox } from "@/lib/mailcow/provision";
import { fail, ok, type Result } from "@/lib/result";
import { getUserByEmail } from "@/lib/users/queries";

const NAME_NEEDED = "Choose a name for your mailbox.";
// How often the owner of a taken address hears about sign-up attempts with it.
const ALREADY_REGISTERED_EVERY_MS = 15 * 60_000;

export type SignedUp =
  | {
      subject: SessionSubject;
      /** The mailbox asked for, still pending: the caller makes the first attempt after commit. */
      mailbox: Mailbox | null;
    }
  /**
   * The address already has an account (or wrote in by mail). Its owner is mailed how to get in, and
   * the caller answers exactly as for a new account, so sign-up cannot be used to find accounts.
   */
  | { subject: null; mailbox: null };

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
    /** Where links in mail point (NEXTAUTH_URL by default). */
    appUrl?: string;
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
      return alreadyRegistered(db, input.email, options.appUrl, now);
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
      // Store orders for the address wait until the address is proven (markEmailVerified).
      await sendVerificationLink(tx, row, {
        appUrl: options.appUrl ?? env().appUrl,
        now,
      });
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
    return ok({ subject: sessionSubjectOf(user), mailbox });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone took the name between the check and the insert.
    if (name && violatedConstraint(error) === "mailboxes_address_key")
      return nameTaken(name, null);
    return alreadyRegistered(db, input.email, options.appUrl, now);
  }
}

async function alreadyRegistered(
  db: Db,
  email: string,
  appUrl: string | undefined,
  now: Date,
): Promise<Result<SignedUp>> {
  const owner = await getUserByEmail(db, email);
  if (owner && !owner.deactivatedAt) {
    const [recent] = await db
      .select({ id: outboundMail.id })
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.kind, "already_registered"),
          eq(outboundMail.toAddress, owner.email),
          gt(
            outboundMail.createdAt,
            new Date(now.getTime() - ALREADY_REGISTERED_EVERY_MS),
          ),
        ),
      )
      .limit(1);
    if (!recent)
      await enqueueMail(
        db,
        {
          kind: "already_registered",
          to: owner.email,
          ...alreadyRegisteredMail({
            name: owner.name,
            appUrl: appUrl ?? env().appUrl,
          }),
        },
        now,
      );
  }
  return ok({ subject: null, mailbox: null });
}
