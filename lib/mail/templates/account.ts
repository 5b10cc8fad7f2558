import "server-only";
import {
  escapeHtml,
  mailHtml,
  type RenderedMail,
} from "@/lib/mail/templates/layout";

// Mail about the account itself: proving an address, moving to a new one, second-factor changes.
// Each tells the reader what happened and what to do if it was not them.

function plain(
  subject: string,
  lines: string[],
  action?: { label: string; url: string },
): RenderedMail {
  const text = [...lines, ...(action ? ["", action.url] : [])].join("\n");
  const html = mailHtml(subject, lines.filter(Boolean).map(escapeHtml), action);
  return { subject, text, html };
}

export function verifyEmailMail(p: {
  name: string;
  url: string;
  expiresInHours: number;
}): RenderedMail {
  return plain(
    "Confirm your email address for Portico",
    [
      `Hello ${p.name},`,
      "",
      "Please confirm that this is your address. Once you do, tickets you send us by mail show up in your account, and we can send you order and account mail.",
      `The link works once, within ${p.expiresInHours} hours. If you did not create a Portico account, ignore this mail.`,
    ],
    { label: "Confirm my address", url: p.url },
  );
}

export function emailChangeLinkMail(p: {
  name: string;
  url: string;
  expiresInHours: number;
}): RenderedMail {
  return plain(
    "Confirm your new Portico sign-in address",
    [
      `Hello ${p.name},`,
      "",
      "You asked to sign in to Portico with this address from now on. Nothing changes until you confirm it.",
      `The link works once, within ${p.expiresInHours} hours. If you did not ask for this, ignore this mail.`,
    ],
    { label: "Use this address", url: p.url },
  );
}

/** Sent instead of a change link when the new address already belongs to another account. */
export function emailChangeTakenMail(p: { appUrl: string }): RenderedMail {
  return plain("Someone tried to use this address on Portico", [
    "Hello,",
    "",
    "Someone asked to move their Portico account to this address, but an account already uses it, so nothing was changed.",
    `If that was you, sign in with this address instead, or reset its password: ${p.appUrl}/reset-password`,
  ]);
}

export function emailChangeRequestedMail(p: {
  name: string;
  newEmail: string;
}): RenderedMail {
  return plain("A change of your Portico sign-in address was requested", [
    `Hello ${p.name},`,
    "",
    `Someone signed in to your account asked to sign in with ${p.newEmail} from now on. We sent a confirmation link there; until it is opened, nothing changes.`,
    "If this was not you, change your password now: that ends every session and cancels the request.",
  ]);
}

export function emailChangedMail(p: {
  name: string;
  newEmail: string;
}): RenderedMail {
  return plain("Your Portico sign-in address changed", [
    `Hello ${p.name},`,
    "",
    `Your account now signs in with ${p.newEmail}. Mail about your tickets and orders goes there.`,
    "If you did not do this, reply to this mail or contact support at once.",
  ]);
}

/** Sign-up with an address that already has an account: the form says the same as for a new one. */
export function alreadyRegisteredMail(p: {
  name: string;
  appUrl: string;
}): RenderedMail {
  return plain(
    "You already have a Portico account",
    [
      `Hello ${p.name},`,
      "",
      "Someone (hopefully you) tried to create a Portico account with this address, but it already has one.",
      "Sign in with it, or choose a new password if you have forgotten it. If it was not you, ignore this mail: nothing was changed.",
    ],
    { label: "Choose a new password", url: `${p.appUrl}/reset-password` },
  );
}

export function securityChangeMail(p: {
  name: string;
  what: string;
}): RenderedMail {
  return plain(`Portico security: ${p.what}`, [
    `Hello ${p.name},`,
    "",
    `${p.what}.`,
    "If this was not you, change your password now and contact support.",
  ]);
}
