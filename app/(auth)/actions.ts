"use server";

import { redirect } from "next/navigation";
import { after } from "next/server";
import { getDb } from "@/db/client";
import { authenticate, type SessionSubject } from "@/lib/auth/authenticate";
import { spendEmailLink } from "@/lib/auth/email-verification";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import {
  passwordResetInput,
  passwordResetRequestInput,
  resetToken,
  safeCallbackPath,
  secondStepInput,
  signInInput,
  signUpInput,
} from "@/lib/auth/schemas";
import {
  dropChallenge,
  endSession,
  getViewer,
  heldChallenge,
  holdChallenge,
  requestClientAddress,
  startSession,
} from "@/lib/auth/session";
import { signUp } from "@/lib/auth/sign-up";
import {
  beginSecondStep,
  challengeOwner,
  completeChallenge,
  textSignInCode,
} from "@/lib/auth/two-factor";
import { smsFromEnv } from "@/lib/sms/config";
import { sendTextsSoon } from "@/lib/sms/send-soon";
import { isStaff } from "@/lib/auth/viewer";
import { mergeVisitorCart } from "@/lib/cart/cart";
import { forgetVisitorCart, visitorCartId } from "@/lib/cart/visitor";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { fail } from "@/lib/result";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import {
  provisionWithinBudget,
  SIGNUP_BUDGET_MS,
} from "@/lib/mailcow/provision";

// Account entry points. Each is public by nature (they are how people get a session); the domain
// functions they call carry the rules: throttling, uniqueness, single-use tokens.

export async function signUpAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(signUpInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const { mailcow } = env();
  const now = new Date();
  // One budget for every wait on Mailcow, so signup stays quick when Mailcow hangs (issue 6).
  const deadline = now.getTime() + SIGNUP_BUDGET_MS;
  const created = await signUp(db, input.value, {
    mailcow,
    now,
    deadline,
    client: await requestClientAddress(),
  });
  if (!created.ok) return formFailure(created.error, form);
  deliverSoon(db);
  const { subject, mailbox } = created.value;
  const next = safeCallbackPath(input.value.callbackUrl, "/tickets?welcome=1");
  // A taken address gets the same page as a new account (its owner was mailed instead).
  if (!subject) redirect(`/sign-up/sent?next=${encodeURIComponent(next)}`);
  // The mailbox gets the password just typed.
  if (mailcow && mailbox)
    await provisionWithinBudget(db, mailcow, mailbox, {
      password: input.value.password,
      now,
      keepAlive: after,
      deadline,
    });
  await startSession(subject);
  await adoptVisitorCart(db, subject.id);
  redirect(`/sign-up/sent?next=${encodeURIComponent(next)}`);
}

export async function signInAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(signInInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const result = await authenticate(db, {
    ...input.value,
    client: await requestClientAddress(),
  });
  if (!result.ok) return formFailure(result.error, form);
  const next = safeCallbackPath(
    input.value.callbackUrl,
    isStaff(result.value) ? "/staff" : "/tickets",
  );
  if (result.value.twoFactor) {
    await holdChallenge(
      await beginSecondStep(
        db,
        { id: result.value.id, twoFactor: result.value.twoFactor },
        { sms: smsFromEnv() },
      ),
    );
    if (result.value.twoFactor === "sms") sendTextsSoon(db);
    redirect(`/sign-in/second-step?callbackUrl=${encodeURIComponent(next)}`);
  }
  return finishSignIn(db, result.value, next);
}

async function finishSignIn(
  db: Awaited<ReturnType<typeof getDb>>,
  subject: SessionSubject,
  next: string,
): Promise<never> {
  await startSession(subject);
  if (!isStaff(subject)) await adoptVisitorCart(db, subject.id);
  redirect(next);
}

/** The second step: a code from the authenticator app (or texted), or a recovery code. */
export async function secondStepAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(secondStepInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const challenge = await heldChallenge();
  if (!challenge) redirect("/sign-in?notice=step-expired");
  const db = await getDb();
  const done = await completeChallenge(db, challenge, input.value.code, {
    client: await requestClientAddress(),
  });
  if (!done.ok) {
    if (done.error.code === "unauthenticated" && !done.error.fields) {
      await dropChallenge();
      redirect("/sign-in?notice=step-expired");
    }
    return formFailure(done.error, form);
  }
  await dropChallenge();
  deliverSoon(db);
  return finishSignIn(
    db,
    done.value,
    safeCallbackPath(
      input.value.callbackUrl,
      isStaff(done.value) ? "/staff" : "/tickets",
    ),
  );
}

// What a visitor put in the cart before signing in joins the account's cart.
async function adoptVisitorCart(
  db: Awaited<ReturnType<typeof getDb>>,
  userId: string,
): Promise<void> {
  const cartId = await visitorCartId();
  if (!cartId) return;
  await mergeVisitorCart(db, cartId, userId);
  await forgetVisitorCart();
}

export async function signOutAction(): Promise<void> {
  await endSession();
  // The sign-in page says that every device is signed out, which is what ending the session did.
  redirect("/sign-in?signed-out=1");
}

export async function requestPasswordResetAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(passwordResetRequestInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const { sent } = await requestPasswordReset(db, input.value.email, {
    appUrl: env().appUrl,
  });
  if (sent) deliverSoon(db);
  return {
    ok: true,
    message:
      "If an account exists for that address, a link to reset the password is on its way. It works for one hour.",
  };
}

export async function resetPasswordAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(passwordResetInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const result = await resetPassword(await getDb(), input.value);
  if (!result.ok) return formFailure(result.error, form);
  await startSession(result.value);
  redirect(isStaff(result.value) ? "/staff" : "/tickets?password-reset=1");
}

/** Spends an address link (confirming the address, or moving the account to a new one). */
export async function spendEmailLinkAction(form: FormData): Promise<void> {
  const token = resetToken.safeParse(form.get("token"));
  const db = await getDb();
  const used = token.success
    ? await spendEmailLink(db, token.data)
    : fail("not_found", "This link is invalid.");
  if (used.ok) deliverSoon(db);
  const notice = !used.ok
    ? used.error.code === "conflict"
      ? "email-taken"
      : "link-invalid"
    : used.value.kind === "changed"
      ? "email-changed"
      : "email-verified";
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?notice=${notice}`);
  redirect(isStaff(viewer) ? "/staff/account" : `/account?notice=${notice}`);
}

/** "Text me a new code" on the second step of a sign-in that uses codes by text. */
export async function resendSignInCodeAction(
  _prev: FormState,
  _form: FormData,
): Promise<FormState> {
  const challenge = await heldChallenge();
  const db = await getDb();
  const owner = challenge ? await challengeOwner(db, challenge) : null;
  if (!owner) redirect("/sign-in?notice=step-expired");
  const sent = await textSignInCode(db, owner, { sms: smsFromEnv() });
  if (!sent.ok) return formFailure(sent.error);
  sendTextsSoon(db);
  return { ok: true, message: `We texted a new code to ${sent.value.to}.` };
}
