import { z } from "zod";

// The ban list's form, shared by the settings page and its server actions. Client-safe.

export const bannedEmailInput = z.object({
  // A bare address, as osTicket bans it: no display name, no wildcard. The case is kept as typed;
  // matching and the unique index both ignore it.
  email: z
    .string({ error: "Enter the email address to ban." })
    .trim()
    .min(1, { message: "Enter the email address to ban.", abort: true })
    .max(254, { message: "That email address is too long.", abort: true })
    .pipe(z.email("Enter a bare email address, such as name@example.com.")),
  notes: z
    .string()
    .trim()
    .max(500, "Keep notes under 500 characters.")
    .default(""),
});
export type BannedEmailInput = z.infer<typeof bannedEmailInput>;
