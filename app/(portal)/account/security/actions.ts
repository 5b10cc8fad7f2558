"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import type { Db } from "@/db/types";
import {
  passwordOnlyInput,
  phoneInput,
  sessionIdInput,
  smsCodeInput,
  totpEnableInput,
  twoFactorOffInput,
} from "@/lib/auth/schemas";
import { sessionSubjectOf } from "@/lib/auth/authenticate";
import { endSessions } from "@/lib/auth/sessions";
import { requireUser, startSession } from "@/lib/auth/session";
import { endAllSessions } from "@/lib/auth/sign-out";
import {
  disableTwoFactor,
  enableSmsTwoFactor,
  enableTotp,
  renewRecoveryCodes,
} from "@/lib/auth/two-factor";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import type { Result } from "@/lib/result";
import { smsFromEnv } from "@/lib/sms/config";
import { sendTextsSoon } from "@/lib/sms/send-soon";
import { getUserById } from "@/lib/users/queries";
import { confirmPhone, startPhoneVerification } from "@/lib/auth/sms-codes";

// Second-factor changes, for customers (/account/security) and agents (/staff/account/security):
// each acts on the signed-in person only and asks for their password again.

const PAGES = ["/account/security", "/staff/account/security"];
const refresh = () => PAGES.forEach((p) => revalidatePath(p));

/**
 * The answer of an action that made recovery codes: shown once, so the page is not refreshed (a
 * re-render would lose them); the person's notice mail goes out after the response.
 */
function codesOnce(
  db: Db,
  form: FormData,
  made: Result<{ recoveryCodes: string[] }>,
  message: string,
): FormState {
  if (!made.ok) return formFailure(made.error, form);
  deliverSoon(db);
  return { ok: true, message, secret: made.value.recoveryCodes.join("\n") };
}

export async function enableTotpAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(totpEnableInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  return codesOnce(
    db,
    form,
    await enableTotp(db, viewer, input.value),
    "Two-step sign-in is on.",
  );
}

export async function renewRecoveryCodesAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(passwordOnlyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  return codesOnce(
    db,
    form,
    await renewRecoveryCodes(db, viewer, input.value.password),
    "New recovery codes are ready; the old ones no longer work.",
  );
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

export async function startPhoneAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(phoneInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const sent = await startPhoneVerification(db, viewer, input.value.phone, {
    config: smsFromEnv(),
  });
  if (!sent.ok) return formFailure(sent.error, form);
  sendTextsSoon(db);
  refresh();
  return { ok: true, message: `We texted a code to ${sent.value.to}.` };
}

export async function confirmPhoneAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(smsCodeInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const confirmed = await confirmPhone(await getDb(), viewer, input.value.code);
  if (!confirmed.ok) return formFailure(confirmed.error, form);
  refresh();
  return { ok: true, message: "Your phone number is confirmed." };
}

export async function enableSmsFactorAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireUser(PAGES[0]);
  const input = parseForm(passwordOnlyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  return codesOnce(
    db,
    form,
    await enableSmsTwoFactor(db, viewer, input.value.password),
    "Two-step sign-in with texted codes is on.",
  );
}
