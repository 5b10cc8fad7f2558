import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, authThrottles, outboundMail, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import {
  isResetTokenUsable,
  requestPasswordReset,
  resetPassword,
} from "@/lib/auth/password-reset";
import { signUpInput } from "@/lib/auth/schemas";
import { openSecrets } from "@/lib/mail/sealed";
import { signUp } from "@/lib/auth/sign-up";
import { HASHING, HASHING_BUSY } from "@/lib/auth/hash-slots";
import {
  pruneThrottles,
  recordFailure,
  SIGN_IN_LIMITS,
} from "@/lib/auth/throttle";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

let t: TestDb;
let restoreEnv: () => void;
beforeAll(async () => {
  // Password links are sealed in the outbox under a key derived from this secret.
  restoreEnv = setTestEnv({
    NEXTAUTH_SECRET: "test-secret-for-account-tests-0123456789",
  });
  t = await createTestDb();
});
afterAll(async () => {
  restoreEnv();
  await t.close();
});

const PASSWORD = "a long enough passphrase";
const input = (email: string) =>
  signUpInput.parse({ name: "Nina Simone", email, password: PASSWORD });

describe("sign-up", () => {
  it("creates a customer whose password is stored as an argon2id hash", async () => {
    const r = await signUp(t.db, input("nina@example.com"));
    expect(r.ok && r.value.subject?.role).toBe("customer");
    expect(r.ok && r.value.mailbox).toBeNull();
    const [row] = await t.db
      .select()
      .from(users)
      .where(eq(users.email, "nina@example.com"));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain(PASSWORD);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, row!.id));
    expect(audit.map((a) => a.action)).toEqual(["user.signed_up"]);
  });

  it("creates no second account for a taken email in any letter case, and mails its owner instead", async () => {
    await signUp(t.db, input("case@example.com"));
    const again = await signUp(t.db, input("CASE@Example.com".toLowerCase()));
    // The caller answers as for a new account: nothing says the address is taken.
    expect(again).toEqual({
      ok: true,
      value: { subject: null, mailbox: null },
    });
    const mail = await t.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, "case@example.com"));
    expect(mail.map((m) => m.kind).sort()).toEqual([
      "already_registered",
      "verify_email",
    ]);
    // The unique index itself holds too, whatever the case the row was written in.
    await expect(
      t.db.insert(users).values({ email: "Case@EXAMPLE.com", name: "x" }),
    ).rejects.toThrow();
  });

  it("does not hand a mail-only contact's history to whoever signs up with their address", async () => {
    await buildUser(t.db, {
      email: "mailonly@example.com",
      passwordHash: null,
    });
    const r = await signUp(t.db, input("mailonly@example.com"));
    expect(r.ok && r.value.subject).toBeNull();
    const [row] = await t.db
      .select()
      .from(users)
      .where(eq(users.email, "mailonly@example.com"));
    expect(row?.passwordHash).toBeNull();
  });
});

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const user = await buildUser(t.db, {
      email: "sign-in@example.com",
      password: PASSWORD,
    });
    const good = await authenticate(t.db, {
      email: "Sign-In@example.com",
      password: PASSWORD,
    });
    expect(good.ok && good.value.id).toBe(user.id);
    const bad = await authenticate(t.db, {
      email: "sign-in@example.com",
      password: "wrong password!",
    });
    expect(!bad.ok && bad.error.code).toBe("unauthenticated");
  });

  it("gives an unknown email the same answer as a wrong password", async () => {
    const r = await authenticate(t.db, {
      email: "nobody@example.com",
      password: PASSWORD,
    });
    expect(!r.ok && r.error).toEqual({
      code: "unauthenticated",
      message: "The email or password is not right.",
    });
  });

  const STRANGER = "203.0.113.66";
  const OWNER = "198.51.100.7";
  const pair = SIGN_IN_LIMITS.accountFromClient;

  it("slows down one client's repeated failures, even for the right password, until the lock runs out", async () => {
    await buildUser(t.db, { email: "target@example.com", password: PASSWORD });
    const now = new Date("2026-03-01T10:00:00Z");
    const from = (client: string, password: string, at: Date) =>
      authenticate(t.db, { email: "target@example.com", password, client }, at);
    for (let i = 0; i < pair.freeFailures; i++) {
      const r = await from(STRANGER, `guess number ${i}`, now);
      expect(!r.ok && r.error.code).toBe("unauthenticated");
    }
    // The first failure past the free ones locks this client out of this account for the base period.
    await from(STRANGER, "one more guess", now);
    const locked = await from(
      STRANGER,
      PASSWORD,
      new Date(now.getTime() + 5_000),
    );
    expect(!locked.ok && locked.error.code).toBe("rate_limited");
    expect(!locked.ok && locked.error.retryAfter).toBe(
      pair.baseLockMs / 1000 - 5,
    );
    expect(!locked.ok && locked.error.message).toBe(
      "Too many failed attempts. Try again in 25 seconds.",
    );

    const after = await from(
      STRANGER,
      PASSWORD,
      new Date(now.getTime() + pair.baseLockMs + 1),
    );
    expect(after.ok).toBe(true);
  });

  it("lets the owner in from their own address while a stranger is locked out of the account", async () => {
    const admin = await buildUser(t.db, {
      email: "boss@example.com",
      password: PASSWORD,
      role: "admin",
    });
    const now = new Date("2026-03-02T10:00:00Z");
    for (let i = 0; i <= pair.freeFailures + 3; i++)
      await authenticate(
        t.db,
        { email: "boss@example.com", password: `guess ${i}`, client: STRANGER },
        now,
      );
    const stranger = await authenticate(
      t.db,
      { email: "boss@example.com", password: PASSWORD, client: STRANGER },
      now,
    );
    expect(!stranger.ok && stranger.error.code).toBe("rate_limited");

    const owner = await authenticate(
      t.db,
      { email: "Boss@example.com", password: PASSWORD, client: OWNER },
      now,
    );
    expect(owner.ok && owner.value.id).toBe(admin.id);
  });

  it("counts an IPv6 client by its /64, so a fresh address per guess does not escape the lock", async () => {
    await buildUser(t.db, { email: "v6@example.com", password: PASSWORD });
    const now = new Date("2026-03-03T10:00:00Z");
    for (let i = 0; i <= pair.freeFailures; i++)
      await authenticate(
        t.db,
        {
          email: "v6@example.com",
          password: `guess ${i}`,
          client: `2001:db8:1:2::${(i + 1).toString(16)}`,
        },
        now,
      );
    const sameNetwork = await authenticate(
      t.db,
      {
        email: "v6@example.com",
        password: PASSWORD,
        client: "2001:db8:1:2::ffff",
      },
      now,
    );
    expect(!sameNetwork.ok && sameNetwork.error.code).toBe("rate_limited");
    const elsewhere = await authenticate(
      t.db,
      {
        email: "v6@example.com",
        password: PASSWORD,
        client: "2001:db8:1:3::1",
      },
      now,
    );
    expect(elsewhere.ok).toBe(true);
  });

  it("limits one client guessing across many accounts, and its own account's sign-in does not reset that", async () => {
    await buildUser(t.db, { email: "sprayer@example.com", password: PASSWORD });
    const victim = await buildUser(t.db, {
      email: "sprayed@example.com",
      password: PASSWORD,
    });
    const sprayer = "192.0.2.200";
    const now = new Date("2026-03-04T10:00:00Z");
    const limit = SIGN_IN_LIMITS.client.freeFailures;
    for (let i = 0; i < limit; i++) {
      const r = await authenticate(
        t.db,
        {
          email: `spray-${i}@example.com`,
          password: "Summer2026!!",
          client: sprayer,
        },
        now,
      );
      expect(!r.ok && r.error.code).toBe("unauthenticated");
      // Signing in to an account of one's own between guesses forgives nothing.
      if (i === limit - 2)
        expect(
          (
            await authenticate(
              t.db,
              {
                email: "sprayer@example.com",
                password: PASSWORD,
                client: sprayer,
              },
              now,
            )
          ).ok,
        ).toBe(true);
    }
    await authenticate(
      t.db,
      {
        email: "spray-last@example.com",
        password: "Summer2026!!",
        client: sprayer,
      },
      now,
    );
    const refused = await authenticate(
      t.db,
      { email: "sprayed@example.com", password: PASSWORD, client: sprayer },
      now,
    );
    expect(!refused.ok && refused.error.code).toBe("rate_limited");
    // Its owner, elsewhere, is not affected.
    const owner = await authenticate(
      t.db,
      { email: "sprayed@example.com", password: PASSWORD, client: OWNER },
      now,
    );
    expect(owner.ok && owner.value.id).toBe(victim.id);
  }, 90_000); // over twenty argon2 checks, slow on a busy machine

  it("doubles the lock with each further failure", async () => {
    await buildUser(t.db, {
      email: "doubling@example.com",
      password: PASSWORD,
    });
    const client = "198.51.100.77";
    let now = new Date("2026-03-01T12:00:00Z");
    for (let i = 0; i <= pair.freeFailures; i++)
      await authenticate(
        t.db,
        { email: "doubling@example.com", password: "nope nope nope", client },
        now,
      );
    now = new Date(now.getTime() + pair.baseLockMs + 1);
    await authenticate(
      t.db,
      { email: "doubling@example.com", password: "nope nope nope", client },
      now,
    );
    const r = await authenticate(
      t.db,
      { email: "doubling@example.com", password: PASSWORD, client },
      now,
    );
    expect(!r.ok && r.error.retryAfter).toBe((pair.baseLockMs * 2) / 1000);
  });

  it("refuses a flood from one client before hashing, without holding up another client", async () => {
    await buildUser(t.db, { email: "flooded@example.com", password: PASSWORD });
    const flood = await Promise.all(
      Array.from({ length: HASHING.perClient + 4 }, () =>
        authenticate(t.db, {
          email: "flooded@example.com",
          password: "wrong guess here",
          client: "192.0.2.99",
        }),
      ),
    );
    const busy = flood.filter((r) => !r.ok && r.error.message === HASHING_BUSY);
    expect(busy.length).toBeGreaterThanOrEqual(4);
    expect(
      (
        await authenticate(t.db, {
          email: "flooded@example.com",
          password: PASSWORD,
          client: OWNER,
        })
      ).ok,
    ).toBe(true);
  });

  it("forgets counts whose window has passed, but never a lock still running", async () => {
    const now = new Date("2026-03-05T10:00:00Z");
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const rule = SIGN_IN_LIMITS.client;
    await recordFailure(t.db, "prune:stale", rule, now);
    // Counted since `now` too, but failing on and on later: its lock runs past the check.
    await recordFailure(t.db, "prune:locked", rule, now);
    for (let i = 0; i < rule.freeFailures + 6; i++)
      await recordFailure(t.db, "prune:locked", rule, at(10));
    await recordFailure(t.db, "prune:recent", rule, at(14));
    expect(await pruneThrottles(t.db, at(20))).toBeGreaterThanOrEqual(1);
    const left = (
      await t.db.select({ key: authThrottles.key }).from(authThrottles)
    )
      .map((r) => r.key)
      .filter((k) => k.startsWith("prune:"));
    expect(left.sort()).toEqual(["prune:locked", "prune:recent"]);
  });

  it("refuses a deactivated account", async () => {
    await buildUser(t.db, {
      email: "gone@example.com",
      password: PASSWORD,
      deactivatedAt: new Date(),
    });
    const r = await authenticate(t.db, {
      email: "gone@example.com",
      password: PASSWORD,
    });
    expect(!r.ok && r.error.code).toBe("forbidden");
  });
});

