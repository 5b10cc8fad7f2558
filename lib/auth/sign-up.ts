import "server-only";
import { users } from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { SessionSubject } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import type { SignUpInput } from "@/lib/auth/schemas";
import { fail, ok, type Result } from "@/lib/result";

// People who only wrote in by mail already have a row without a password. They are told the email is
// taken too: the reset link proves they own the address, where signing up would not.
const TAKEN =
  "An account with this email already exists. Sign in, or reset your password to get in.";

/** Creates a customer account. The unique index on lower(email) decides a race between two sign-ups. */
export async function signUp(
  db: Db,
  input: SignUpInput,
  now = new Date(),
): Promise<Result<SessionSubject>> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          email: input.email,
          name: input.name,
          passwordHash,
          role: "customer",
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("sign-up wrote no row");
      await recordAudit(tx, {
        actor: { kind: "user", id: row.id },
        action: "user.signed_up",
        entityType: "user",
        entityId: row.id,
        at: now,
      });
      return row;
    });
    return ok({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      sessionVersion: user.sessionVersion,
    });
  } catch (error) {
    if (isUniqueViolation(error))
      return fail("conflict", TAKEN, { fields: { email: [TAKEN] } });
    throw error;
  }
}
