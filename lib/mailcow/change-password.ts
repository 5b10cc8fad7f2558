import "server-only";
import { eq } from "drizzle-orm";
import { mailboxes } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { confirmPassword } from "@/lib/auth/authenticate";
import { log } from "@/lib/log";
import type { MailcowClient } from "@/lib/mailcow/client";
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

  const policy = await client.getPasswordPolicy();
  if (!policy.ok) return mailcowTrouble(policy, "nothing was changed");
  const problems = mailboxPasswordProblems(p.input.password, policy.value);
  if (problems.length)
    return fail("invalid_input", "Please correct the highlighted fields.", {
      fields: { password: problems },
    });

  const address = mailboxAddress(row);
  const changed = await client.editMailbox(address, {
    password: p.input.password,
  });
  if (!changed.ok) {
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
    const cleared = await client.editMailbox(address, {
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
      .set({ mustSetPassword: false, updatedAt: p.now })
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
          `The mail server refuses changes to this mailbox until its storage limit is sorted out, so ${consequence}. Please contact support.`,
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
