import "server-only";
import { and, eq, isNull, ne, or } from "drizzle-orm";
import { mailboxes, users, type Mailbox as MailboxRow } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { confirmPassword } from "@/lib/auth/authenticate";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { mailboxChangeRefusedMail } from "@/lib/mail/templates/mailbox";
import { mailAdmins } from "@/lib/mailcow/alerts";
import type { MailcowClient } from "@/lib/mailcow/client";
import { haltAware } from "@/lib/mailcow/halt";
import { explainQuotaLeftExceeded } from "@/lib/mailcow/health";
import { mailboxOfUser } from "@/lib/mailcow/queries";
import {
  mailboxPasswordProblems,
  type MailboxPasswordInput,
  mailboxAddress,
} from "@/lib/mailcow/schemas";
import type { MailcowFailure } from "@/lib/mailcow/types";
import { fail, ok, type Result } from "@/lib/result";

/**
 * Sets a new password on the customer's own mailbox. Mailcow has no current-password check, so the
 * portal password is asked instead; the new one must pass Portico's rule and Mailcow's live policy
 * before it is sent, so the customer never meets a Mailcow error key. Nothing here stores or logs it.
 */
export async function changeMailboxPassword(
  db: Db,
  client: MailcowClient,
  p: {
    viewer: { id: string; email: string };
    input: MailboxPasswordInput;
    now: Date;
  },
): Promise<Result<{ address: string }>> {
  const row = await mailboxOfUser(db, p.viewer.id);
  if (!row || row.status !== "active")
    return fail(
      "conflict",
      row?.status === "suspended"
        ? "Your mailbox is suspended, so its password cannot be changed. Contact support."
        : "You have no active mailbox yet.",
    );
  const me = await confirmPassword(
    db,
    p.viewer,
    p.input.currentPassword,
    p.now,
  );
  if (!me.ok)
    return fail(me.error.code, me.error.message, {
      fields: { currentPassword: [me.error.message] },
      retryAfter: me.error.retryAfter,
    });

  const mailcow = haltAware(db, client, { now: p.now });
  const policy = await mailcow.getPasswordPolicy();
  if (!policy.ok) return mailcowTrouble(policy, "nothing was changed");
  const problems = mailboxPasswordProblems(p.input.password, policy.value);
  if (problems.length)
    return fail("invalid_input", "Please correct the highlighted fields.", {
      fields: { password: problems },
    });

  const address = mailboxAddress(row);
  const changed = await mailcow.editMailbox(address, {
    password: p.input.password,
  });
  if (!changed.ok) {
    if (
      changed.kind === "rejected" &&
      changed.key === "mailbox_quota_left_exceeded"
    )
      await alertChangeRefused(db, row, changed, p.now);
    if (changed.kind === "rejected" && changed.key === "password_complexity")
      // The policy changed between our read and the edit.
      return fail("invalid_input", "Please correct the highlighted fields.", {
        fields: {
          password: [
            "The mail server's password rules just changed; this password does not meet them. Try a longer one with mixed characters.",
          ],
        },
      });
    return mailcowTrouble(changed, "your password was not changed");
  }
  if (row.mustSetPassword) {
    // Sent on its own: a failed password edit would discard other changes in the same request (§5.2).
    const cleared = await mailcow.editMailbox(address, {
      forcePasswordUpdate: false,
    });
    if (!cleared.ok)
      log.warn("mailbox.force_pw_update_not_cleared", {
        mailboxId: row.id,
        reason: cleared.kind,
      });
  }
  await db.transaction(async (tx) => {
    await tx
      .update(mailboxes)
      // A change went through, so whatever Mailcow refused before is sorted out.
      .set({
        mustSetPassword: false,
        lastErrorKey: null,
        lastErrorMessage: null,
        updatedAt: p.now,
      })
      .where(eq(mailboxes.id, row.id));
    await recordAudit(tx, {
      actor: { kind: "user", id: p.viewer.id },
      action: "mailbox.password_changed",
      entityType: "mailbox",
      entityId: row.id,
      data: { address },
      at: p.now,
    });
  });
  return ok({ address });
}

/** Mailcow failures in the customer's words; the operator's details go to the log. */
export function mailcowTrouble(
  failure: MailcowFailure,
  consequence: string,
): ReturnType<typeof fail> {
  switch (failure.kind) {
    case "unknown":
      // A write may or may not have happened; repeating a password edit is safe (§8).
      return fail(
        "unavailable",
        "The mail server did not answer in time. Please try again in a few minutes; repeating is safe.",
      );
    case "rejected":
      if (failure.key === "access_denied")
        return fail(
          "upstream_failed",
          `The mail server does not know this mailbox, so ${consequence}. Our support team can sort it out.`,
        );
      if (failure.key === "mailbox_quota_left_exceeded")
        return fail(
          "upstream_failed",
          `The mail server refuses changes to this mailbox until its storage limit is sorted out, so ${consequence}. Our team has been told and will sort it out.`,
        );
      return fail(
        "upstream_failed",
        `The mail server refused the change (${failure.message}), so ${consequence}.`,
      );
    default:
      log.error("mailcow.unusable", {
        kind: failure.kind,
        detail: "detail" in failure ? failure.detail : failure.message,
      });
      return fail(
        "unavailable",
        `Mailboxes are temporarily unavailable, so ${consequence}. Our team has been told.`,
      );
  }
}

/**
 * Tells the administrators that Mailcow refuses changes to an active mailbox for a cause only they
 * can fix, once per cause: the cause is kept on the row until a change goes through again.
 */
async function alertChangeRefused(
  db: Db,
  row: MailboxRow,
  failure: Extract<MailcowFailure, { kind: "rejected" }>,
  now: Date,
): Promise<void> {
  const reason = explainQuotaLeftExceeded(failure.args, row.quotaMb);
  await db.transaction(async (tx) => {
    const [marked] = await tx
      .update(mailboxes)
      .set({
        lastErrorKey: failure.key,
        lastErrorMessage: reason,
        updatedAt: now,
      })
      .where(
        and(
          eq(mailboxes.id, row.id),
          or(
            isNull(mailboxes.lastErrorKey),
            ne(mailboxes.lastErrorKey, failure.key),
          ),
        ),
      )
      .returning({ id: mailboxes.id });
    if (!marked) return;
    await recordAudit(tx, {
      actor: { kind: "system" },
      action: "mailbox.change_refused",
      entityType: "mailbox",
      entityId: row.id,
      data: { address: mailboxAddress(row), key: failure.key },
      at: now,
    });
    const [owner] = await tx
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, row.userId));
    await mailAdmins(
      tx,
      mailboxChangeRefusedMail({
        address: mailboxAddress(row),
        customerName: owner?.name ?? "A customer",
        attempted: "change the password",
        reason,
        url: `${env().appUrl}/staff/customers/${row.userId}`,
      }),
      now,
    );
  });
}
