import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { installation, users, type TwoFactorMethod } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";

// The desk's own sign-in rule: administrators may require every agent and admin to use two-step
// sign-in. Someone without it is taken to set it up before anything else (session.ts).

export const STAFF_SECURITY_PAGE = "/staff/account/security";

export async function staffTwoFactorRequired(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ on: installation.staffTwoFactorRequired })
    .from(installation);
  return row?.on ?? false;
}

/**
 * Turns the rule on or off. Turning it on asks that the admin use two-step sign-in already, or they
 * would be the first one sent away from the desk, this page included.
 */
export async function setStaffTwoFactorRequired(
  db: Db,
  admin: Pick<Viewer, "id">,
  on: boolean,
  now = new Date(),
): Promise<Result<void>> {
  if (on && !(await twoFactorOf(db, admin.id)))
    return fail(
      "invalid_input",
      "Set up two-step sign-in for yourself first (My account, Security and sign-in); then require it for everyone.",
    );
  await db.transaction(async (tx) => {
    // An install set up before the installation row existed gets one here.
    await tx
      .insert(installation)
      .values({ id: true, setUpAt: now, staffTwoFactorRequired: on })
      .onConflictDoUpdate({
        target: installation.id,
        set: { staffTwoFactorRequired: on },
      });
    await recordAudit(tx, {
      actor: { kind: "user", id: admin.id },
      action: on
        ? "settings.staff_two_factor_required"
        : "settings.staff_two_factor_optional",
      entityType: "installation",
      entityId: "1",
      at: now,
    });
  });
  return ok(undefined);
}

export type StaffSecurityRow = {
  id: string;
  name: string;
  email: string;
  role: "agent" | "admin";
  twoFactor: TwoFactorMethod | null;
  deactivated: boolean;
};

export async function listStaffSecurity(db: Db): Promise<StaffSecurityRow[]> {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      twoFactor: users.twoFactor,
      deactivated: sql<boolean>`${users.deactivatedAt} is not null`,
    })
    .from(users)
    .where(inArray(users.role, ["agent", "admin"]))
    .orderBy(asc(users.name));
  return rows.map((r) => ({
    ...r,
    role: r.role === "admin" ? "admin" : "agent",
  }));
}

export async function twoFactorOf(
  db: Db,
  userId: string,
): Promise<TwoFactorMethod | null> {
  const [row] = await db
    .select({ twoFactor: users.twoFactor })
    .from(users)
    .where(eq(users.id, userId));
  return row?.twoFactor ?? null;
}
