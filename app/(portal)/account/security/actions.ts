"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import {
  passwordOnlyInput,
  sessionIdInput,
  totpEnableInput,
  twoFactorOffInput,
} from "@/lib/auth/schemas";
import { sessionSubjectOf } from "@/lib/auth/authenticate";
import { endSessions } from "@/lib/auth/sessions";
import { requireUser, startSession } from "@/lib/auth/session";
import { endAllSessions } from "@/lib/auth/sign-out";
import {
  disableTwoFactor,
  enableTotp,
  renewRecoveryCodes,
} from "@/lib/auth/two-factor";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { getUserById } from "@/lib/users/queries";

// Second-factor changes, for customers (/account/security) and agents (/staff/account/security):
// each acts on the signed-in person only and asks for their password again.

const PAGES = ["/account/security", "/staff/account/security"];
const refresh = () => PAGES.forEach((p) => revalidatePath(p));

export async function enableTotpAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(totpEnableInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const enabled = await enableTotp(db, viewer, input.value);
  if (!enabled.ok) return formFailure(enabled.error, form);
  deliverSoon(db);
  // The page is not refreshed here: the codes below are shown once, and a re-render would lose them.
  return {
    ok: true,
    message: "Two-step sign-in is on.",
    secret: enabled.value.recoveryCodes.join("\n"),
  };
}

export async function renewRecoveryCodesAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(passwordOnlyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const renewed = await renewRecoveryCodes(db, viewer, input.value.password);
  if (!renewed.ok) return formFailure(renewed.error, form);
  deliverSoon(db);
  return {
    ok: true,
    message: "New recovery codes are ready; the old ones no longer work.",
    secret: renewed.value.recoveryCodes.join("\n"),
  };
}

export async function disableTwoFactorAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(twoFactorOffInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const off = await disableTwoFactor(db, viewer, input.value);
  if (!off.ok) return formFailure(off.error, form);
  deliverSoon(db);
  refresh();
  return { ok: true, message: "Two-step sign-in is off." };
}

export async function endSessionAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(sessionIdInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const ended = await endSessions(await getDb(), viewer.id, {
    sessionId: input.value.sessionId,
  });
  if (!ended.ok) return formFailure(ended.error, form);
  refresh();
  return { ok: true, message: "That device is signed out." };
}

/** Every other device signs out: the session version moves on, and this browser gets a new session. */
export async function endOtherSessionsAction(
  _prev: FormState,
  _form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const db = await getDb();
  await endAllSessions(db, viewer.id);
  const user = await getUserById(db, viewer.id);
  if (!user) return { ok: false, message: "Your account was not found." };
  await startSession(sessionSubjectOf(user));
  refresh();
  return { ok: true, message: "Every other device is signed out." };
}
