import "server-only";
import { users, setupTokens, type User } from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { issuePasswordLink } from "@/lib/auth/password-reset";
import { fail, ok, type Result } from "@/lib/result";
import { ADMIN_LINK_TTL_MINUTES } from "@/lib/setup/first-run";
import type { AdminCreateInput } from "@/lib/setup/schemas";
import { getUserByEmail } from "@/lib/users/queries";

// The operator's way back in when no admin can sign in (`npm run cli -- admin …`): whoever can run
// commands on the server is trusted already. Each returns a set-password link for the terminal,
// never logged or mailed.

export type AdminLink = {
  admin: Pick<User, "id" | "name" | "email">;
  link: string;
};

const EMAIL_TAKEN =
  "An account with this address already exists; use admin reset-password for an administrator, or another address.";
const NO_ADMIN = "No administrator has this address.";
const DEACTIVATED =
  "This administrator is deactivated; create another with admin create.";

/** A new admin without a password, and a single-use link to choose one. */
export async function createAdmin(
  db: Db,
  input: AdminCreateInput,
  opts: { appUrl: string; now?: Date },
): Promise<Result<AdminLink>> {
  const now = opts.now ?? new Date();
  try {
    return await db.transaction(async (tx) => {
      if (await getUserByEmail(tx, input.email))
        return fail("conflict", EMAIL_TAKEN);
      const [admin] = await tx
        .insert(users)
        .values({
          email: input.email,
          name: input.name,
          role: "admin",
          passwordHash: null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!admin) throw new Error("admin insert returned nothing");
      // An admin exists now, so /setup closes as it does after setup itself.
      await tx.delete(setupTokens);
      await recordAudit(tx, {
        actor: { kind: "system" },
        action: "user.created",
        entityType: "user",
        entityId: admin.id,
        data: { email: admin.email, role: admin.role, via: "cli" },
        at: now,
      });
      return ok(await linkFor(tx, admin, opts.appUrl, now));
    });
  } catch (error) {
    // The same address signed up a moment ago: the unique index decides.
    if (isUniqueViolation(error)) return fail("conflict", EMAIL_TAKEN);
    throw error;
  }
}

/**
 * A single-use link that sets a new password for an active admin, who is signed in by following
 * it. Their current password and sessions stay valid until the link is used.
 */
export async function issueAdminPasswordLink(
  db: Db,
  email: string,
  opts: { appUrl: string; now?: Date },
): Promise<Result<AdminLink>> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const admin = await getUserByEmail(tx, email);
    if (!admin || admin.role !== "admin") return fail("not_found", NO_ADMIN);
    if (admin.deactivatedAt) return fail("conflict", DEACTIVATED);
    await recordAudit(tx, {
      actor: { kind: "system" },
      action: "user.password_link_issued",
      entityType: "user",
      entityId: admin.id,
      data: { via: "cli" },
      at: now,
    });
    return ok(await linkFor(tx, admin, opts.appUrl, now));
  });
}

async function linkFor(
  tx: Db,
  admin: User,
  appUrl: string,
  now: Date,
): Promise<AdminLink> {
  const link = await issuePasswordLink(tx, admin.id, {
    appUrl,
    ttlMinutes: ADMIN_LINK_TTL_MINUTES,
    now,
  });
  return {
    admin: { id: admin.id, name: admin.name, email: admin.email },
    link,
  };
}
