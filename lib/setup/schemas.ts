import { z } from "zod";
import { emailAddress, newPassword, personName } from "@/lib/auth/schemas";

// The first administrator and the company, as the setup command and the /setup form give them.
// Client-safe.

// An empty field (or a flag left out) means "not given".
const optional = <T extends z.ZodType>(schema: T) =>
  z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      schema.optional(),
    )
    .transform((v) => v ?? null);

export const firstAdminInput = z.object({
  name: personName,
  email: emailAddress,
  companyName: optional(
    z.string().trim().max(120, "Use at most 120 characters."),
  ),
  supportAddress: optional(
    z
      .string()
      .trim()
      .max(254, "That email address is too long.")
      .pipe(z.email("Enter a valid email address, or leave it empty."))
      .transform((e) => e.toLowerCase()),
  ),
});
export type FirstAdminInput = z.infer<typeof firstAdminInput>;

/** The setup token is 32 hexadecimal characters; anything else is refused before a lookup. */
export const SETUP_TOKEN_PATTERN = /^[0-9a-f]{32}$/;

export const setupFormInput = firstAdminInput
  .extend({
    token: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, { message: "Enter the setup token.", abort: true })
      .regex(
        SETUP_TOKEN_PATTERN,
        "That is not a setup token: it has 32 letters and digits.",
      ),
    password: newPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The passwords do not match.",
  });
export type SetupFormInput = z.infer<typeof setupFormInput>;

/** `npm run cli -- admin create`. */
export const adminCreateInput = firstAdminInput.pick({
  name: true,
  email: true,
});
export type AdminCreateInput = z.infer<typeof adminCreateInput>;

/** `npm run cli -- admin reset-password`. */
export const adminEmailInput = z.object({ email: emailAddress });
