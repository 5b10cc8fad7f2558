import "server-only";
import { and, eq } from "drizzle-orm";
import { mailboxes, type Mailbox } from "@/db/schema";
import { isUniqueViolation, violatedConstraint } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { MailcowConfig } from "@/lib/env";
import { mailboxNameAvailability, nameTaken } from "@/lib/mailcow/availability";
import { haltAware } from "@/lib/mailcow/halt";
import {
  mailcowClient,
  mayChooseMailboxName,
  requestMailbox,
  type MailcowClient,
} from "@/lib/mailcow/provision";
import { mailboxOfUser } from "@/lib/mailcow/queries";
import {
  mailboxAddress,
  mailboxPasswordProblems,
  type NewMailboxInput,
} from "@/lib/mailcow/schemas";
import { fail, ok, type Result } from "@/lib/result";

// A customer asks for a mailbox from the mailbox page: they had none (signed up while mailboxes were
// off), theirs was deleted (in Portico, or in Mailcow behind Portico's back), or its name was refused
// by Mailcow (taken there, an alias). The row is pending again; the caller makes the first attempt
// with the password just chosen. A name Mailcow refused for this record is never sent again.

const INVALID = "Please correct the highlighted fields.";

export async function requestMailboxAgain(
  db: Db,
  config: MailcowConfig,
  p: { userId: string; input: NewMailboxInput; now: Date; deadline?: number },
): Promise<Result<Mailbox>> {
  const existing = await mailboxOfUser(db, p.userId);
  const mailcow = haltAware(db, mailcowClient(config, { timeoutMs: 400 }), {
    now: p.now,
  });
  const may = await mayChooseAgain(existing, mailcow);
  if (may === "unknown")
    return fail(
      "unavailable",
      "The mail server did not answer in time. Please try again in a moment.",
    );
  if (may === "no") return fail("conflict", "You already have a mailbox.");

  const name = p.input.mailboxName;
  const availability = await mailboxNameAvailability(db, config, name, {
    forUserId: p.userId,
    refused: existing?.refusedLocalParts,
    deadline: p.deadline,
  });
  if (!availability.free)
    return nameTaken(name, availability.suggestion, {
      refused: availability.refused,
    });

  // Mailcow's policy, when it answers quickly; otherwise Portico's floor, and the create decides.
  const policy = await mailcow.getPasswordPolicy();
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
    const row = await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(mailboxes)
        .set({
          localPart: name,
          domain: config.domain,
          status: "pending",
          quotaMb: config.quotaMb,
          attempts: 0,
          nextAttemptAt: new Date(p.now.getTime() + config.retrySeconds * 1000),
          lastErrorKey: null,
          lastErrorMessage: null,
          mustSetPassword: false,
          uncertainCreateAt: null,
          provisionedAt: null,
          updatedAt: p.now,
        })
        // Unchanged since it was read: an admin's retry or the scheduled job may be at it.
        .where(
          and(
            eq(mailboxes.id, existing.id),
            eq(mailboxes.status, existing.status),
          ),
        )
        .returning();
      if (!updated) return null;
      await recordAudit(tx, {
        actor: { kind: "user", id: p.userId },
        action: "mailbox.requested",
        entityType: "mailbox",
        entityId: existing.id,
        data: {
          address: `${name}@${config.domain}`,
          previous: `${existing.localPart}@${existing.domain}`,
          previousStatus: existing.status,
          ...(existing.status === "active" && { missingInMailcow: true }),
        },
        at: p.now,
      });
      return updated;
    });
    return row
      ? ok(row)
      : fail(
          "conflict",
          "Your mailbox changed meanwhile; reload the page and try again.",
        );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A second submit raced this one: the name was taken, or the customer's row now exists.
    return violatedConstraint(error) === "mailboxes_address_key"
      ? nameTaken(name, null)
      : fail("conflict", "You already have a mailbox.");
  }
}

/**
 * Whether the customer may choose a (new) name: as mayChooseMailboxName says, or their mailbox is
 * active in Portico but Mailcow answers `{}` for it (removed there), which only Mailcow can tell.
 */
async function mayChooseAgain(
  row: Mailbox | null,
  mailcow: MailcowClient,
): Promise<"yes" | "no" | "unknown"> {
  if (mayChooseMailboxName(row)) return "yes";
  if (row?.status !== "active") return "no";
  const found = await mailcow.getMailbox(mailboxAddress(row));
  if (!found.ok) return "unknown";
  return found.value === null ? "yes" : "no";
}
