"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formFailure, type FormState } from "@/lib/forms";
import { retryMailcowKey } from "@/lib/mailcow/halt";
import { mailcowClient } from "@/lib/mailcow/provision";

const PAGE = "/staff/settings/mailcow";

/** "Try again" after Mailcow refused Portico's key: one check, then waiting mailboxes are due. */
export async function retryMailcowKeyAction(
  _prev: FormState,
  _form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const config = env().mailcow;
  if (!config)
    return { ok: false, message: "Mailboxes are switched off on this portal." };
  const retried = await retryMailcowKey(await getDb(), mailcowClient(config), {
    actorId: admin.id,
    now: new Date(),
  });
  if (!retried.ok) return formFailure(retried.error);
  revalidatePath(PAGE);
  const n = retried.value.waitingMailboxes;
  return {
    ok: true,
    message:
      n === 0
        ? "Mailcow accepts the key again."
        : `Mailcow accepts the key again. The ${n === 1 ? "mailbox" : `${n} mailboxes`} that waited ${n === 1 ? "is" : "are"} created on the next scheduled run.`,
  };
}
