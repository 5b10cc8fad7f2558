"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { changeMailboxPassword } from "@/lib/mailcow/change-password";
import {
  mailcowClient,
  provisionWithinBudget,
  SIGNUP_BUDGET_MS,
} from "@/lib/mailcow/provision";
import { requestMailboxAgain } from "@/lib/mailcow/request-again";
import { mailboxPasswordInput, newMailboxInput } from "@/lib/mailcow/schemas";

const SWITCHED_OFF: FormState = {
  ok: false,
  message: "Mailboxes are switched off on this portal.",
};

export async function changeMailboxPasswordAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireCustomer("/mailbox");
  const { mailcow } = env();
  if (!mailcow) return SWITCHED_OFF;
  const input = parseForm(mailboxPasswordInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const changed = await changeMailboxPassword(
    await getDb(),
    mailcowClient(mailcow),
    { viewer, input: input.value, now: new Date() },
  );
  if (!changed.ok) return formFailure(changed.error, form);
  revalidatePath("/mailbox");
  return {
    ok: true,
    message: `The password of ${changed.value.address} is changed. Use it in your mail apps and webmail; apps signed in with the old one may keep working for a few minutes.`,
  };
}

export async function createMailboxAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireCustomer("/mailbox");
  const { mailcow } = env();
  if (!mailcow) return SWITCHED_OFF;
  const input = parseForm(newMailboxInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const now = new Date();
  const deadline = now.getTime() + SIGNUP_BUDGET_MS;
  const requested = await requestMailboxAgain(db, mailcow, {
    userId: viewer.id,
    input: input.value,
    now,
    deadline,
  });
  if (!requested.ok) return formFailure(requested.error, form);
  await provisionWithinBudget(db, mailcow, requested.value, {
    password: input.value.password,
    now,
    keepAlive: after,
    deadline,
  });
  revalidatePath("/mailbox");
  return { ok: true };
}
