import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import {
  peekEmailLink,
  pendingEmailChange,
  requestEmailChange,
  sendVerificationLink,
  spendEmailLink,
} from "@/lib/auth/email-verification";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { signUpInput } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import type { Viewer } from "@/lib/auth/viewer";
import { openSecrets } from "@/lib/mail/sealed";
import { listTicketsForCustomer } from "@/lib/tickets/customer-queries";
import { getUserById } from "@/lib/users/queries";
import { buildTicket, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

let t: TestDb;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = setTestEnv({
    NEXTAUTH_SECRET: "test-secret-for-verification-0123456789",
  });
  t = await createTestDb();
});
afterAll(async () => {
  restoreEnv();
  await t.close();
});

const APP = { appUrl: "http://portal.test" };
const PASSWORD = "a long enough passphrase";

async function mailTo(address: string, kind: string) {
  return t.db
    .select()
    .from(s.outboundMail)
    .where(
      and(eq(s.outboundMail.toAddress, address), eq(s.outboundMail.kind, kind)),
    );
}

/** The token of the newest link of `kind` mailed to `address`, opened as delivery would. */
async function linkIn(address: string, kind: string): Promise<string> {
  const mails = await mailTo(address, kind);
  const text = openSecrets(mails.at(-1)!.bodyText)!;
  return /\/verify-email\/([\w-]+)/.exec(text)![1]!;
}

async function viewerOf(id: string): Promise<Viewer> {
  const u = (await getUserById(t.db, id))!;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    emailVerified: u.emailVerifiedAt !== null,
  };
}

const numbers = async (viewer: Viewer) =>
  (await listTicketsForCustomer(t.db, viewer)).rows.map((r) => r.number).sort();

describe("email verification", () => {
  it("keeps mailed-in and API tickets out of an account until it proves the address", async () => {
    const signed = await signUp(
      t.db,
      signUpInput.parse({
        name: "Not the CFO",
        email: "cfo@victimcorp.example",
        password: PASSWORD,
      }),
      APP,
    );
    const subject = signed.ok ? signed.value.subject : null;
    expect(subject).not.toBeNull();
    const user = (await getUserById(t.db, subject!.id))!;
    expect(user.emailVerifiedAt).toBeNull();

    const own = await buildTicket(t.db, { customer: user, source: "web" });
    const mailed = await buildTicket(t.db, { customer: user, source: "email" });
    const filed = await buildTicket(t.db, { customer: user, source: "api" });
    const byAgent = await buildTicket(t.db, {
      customer: user,
      source: "staff",
    });

    expect(await numbers(await viewerOf(user.id))).toEqual([own.number]);

    const token = await linkIn("cfo@victimcorp.example", "verify_email");
    expect(await peekEmailLink(t.db, token)).toMatchObject({
      purpose: "verify",
      email: "cfo@victimcorp.example",
    });
    expect(await spendEmailLink(t.db, token)).toEqual({
      ok: true,
      value: { kind: "verified", email: "cfo@victimcorp.example" },
    });
    expect(await numbers(await viewerOf(user.id))).toEqual(
      [own, mailed, filed, byAgent].map((x) => x.number).sort(),
    );
    // Once only.
    expect(await peekEmailLink(t.db, token)).toBeNull();
    expect((await spendEmailLink(t.db, token)).ok).toBe(false);
  });

  it("sends the link again at most once a minute", async () => {
    const user = await buildUser(t.db, { emailVerifiedAt: null });
    const now = new Date();
    expect(await sendVerificationLink(t.db, user, { ...APP, now })).toEqual({
      ok: true,
      value: { sent: true },
    });
    const again = await sendVerificationLink(t.db, user, {
      ...APP,
      now: new Date(now.getTime() + 10_000),
    });
    expect(!again.ok && again.error.code).toBe("rate_limited");
    const later = await sendVerificationLink(t.db, user, {
      ...APP,
      now: new Date(now.getTime() + 61_000),
    });
    expect(later.ok).toBe(true);
    expect(await mailTo(user.email, "verify_email")).toHaveLength(2);
  });

  it("counts a spent password-reset link as proof of the address", async () => {
    const user = await buildUser(t.db, { emailVerifiedAt: null });
    await requestPasswordReset(t.db, user.email, APP);
    const [mail] = await mailTo(user.email, "password_reset");
    const token = /reset-password\/([\w-]+)/.exec(
      openSecrets(mail!.bodyText)!,
    )![1]!;
    expect(
      (
        await resetPassword(t.db, {
          token,
          password: PASSWORD,
        })
      ).ok,
    ).toBe(true);
    expect((await getUserById(t.db, user.id))!.emailVerifiedAt).not.toBeNull();
  });
});

