import "server-only";
import type { Db } from "@/db/types";
import { clientKey } from "@/lib/auth/client-address";
import {
  recordFailure,
  throttleWait,
  type ThrottleRule,
} from "@/lib/auth/throttle";
import { fail, ok, type Result } from "@/lib/result";
import type { IncomingFile } from "@/lib/tickets/attachments";
import { openTicket } from "@/lib/tickets/open-ticket";
import type { ContactInput } from "@/lib/tickets/schemas";
import { createContact } from "@/lib/users/contacts";
import { getUserByEmail } from "@/lib/users/queries";

// The way in for people without an account (or not signed in): the contact form opens a ticket for
// the address given, as a mail from it would. Its answer is the same whether or not the address has
// an account, and the ticket is not "web": like mail, it shows in an account only once the account
// has proven the address.

/** Messages per address, and per client, before the form asks them to wait. */
export const CONTACT_LIMITS = {
  address: {
    freeFailures: 5,
    windowMs: 3600_000,
    baseLockMs: 3600_000,
    maxLockMs: 3600_000,
  },
  client: {
    freeFailures: 10,
    windowMs: 3600_000,
    baseLockMs: 3600_000,
    maxLockMs: 3600_000,
  },
} satisfies Record<string, ThrottleRule>;

const TOO_MANY =
  "You have sent us several messages in the last hour. We have them all; please wait before sending more.";

export type ContactOutcome = { accepted: true };

export async function receiveContactMessage(
  db: Db,
  input: Omit<ContactInput, "attachments">,
  files: IncomingFile[],
  opts: { client?: string | null; now?: Date } = {},
): Promise<Result<ContactOutcome>> {
  const now = opts.now ?? new Date();
  // A robot filled in the hidden field: thank it and keep nothing.
  if (input.website) return ok({ accepted: true });
  const email = input.email.trim().toLowerCase();
  const keys = {
    address: `contact:${email}`,
    client: `contact-client:${clientKey(opts.client ?? null)}`,
  };
  // Each message counts, accepted or not; the one past the limit is the first refused.
  await recordFailure(db, keys.address, CONTACT_LIMITS.address, now);
  await recordFailure(db, keys.client, CONTACT_LIMITS.client, now);
  const wait = await throttleWait(db, [keys.address, keys.client], now);
  if (wait > 0) return fail("rate_limited", TOO_MANY, { retryAfter: wait });

  return db.transaction(async (tx) => {
    const customer =
      (await getUserByEmail(tx, email)) ??
      (await createContact(
        tx,
        { email, name: input.name },
        { kind: "system" },
        "contact",
        now,
      ));
    const opened = await openTicket(
      tx,
      {
        customer,
        actor: { kind: "system" },
        source: "other",
        subject: input.subject,
        text: input.message,
        files,
        ip: opts.client ?? null,
        systemNote: `Sent through the contact form by "${input.name}" <${input.email}>; the address is not verified.`,
      },
      now,
    );
    // The only refusal left is a desk with no department yet: the visitor can do nothing about it.
    if (!opened.ok)
      return fail(
        "unavailable",
        "Support cannot take messages through this form yet. Please write to us by mail.",
      );
    return ok({ accepted: true });
  });
}
