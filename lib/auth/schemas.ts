import { z } from "zod";
import { mailboxName } from "@/lib/mailcow/schemas";

// Shared by the account forms and the server actions behind them. Client-safe.

// The most common passwords that still pass a length rule; refusing them stops the easiest guesses.
const COMMON = new Set([
  "1234567890",
  "12345678910",
  "0987654321",
  "1111111111",
  "0000000000",
  "1234512345",
  "1q2w3e4r5t",
  "qwertyuiop",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou12",
  "letmein123",
  "welcome123",
  "changeme123",
  "administrator",
  "qwerty1234",
  "qwerty12345",
  "abc1234567",
  "football123",
  "baseball123",
  "monkey1234",
  "dragon1234",
  "sunshine12",
  "princess12",
  "superman12",
  "trustno1234",
  "whatever12",
  "starwars12",
  "1qaz2wsx3edc",
  "zaq12wsxcde",
  "aaaaaaaaaa",
  "abcdefghij",
  "abcdefghijk",
  "portico123",
  "portico1234",
  "helpdesk123",
  "support123",
]);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const newPassword = z
  .string()
  // abort: one clear message at a time; "too short" makes the other rules moot.
  .min(PASSWORD_MIN, {
    message: `Use at least ${PASSWORD_MIN} characters.`,
    abort: true,
  })
  .max(PASSWORD_MAX, {
    message: `Use at most ${PASSWORD_MAX} characters.`,
    abort: true,
  })
  .refine((p) => !COMMON.has(p.toLowerCase()), {
    message: "This password is too common; choose another.",
    abort: true,
  })
  .refine((p) => new Set(p).size >= 5, "Use a less repetitive password.");

export const emailAddress = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."))
  .transform((e) => e.toLowerCase());

export const personName = z
  .string()
  .trim()
  .min(1, "Enter your name.")
  .max(120, "Use at most 120 characters.");

export const signUpInput = z
  .object({
    name: personName,
    email: emailAddress,
    password: newPassword,
    // Sent only when mailboxes are switched on; sign-up then requires it.
    mailboxName: mailboxName.optional(),
    // Where to go once the account exists (checkout sends people back to their cart).
    callbackUrl: z.string().optional(),
  })
  .refine((v) => !containsEmailName(v.password, v.email), {
    path: ["password"],
    message: "Your password must not contain your email address.",
  });
export type SignUpInput = z.infer<typeof signUpInput>;

// Very short local parts ("jo@…") would refuse too many good passwords.
function containsEmailName(password: string, email: string): boolean {
  const local = email.split("@")[0] ?? "";
  return local.length >= 3 && password.toLowerCase().includes(local);
}

export const signInInput = z.object({
  email: emailAddress,
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX),
  callbackUrl: z.string().optional(),
});
export type SignInInput = z.infer<typeof signInInput>;

export const passwordResetRequestInput = z.object({ email: emailAddress });

/** A reset link's token, from the URL or the form that carries it on. */
export const resetToken = z.string().min(20).max(200);

export const passwordResetInput = z
  .object({
    token: resetToken,
    password: newPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The passwords do not match.",
  });
export type PasswordResetInput = z.infer<typeof passwordResetInput>;

// Where a "callbackUrl" may lead. Browsers drop tab, CR and LF from URLs (so `/\t/evil.example` becomes
// `//evil.example`, another site) and read `\` as `/`; a CR or LF in a Location header is a 500.
const CALLBACK_BASE = "http://portal.invalid";
const CALLBACK_MAX = 2048;
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * The path to go to after sign-in, or null when `raw` is not a plain path on this site. Checked as
 * written and once decoded (a later decode must not turn it into another site's address), then
 * normalised by the URL parser; what is returned is what was checked.
 */
export function callbackPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > CALLBACK_MAX || !raw.startsWith("/")) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null; // a malformed escape: no link of ours looks like that
  }
  for (const form of [raw, decoded])
    if (UNSAFE_IN_PATH.test(form) || form.startsWith("//")) return null;
  let url: URL;
  try {
    url = new URL(raw, CALLBACK_BASE);
  } catch {
    return null;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/..//host` normalises to `//host`, which a browser would read as another site.
  if (url.origin !== CALLBACK_BASE || path.startsWith("//")) return null;
  return path;
}

/** Only same-site paths are followed after sign-in, so a link can't send people elsewhere. */
export function safeCallbackPath(
  raw: string | null | undefined,
  fallback = "/",
): string {
  return callbackPath(raw) ?? fallback;
}

// The account page's forms.
export const profileInput = z.object({ name: personName });

export const emailChangeInput = z.object({
  newEmail: emailAddress,
  password: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX),
});

export const passwordChangeInput = z
  .object({
    current: z
      .string()
      .min(1, "Enter your current password.")
      .max(PASSWORD_MAX),
    password: newPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The passwords do not match.",
  })
  .refine((v) => v.password !== v.current, {
    path: ["password"],
    message: "Choose a password other than your current one.",
  });

// Unticked boxes are not posted at all.
const ticked = z.preprocess((v) => v === "on" || v === "true", z.boolean());
export const notificationInput = z.object({
  orderMail: ticked,
  marketingMail: ticked,
});
export type NotificationInput = z.infer<typeof notificationInput>;

export const secondStepInput = z.object({
  code: z
    .string("Enter the code.")
    .trim()
    .min(1, "Enter the code.")
    .max(40, "That is not a code we sent or showed you."),
  callbackUrl: z.string().optional(),
});

export const totpEnableInput = z.object({
  secret: z.string().regex(/^[A-Z2-7]{32}$/, "Start the set-up again."),
  code: z
    .string("Enter the code your app shows.")
    .trim()
    .min(1, "Enter the code your app shows."),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX),
});

export const twoFactorOffInput = z.object({
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX),
  code: z
    .string()
    .trim()
    .min(1, "Enter a code from your app or a recovery code."),
});

export const passwordOnlyInput = z.object({
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX),
});

export const sessionIdInput = z.object({
  sessionId: z.uuid("Choose a session from the list."),
});

export const phoneInput = z.object({
  phone: z
    .string("Enter your mobile number.")
    .trim()
    .min(1, "Enter your mobile number.")
    .max(40, "That is too long for a phone number."),
});

export const smsCodeInput = z.object({
  code: z
    .string("Enter the code from the text.")
    .trim()
    .regex(/^\d{6}$/, "Enter the six digits from the text."),
});
