import "server-only";
import { eq } from "drizzle-orm";
import { mailboxes, type Mailbox } from "@/db/schema";
import { isUniqueViolation, violatedConstraint } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { MailcowConfig } from "@/lib/env";
import { mailboxNameAvailability, nameTaken } from "@/lib/mailcow/availability";
import {
  mailcowClient,
  mayChooseMailboxName,
  requestMailbox,
} from "@/lib/mailcow/provision";
import { mailboxOfUser } from "@/lib/mailcow/queries";
import {
  mailboxPasswordProblems,
  type NewMailboxInput,
} from "@/lib/mailcow/schemas";
import { fail, ok, type Result } from "@/lib/result";

// A customer asks for a mailbox from the mailbox page: they had none (signed up while mailboxes were
// off), theirs was deleted, or its name was refused by Mailcow (taken there, an alias). The row is
// pending again; the caller makes the first attempt with the password just chosen.

const INVALID = "Please correct the highlighted fields.";

export async function requestMailboxAgain(
  db: Db,
  config: MailcowConfig,
  p: { userId: string; input: NewMailboxInput; now: Date; deadline?: number },
): Promise<Result<Mailbox>> {
  const existing = await mailboxOfUser(db, p.userId);
  if (!mayChooseMailboxName(existing))
    return fail("conflict", "You already have a mailbox.");

  const name = p.input.mailboxName;
  const availability = await mailboxNameAvailability(db, config, name, {
    forUserId: p.userId,
    deadline: p.deadline,
  });
  if (!availability.free) return nameTaken(name, availability.suggestion);

  // Mailcow's policy, when it answers quickly; otherwise Portico's floor, and the create decides.
  const policy = await mailcowClient(config, {
    timeoutMs: 400,
  }).getPasswordPolicy();
  const problems = mailboxPasswordProblems(
    p.input.password,
    policy.ok ? policy.value : null,
  );
  if (problems.length)
    return fail("invalid_input", INVALID, { fields: { password: problems } });

  try {
    if (!existing)
      return ok(
        await requestMailbox(db, {
          userId: p.userId,
          localPart: name,
          config,
          now: p.now,
        }),
      );
    return ok(
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(mailboxes)
          .set({
            localPart: name,
            domain: config.domain,
            status: "pending",
            quotaMb: config.quotaMb,
            attempts: 0,
            nextAttemptAt: new Date(
              p.now.getTime() + config.retrySeconds * 1000,
            ),
            lastErrorKey: null,
            lastErrorMessage: null,
            mustSetPassword: false,
            provisionedAt: null,
            updatedAt: p.now,
          })
          .where(eq(mailboxes.id, existing.id))
          .returning();
        await recordAudit(tx, {
          actor: { kind: "user", id: p.userId },
          action: "mailbox.requested",
          entityType: "mailbox",
          entityId: existing.id,
          data: {
            address: `${name}@${config.domain}`,
            previous: `${existing.localPart}@${existing.domain}`,
            previousStatus: existing.status,
          },
          at: p.now,
        });
        return row!;
      }),
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A second submit raced this one: the name was taken, or the customer's row now exists.
    return violatedConstraint(error) === "mailboxes_address_key"
      ? nameTaken(name, null)
      : fail("conflict", "You already have a mailbox.");
  }
}
