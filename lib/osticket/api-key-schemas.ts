import { z } from "zod";

// The admin form and the CLI both create keys through this. Client-safe.

// An unchecked checkbox is simply absent from the form, so absence means false.
const checkbox = z.preprocess(
  (v) => v === "on" || v === "true" || v === true,
  z.boolean(),
);

export const apiKeyCreateInput = z.object({
  // osTicket binds a key to exactly one address, no ranges or wildcards (docs/api.md §2).
  ipAddress: z
    .string()
    .trim()
    .pipe(
      z.union([z.ipv4(), z.ipv6()], {
        error: "Enter one IPv4 or IPv6 address, such as 203.0.113.7.",
      }),
    ),
  notes: z
    .string()
    .trim()
    .max(500, "Keep notes under 500 characters.")
    .default(""),
  isActive: checkbox,
  canCreateTickets: checkbox,
});
export type ApiKeyCreateInput = z.infer<typeof apiKeyCreateInput>;
