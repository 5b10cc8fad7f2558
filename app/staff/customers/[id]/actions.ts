"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import type { Mailbox } from "@/db/schema";
import type { Db } from "@/db/types";
import { requireAdmin } from "@/lib/auth/session";
import { closeAccount } from "@/lib/customers/account-data";
import {
  mailboxOperationInput,
  type MailboxOperationInput,
} from "@/lib/customers/schemas";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import {
  deleteMailbox,
  reactivateMailbox,
  retryMailbox,
  suspendMailbox,
  type MailboxAdminOptions,
} from "@/lib/mailcow/admin";
import { mailcowClient, type MailcowClient } from "@/lib/mailcow/provision";
import { ok, type Result } from "@/lib/result";

/** The mailbox card's buttons: retry, suspend, re-activate or delete a customer's mailbox. */
export async function mailboxOperationAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin("/staff/customers");
  const input = parseForm(mailboxOperationInput, form);
  if (!input.ok) return formFailure(input.error);
  const config = env().mailcow;
  if (!config)
    return {
      ok: false,
      message:
        "Mailboxes are switched off (MAILCOW_API_URL, MAILCOW_API_KEY and MAILCOW_DOMAIN are not all set).",
    };
  const result = await perform(
    await getDb(),
    mailcowClient(config),
    input.value,
    { actorId: admin.id, now: new Date(), retrySeconds: config.retrySeconds },
  );
  if (!result.ok) return formFailure(result.error);
  revalidatePath(`/staff/customers/${result.value.userId}`);
  revalidatePath("/staff/settings/mailcow");
  return result.value.state;
}

type Done = { userId: string; state: FormState };

async function perform(
  db: Db,
  client: MailcowClient,
  { mailboxId, operation }: MailboxOperationInput,
  actor: MailboxAdminOptions,
): Promise<Result<Done>> {
  switch (operation) {
    case "retry": {
      const tried = await retryMailbox(db, client, mailboxId, actor);
      if (!tried.ok) return tried;
      const { status, mailbox } = tried.value;
      return ok({
        userId: mailbox.userId,
        state:
          status === "active"
            ? { ok: true, message: "The mailbox is active now." }
            : {
                ok: false,
                message: `Still not created: ${tried.value.reason}`,
              },
      });
    }
    case "suspend": {
      const suspended = await suspendMailbox(db, client, mailboxId, actor);
      return suspended.ok
        ? done(
            suspended.value,
            "Mailbox suspended: it can neither log in nor receive mail.",
          )
        : suspended;
    }
    case "reactivate": {
      const reactivated = await reactivateMailbox(db, client, mailboxId, actor);
      return reactivated.ok
        ? done(reactivated.value, "Mailbox re-activated.")
        : reactivated;
    }
    case "delete": {
      const deleted = await deleteMailbox(db, client, mailboxId, actor);
      if (!deleted.ok) return deleted;
      return done(
        deleted.value.mailbox,
        deleted.value.inMailcow === "not_created"
          ? "Mailbox closed. It was never created in Mailcow, so nothing was removed there."
          : "Mailbox deleted. A Mailcow operator can still recover its mail for a while.",
      );
    }
  }
}

const done = (mailbox: Mailbox, message: string): Result<Done> =>
  ok({ userId: mailbox.userId, state: { ok: true, message } });

const closeInput = z.object({ userId: z.uuid("Choose a customer.") });

/** An admin confirms a customer's request to close their account. */
export async function closeAccountAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin("/staff/customers");
  const input = parseForm(closeInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const closed = await closeAccount(await getDb(), admin, input.value.userId);
  if (!closed.ok) return formFailure(closed.error, form);
  revalidatePath(`/staff/customers/${input.value.userId}`);
  return { ok: true, message: "The account is closed." };
}