describe("changing the email address", () => {
  it("changes nothing until the new address's link is used; the old address is told", async () => {
    const user = await buildUser(t.db, {
      email: "old.address@example.com",
      password: PASSWORD,
    });
    const wrong = await requestEmailChange(
      t.db,
      user,
      { newEmail: "new.address@example.com", password: "not my password" },
      APP,
    );
    expect(!wrong.ok && wrong.error.fields?.password).toBeDefined();
    expect(await mailTo("new.address@example.com", "email_change")).toEqual([]);

    const asked = await requestEmailChange(
      t.db,
      user,
      { newEmail: "New.Address@example.com", password: PASSWORD },
      APP,
    );
    expect(asked.ok).toBe(true);
    expect(await pendingEmailChange(t.db, user.id)).toBe(
      "New.Address@example.com",
    );
    expect((await getUserById(t.db, user.id))!.email).toBe(
      "old.address@example.com",
    );
    expect(
      await mailTo("old.address@example.com", "email_change_requested"),
    ).toHaveLength(1);
    // A reset link the old address got before the change must stop working after it.
    await requestPasswordReset(t.db, "old.address@example.com", APP);

    const token = await linkIn("New.Address@example.com", "email_change");
    expect(await spendEmailLink(t.db, token)).toEqual({
      ok: true,
      value: {
        kind: "changed",
        email: "New.Address@example.com",
        previous: "old.address@example.com",
      },
    });
    const moved = (await getUserById(t.db, user.id))!;
    expect(moved.email).toBe("New.Address@example.com");
    expect(moved.emailVerifiedAt).not.toBeNull();
    expect(
      await mailTo("old.address@example.com", "email_changed"),
    ).toHaveLength(1);
    const [reset] = await mailTo("old.address@example.com", "password_reset");
    const resetToken = /reset-password\/([\w-]+)/.exec(
      openSecrets(reset!.bodyText)!,
    )![1]!;
    expect(
      (
        await resetPassword(t.db, {
          token: resetToken,
          password: PASSWORD,
        })
      ).ok,
    ).toBe(false);
    // Signing in now takes the new address.
    expect(
      (
        await authenticate(t.db, {
          email: "new.address@example.com",
          password: PASSWORD,
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await authenticate(t.db, {
          email: "old.address@example.com",
          password: PASSWORD,
        })
      ).ok,
    ).toBe(false);
  });

  it("answers the same for an address another account has, and mails that owner instead of a link", async () => {
    const owner = await buildUser(t.db, { email: "taken@example.com" });
    const user = await buildUser(t.db, { password: PASSWORD });
    const asked = await requestEmailChange(
      t.db,
      user,
      { newEmail: "TAKEN@example.com", password: PASSWORD },
      APP,
    );
    expect(asked).toEqual({ ok: true, value: { email: "TAKEN@example.com" } });
    expect(await mailTo("TAKEN@example.com", "email_change")).toEqual([]);
    expect(
      await mailTo("TAKEN@example.com", "email_change_taken"),
    ).toHaveLength(1);
    expect((await getUserById(t.db, owner.id))!.email).toBe(
      "taken@example.com",
    );
    expect((await getUserById(t.db, user.id))!.email).toBe(user.email);
  });

  it("refuses a link when another account took the address in the meantime", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    await requestEmailChange(
      t.db,
      user,
      { newEmail: "race@example.com", password: PASSWORD },
      APP,
    );
    const token = await linkIn("race@example.com", "email_change");
    await buildUser(t.db, { email: "race@example.com" });
    const used = await spendEmailLink(t.db, token);
    expect(!used.ok && used.error.code).toBe("conflict");
    expect((await getUserById(t.db, user.id))!.email).toBe(user.email);
  });
});
