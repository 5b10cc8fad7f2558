import "server-only";
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { smsCodes, users, type SmsCodePurpose, type User } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { enqueueSms } from "@/lib/sms/outbox";
import { maskPhone, parsePhone } from "@/lib/sms/phone";
import type { SmsConfig } from "@/lib/sms/types";

// Six-digit codes sent by text: to prove a phone number is the person's, and as a second factor for
// customers who prefer it to an app (never for staff: a SIM can be taken over, an app cannot). A
// code lives ten minutes, works once, takes five wrong tries, and only its hash is stored.

export const SMS_CODE_MINUTES = 10;
/** Codes one number may be sent in an hour, whoever asks. */
export const SMS_CODES_PER_HOUR = 5;
const CODE_ATTEMPTS = 5;

const hashCode = (userId: string, code: string) =>
  createHash("sha256").update(`${userId}:${code}`).digest("hex");

const TOO_MANY = `We have sent this number ${SMS_CODES_PER_HOUR} codes in the last hour. Please wait before asking for another.`;
const WRONG = "That code is not right, or it has expired. Ask for a new one.";

/** Issues a code for `phone` and queues the text; refused past the hourly limit for the number. */
export async function sendSmsCode(
  db: Db,
  user: Pick<User, "id">,
  phone: string,
  purpose: SmsCodePurpose,
  opts: { config: SmsConfig | null; now?: Date },
): Promise<Result<{ to: string }>> {
  const now = opts.now ?? new Date();
  const [sent] = await db
    .select({ n: count() })
    .from(smsCodes)
    .where(
      and(
        eq(smsCodes.phone, phone),
        gt(smsCodes.createdAt, new Date(now.getTime() - 3600_000)),
      ),
    );
  if ((sent?.n ?? 0) >= SMS_CODES_PER_HOUR)
    return fail("rate_limited", TOO_MANY, {
      retryAfter: 3600,
      fields: { phone: [TOO_MANY] },
    });
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await db.transaction(async (tx) => {
    // A new code replaces any earlier one of the same kind.
    await tx
      .update(smsCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(smsCodes.userId, user.id),
          eq(smsCodes.purpose, purpose),
          isNull(smsCodes.usedAt),
        ),
      );
    await tx.insert(smsCodes).values({
      userId: user.id,
      phone,
      purpose,
      codeHash: hashCode(user.id, code),
      expiresAt: new Date(now.getTime() + SMS_CODE_MINUTES * 60_000),
      createdAt: now,
    });
    await enqueueSms(
      tx,
      {
        to: phone,
        body: `${code} is your Portico ${purpose === "sign_in" ? "sign-in" : "verification"} code. It expires in ${SMS_CODE_MINUTES} minutes. Never share it.`,
      },
      opts.config,
      now,
    );
  });
  return ok({ to: maskPhone(phone) });
}

/** Spends the newest open code of `purpose` if `code` matches it; a wrong try counts against it. */
export async function spendSmsCode(
  db: Db,
  userId: string,
  purpose: SmsCodePurpose,
  code: string,
  now: Date,
): Promise<{ phone: string } | null> {
  const [open] = await db
    .select()
    .from(smsCodes)
    .where(
      and(
        eq(smsCodes.userId, userId),
        eq(smsCodes.purpose, purpose),
        isNull(smsCodes.usedAt),
        gt(smsCodes.expiresAt, now),
        lt(smsCodes.attempts, CODE_ATTEMPTS),
      ),
    )
    .orderBy(desc(smsCodes.createdAt))
    .limit(1);
  if (!open) return null;
  const given = Buffer.from(hashCode(userId, code.replace(/\s+/g, "")));
  if (!timingSafeEqual(given, Buffer.from(open.codeHash))) {
    await db
      .update(smsCodes)
      .set({ attempts: sql`${smsCodes.attempts} + 1` })
      .where(eq(smsCodes.id, open.id));
    return null;
  }
  const [spent] = await db
    .update(smsCodes)
    .set({ usedAt: now })
    .where(and(eq(smsCodes.id, open.id), isNull(smsCodes.usedAt)))
    .returning({ phone: smsCodes.phone });
  return spent ?? null;
}

/** Step one of adding a phone number: it is stored unconfirmed and a code is texted to it. */
export async function startPhoneVerification(
  db: Db,
  viewer: Pick<Viewer, "id">,
  raw: string,
  opts: { config: SmsConfig | null; now?: Date },
): Promise<Result<{ to: string }>> {
  const parsed = parsePhone(raw);
  if (!parsed.ok) return parsed;
  const now = opts.now ?? new Date();
  const [current] = await db
    .select({ phone: users.phone, twoFactor: users.twoFactor })
    .from(users)
    .where(eq(users.id, viewer.id));
  // Texted codes go to the confirmed number until the new one is confirmed too.
  if (current?.twoFactor === "sms" && current.phone !== parsed.value.e164)
    return fail(
      "invalid_input",
      "Turn off sign-in codes by text before changing the number they go to.",
      { fields: { phone: ["Turn off sign-in codes by text first."] } },
    );
  if (current?.phone !== parsed.value.e164)
    await db
      .update(users)
      .set({ phone: parsed.value.e164, phoneVerifiedAt: null, updatedAt: now })
      .where(eq(users.id, viewer.id));
  return sendSmsCode(db, viewer, parsed.value.e164, "verify_phone", {
    ...opts,
    now,
  });
}

/** Step two: the code from the text confirms the number. */
export async function confirmPhone(
  db: Db,
  viewer: Pick<Viewer, "id">,
  code: string,
  now = new Date(),
): Promise<Result<{ phone: string }>> {
  const spent = await spendSmsCode(db, viewer.id, "verify_phone", code, now);
  if (!spent)
    return fail("invalid_input", WRONG, { fields: { code: [WRONG] } });
  await db
    .update(users)
    .set({ phoneVerifiedAt: now, updatedAt: now })
    .where(and(eq(users.id, viewer.id), eq(users.phone, spent.phone)));
  await recordAudit(db, {
    actor: { kind: "user", id: viewer.id },
    action: "user.phone_verified",
    entityType: "user",
    entityId: viewer.id,
    data: { phone: maskPhone(spent.phone) },
    at: now,
  });
  return ok({ phone: spent.phone });
}

/** Whether `viewer` may use texted codes as their second factor, and why not. */
export function smsFactorRefusal(
  viewer: Pick<Viewer, "role">,
  user: Pick<User, "phone" | "phoneVerifiedAt">,
): string | null {
  if (isStaff(viewer))
    return "Staff sign in with an authenticator app; codes by text are for customers.";
  if (!user.phone || !user.phoneVerifiedAt)
    return "Confirm a phone number first.";
  return null;
}
