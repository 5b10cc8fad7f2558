// What a spent link or an abandoned sign-in step comes back to say, as `?notice=` on the page it
// lands on (the account page when signed in, else the sign-in page).

export const NOTICES = {
  "step-expired": {
    tone: "error",
    text: "That sign-in took too long or had too many wrong codes. Please sign in again.",
  },
  "email-verified": {
    tone: "success",
    text: "Your email address is confirmed.",
  },
  "email-changed": {
    tone: "success",
    text: "Your email address is changed. Sign in with the new one from now on.",
  },
  "email-taken": {
    tone: "error",
    text: "Another account uses that address now, so your address was not changed.",
  },
  "link-invalid": {
    tone: "error",
    text: "That link is invalid, was already used, or has expired.",
  },
} as const;

export type Notice = (typeof NOTICES)[keyof typeof NOTICES];

export function noticeFor(raw: string | string[] | undefined): Notice | null {
  return typeof raw === "string" && raw in NOTICES
    ? NOTICES[raw as keyof typeof NOTICES]
    : null;
}
