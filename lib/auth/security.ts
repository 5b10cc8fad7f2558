import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { recoveryCodes, users, type TwoFactorMethod } from "@/db/schema";
import type { Db } from "@/db/types";

export type SecurityOverview = {
  twoFactor: TwoFactorMethod | null;
  recoveryCodesLeft: number;
  phone: string | null;
  phoneVerified: boolean;
};

/** What the security page shows about the person's own sign-in. */
export async function securityOverview(
  db: Db,
  userId: string,
): Promise<SecurityOverview> {
  const [row] = await db
    .select({
      twoFactor: users.twoFactor,
      phone: users.phone,
      phoneVerifiedAt: users.phoneVerifiedAt,
      left: sql<number>`(select count(*)::int from ${recoveryCodes} where ${and(
        eq(recoveryCodes.userId, users.id),
        isNull(recoveryCodes.usedAt),
      )})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return {
    twoFactor: row?.twoFactor ?? null,
    recoveryCodesLeft: row?.left ?? 0,
    phone: row?.phone ?? null,
    phoneVerified: Boolean(row?.phoneVerifiedAt),
  };
}