describe("password reset", () => {
  const appUrl = "https://portal.example";

  async function mailedToken(email: string, now?: Date): Promise<string> {
    const sent = await requestPasswordReset(t.db, email, { appUrl, now });
    expect(sent.sent).toBe(true);
    const [mail] = await t.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, email))
      .orderBy(outboundMail.createdAt);
    // Delivery opens the sealed link, as here; the stored row never holds it.
    const link =
      /https:\/\/portal\.example\/reset-password\/([A-Za-z0-9_-]+)/.exec(
        openSecrets(mail!.bodyText) ?? "",
      );
    return link![1]!;
  }

  it("mails a link that sets a new password once, and ends older sessions", async () => {
    const user = await buildUser(t.db, {
      email: "forgetful@example.com",
      password: PASSWORD,
    });
    const token = await mailedToken("forgetful@example.com");
    const [mail] = await t.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, "forgetful@example.com"));
    expect(mail).toMatchObject({
      kind: "password_reset",
      subject: "Reset your Portico password",
      status: "queued",
    });
    expect(mail!.bodyText).not.toContain(token);
    expect(mail!.bodyHtml).not.toContain(token);
    expect(openSecrets(mail!.bodyHtml!)).toContain(
      `${appUrl}/reset-password/${token}`,
    );

    expect(await isResetTokenUsable(t.db, token)).toBe(true);
    const r = await resetPassword(t.db, {
      token,
      password: "a brand new passphrase",
    });
    expect(r.ok && r.value.sessionVersion).toBe(user.sessionVersion + 1);
    expect(
      (
        await authenticate(t.db, {
          email: user.email,
          password: "a brand new passphrase",
        })
      ).ok,
    ).toBe(true);
    expect(
      (await authenticate(t.db, { email: user.email, password: PASSWORD })).ok,
    ).toBe(false);

    const again = await resetPassword(t.db, {
      token,
      password: "yet another passphrase",
    });
    expect(!again.ok && again.error.code).toBe("not_found");
    expect(await isResetTokenUsable(t.db, token)).toBe(false);
  });

  it("lets someone who only ever wrote in by mail set a first password", async () => {
    await buildUser(t.db, {
      email: "mail-first@example.com",
      passwordHash: null,
    });
    const token = await mailedToken("mail-first@example.com");
    expect(
      (await resetPassword(t.db, { token, password: "my first passphrase" }))
        .ok,
    ).toBe(true);
  });

  it("refuses an expired link", async () => {
    await buildUser(t.db, { email: "slow@example.com", password: PASSWORD });
    const requested = new Date("2026-03-01T08:00:00Z");
    const token = await mailedToken("slow@example.com", requested);
    const r = await resetPassword(
      t.db,
      { token, password: "too late passphrase" },
      new Date(requested.getTime() + 61 * 60_000),
    );
    expect(!r.ok && r.error.fields?.token?.[0]).toMatch(
      /invalid or has expired/,
    );
  });

  it("sends nothing for an unknown address, and at most one mail a minute per account", async () => {
    expect(
      (await requestPasswordReset(t.db, "stranger@example.com", { appUrl }))
        .sent,
    ).toBe(false);
    expect(
      await t.db
        .select()
        .from(outboundMail)
        .where(eq(outboundMail.toAddress, "stranger@example.com")),
    ).toHaveLength(0);

    await buildUser(t.db, {
      email: "impatient@example.com",
      password: PASSWORD,
    });
    const now = new Date();
    expect(
      (
        await requestPasswordReset(t.db, "impatient@example.com", {
          appUrl,
          now,
        })
      ).sent,
    ).toBe(true);
    expect(
      (
        await requestPasswordReset(t.db, "impatient@example.com", {
          appUrl,
          now: new Date(now.getTime() + 10_000),
        })
      ).sent,
    ).toBe(false);
    expect(
      (
        await requestPasswordReset(t.db, "impatient@example.com", {
          appUrl,
          now: new Date(now.getTime() + 61_000),
        })
      ).sent,
    ).toBe(true);
  });
});
