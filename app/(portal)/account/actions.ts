"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import {
  requestEmailChange,
  sendVerificationLink,
} from "@/lib/auth/email-verification";
import {
  changePassword,
  renameAccount,
  saveNotificationChoices,
} from "@/lib/auth/profile";
import {
  emailChangeInput,
  notificationInput,
  passwordChangeInput,
  profileInput,
} from "@/lib/auth/schemas";
import {
  requestClientAddress,
  requireCustomer,
  requireUser,
  startSession,
} from "@/lib/auth/session";
import { requestClosure, withdrawClosure } from "@/lib/customers/account-data";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { getUserById } from "@/lib/users/queries";

// The account page's forms. Each acts on the signed-in person only, whatever the form posts.

const PAGE = "/account";

export async function renameAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGE);
  const input = parseForm(profileInput, form);
  if (!input.ok) return formFailure(input.error, form);
  await renameAccount(await getDb(), viewer, input.value.name);
  revalidatePath("/", "layout");
  return { ok: true, message: "Your name is saved." };
}

export async function requestEmailChangeAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGE);
  const input = parseForm(emailChangeInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const asked = await requestEmailChange(db, viewer, input.value, {
    appUrl: env().appUrl,
  });
  if (!asked.ok) return formFailure(asked.error, form);
  deliverSoon(db);
  revalidatePath(PAGE);
  return {
    ok: true,
    message: `We sent a link to ${asked.value.email}. Your address changes when you open it; until then you keep signing in with ${viewer.email}.`,
  };
}

export async function changePasswordAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGE);
  const input = parseForm(passwordChangeInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const changed = await changePassword(db, viewer, input.value, {
    client: await requestClientAddress(),
  });
  if (!changed.ok) return formFailure(changed.error, form);
  // Every session ended with the change; this browser carries on with a fresh one.
  await startSession(changed.value);
  deliverSoon(db);
  return {
    ok: true,
    message: "Your password is changed. Every other device was signed out.",
  };
}

export async function saveNotificationsAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGE);
  const input = parseForm(notificationInput, form);
  if (!input.ok) return formFailure(input.error, form);
  await saveNotificationChoices(await getDb(), viewer, input.value);
  revalidatePath(PAGE);
  return { ok: true, message: "Your mail choices are saved." };
}

export async function resendVerificationAction(
  _prev: FormState,
  _form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGE);
  const db = await getDb();
  const user = await getUserById(db, viewer.id);
  if (!user) return { ok: false, message: "Your account was not found." };
  const sent = await sendVerificationLink(db, user, { appUrl: env().appUrl });
  if (!sent.ok) return formFailure(sent.error);
  deliverSoon(db);
  return {
    ok: true,
    message: sent.value.sent
      ? `We sent a new link to ${user.email}.`
      : "Your address is already confirmed.",
  };
}

export async function requestClosureAction(
  _prev: FormState,
  _form: FormData,
): Promise<FormState> {
  const viewer = await requireCustomer(PAGE);
  await requestClosure(await getDb(), viewer);
  revalidatePath(PAGE);
  return {
    ok: true,
    message:
      "We have your request. An administrator will confirm it; until then you can change your mind here.",
  };
}

export async function withdrawClosureAction(
  _prev: FormState,
  _form: FormData,
): Promise<FormState> {
  const viewer = await requireCustomer(PAGE);
  await withdrawClosure(await getDb(), viewer);
  revalidatePath(PAGE);
  return { ok: true, message: "Your account stays open." };
}
