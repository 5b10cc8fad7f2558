import { and, eq, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import * as s from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import {
  setStaffTwoFactorRequired,
  staffTwoFactorRequired,
} from "@/lib/auth/policy";
import { newTotpSecret, totpCode } from "@/lib/auth/totp";
import {
  CHALLENGE_ATTEMPTS,
  completeChallenge,
  disableTwoFactor,
  enableTotp,
  openChallenge,
  readChallenge,
  resetTwoFactor,
} from "@/lib/auth/two-factor";
import { getUserById } from "@/lib/users/queries";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

let t: TestDb;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = setTestEnv({
    NEXTAUTH_SECRET: "test-secret-for-two-factor-tests-0123456789",
    LOG_LEVEL: "debug",
  });
  t = await createTestDb();
});
afterAll(async () => {
  restoreEnv();
  await t.close();
});
afterEach(() => vi.restoreAllMocks());

const PASSWORD = "a long enough passphrase";
const STEP = 30_000;
// A fixed clock, so codes of neighbouring time steps are known.
const T0 = new Date("2026-12-05T10:00:00Z").getTime();
const at = (steps: number) => new Date(T0 + steps * STEP);

async function enrolled(over: Partial<s.NewUser> = {}) {
  const user = await buildUser(t.db, { password: PASSWORD, ...over });
  const secret = newTotpSecret();
  const enabled = await enableTotp(
    t.db,
    user,
    { secret, code: totpCode(secret, T0), password: PASSWORD },
    at(0),
  );
  if (!enabled.ok) throw new Error(enabled.error.message);
  return { user, secret, codes: enabled.value.recoveryCodes };
}

const mailsTo = (to: string, kind: string) =>
  t.db
    .select()
    .from(s.outboundMail)
    .where(
      and(eq(s.outboundMail.toAddress, to), eq(s.outboundMail.kind, kind)),
    );

const auditOf = async (userId: string) =>
  (
    await t.db
      .select({ action: s.auditLog.action })
      .from(s.auditLog)
      .where(eq(s.auditLog.entityId, userId))
  ).map((r) => r.action);

describe("authenticator app", () => {
  it("turns on only with a code from the secret shown and the password; ten recovery codes", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    const secret = newTotpSecret();
    const wrongCode = await enableTotp(
      t.db,
      user,
      { secret, code: "000000", password: PASSWORD },
      at(0),
    );
    expect(!wrongCode.ok && wrongCode.error.fields?.code).toBeDefined();
    const wrongPassword = await enableTotp(
      t.db,
      user,
      { secret, code: totpCode(secret, T0), password: "nope nope nope" },
      at(0),
    );
    expect(
      !wrongPassword.ok && wrongPassword.error.fields?.password,
    ).toBeDefined();
    expect((await getUserById(t.db, user.id))!.twoFactor).toBeNull();

    const on = await enableTotp(
      t.db,
      user,
      { secret, code: totpCode(secret, T0), password: PASSWORD },
      at(0),
    );
    expect(on.ok && on.value.recoveryCodes).toHaveLength(10);
    expect((await getUserById(t.db, user.id))!.twoFactor).toBe("totp");
    expect(await auditOf(user.id)).toContain("user.two_factor_enabled");
    expect(await mailsTo(user.email, "security_notice")).toHaveLength(1);
  });

  it("asks for a code after the password, and accepts each code once only", async () => {
    const { user, secret } = await enrolled();
    const password = await authenticate(
      t.db,
      { email: user.email, password: PASSWORD, client: "198.51.100.1" },
      at(1),
    );
    expect(password.ok && password.value.twoFactor).toBe("totp");

    const first = await openChallenge(t.db, user.id, at(2));
    expect(await readChallenge(t.db, first, at(2))).toMatchObject({
      method: "totp",
    });
    const code = totpCode(secret, at(2).getTime());
    const done = await completeChallenge(t.db, first, code, {
      client: "198.51.100.1",
      now: at(2),
    });
    expect(done.ok && done.value.id).toBe(user.id);
    // The challenge is spent, and the same code cannot open a second one (seen over a shoulder).
    expect(await readChallenge(t.db, first, at(2))).toBeNull();
    const second = await openChallenge(t.db, user.id, at(2));
    const replay = await completeChallenge(t.db, second, code, {
      client: "198.51.100.1",
      now: at(2),
    });
    expect(!replay.ok && replay.error.fields?.code).toBeDefined();
    // The next time step's code works.
    const next = await completeChallenge(
      t.db,
      second,
      totpCode(secret, at(3).getTime()),
      { client: "198.51.100.1", now: at(3) },
    );
    expect(next.ok).toBe(true);
  });

  it("takes a recovery code once, and mails the person how many are left", async () => {
    const { user, codes } = await enrolled();
    const challenge = await openChallenge(t.db, user.id, at(1));
    const used = await completeChallenge(
      t.db,
      challenge,
      codes[0]!.toLowerCase().replace("-", " "),
      { client: "198.51.100.2", now: at(1) },
    );
    expect(used.ok).toBe(true);
    const again = await openChallenge(t.db, user.id, at(1));
    const twice = await completeChallenge(t.db, again, codes[0]!, {
      client: "198.51.100.2",
      now: at(1),
    });
    expect(twice.ok).toBe(false);
    expect(await auditOf(user.id)).toContain("user.recovery_code_used");
    const notices = await mailsTo(user.email, "security_notice");
    expect(notices.map((m) => m.subject).join("\n")).toMatch(/recovery code/);
    expect(notices.at(-1)!.bodyText).toMatch(/9 of them are left/);
  });

  it("ends a challenge after too many wrong codes, and counts them with wrong passwords", async () => {
    const { user, secret } = await enrolled();
    const client = "198.51.100.3";
    const challenge = await openChallenge(t.db, user.id, at(1));
    for (let i = 0; i < CHALLENGE_ATTEMPTS; i++) {
      const wrong = await completeChallenge(t.db, challenge, "000000", {
        client,
        now: at(1),
      });
      expect(wrong.ok).toBe(false);
    }
    const right = totpCode(secret, at(1).getTime());
    const late = await completeChallenge(t.db, challenge, right, {
      client,
      now: at(1),
    });
    expect(!late.ok && late.error.code).toBe("unauthenticated");
    expect(!late.ok && late.error.fields).toBeUndefined();

    // The right password again does not buy fresh guesses: the next wrong code locks this client out.
    const password = await authenticate(
      t.db,
      { email: user.email, password: PASSWORD, client },
      at(2),
    );
    expect(password.ok).toBe(true);
    const another = await openChallenge(t.db, user.id, at(2));
    await completeChallenge(t.db, another, "111111", { client, now: at(2) });
    const locked = await completeChallenge(
      t.db,
      another,
      totpCode(secret, at(2).getTime()),
      { client, now: at(2) },
    );
    expect(!locked.ok && locked.error.code).toBe("rate_limited");
    const wrongPassword = await authenticate(
      t.db,
      { email: user.email, password: PASSWORD, client },
      at(2),
    );
    expect(!wrongPassword.ok && wrongPassword.error.code).toBe("rate_limited");
  });

  it("turns off only with the password and a code; an admin can reset it, audited and mailed", async () => {
    const { user, secret } = await enrolled();
    const noCode = await disableTwoFactor(
      t.db,
      user,
      { password: PASSWORD, code: "123456" },
      at(1),
    );
    expect(!noCode.ok && noCode.error.fields?.code).toBeDefined();
    const off = await disableTwoFactor(
      t.db,
      user,
      { password: PASSWORD, code: totpCode(secret, at(1).getTime()) },
      at(1),
    );
    expect(off.ok).toBe(true);
    expect((await getUserById(t.db, user.id))!.twoFactor).toBeNull();

    const other = await enrolled();
    const admin = await buildUser(t.db, { role: "admin" });
    expect((await resetTwoFactor(t.db, admin, other.user.id, at(2))).ok).toBe(
      true,
    );
    const cleared = (await getUserById(t.db, other.user.id))!;
    expect(cleared).toMatchObject({ twoFactor: null, totpSecret: null });
    expect(await auditOf(other.user.id)).toContain("user.two_factor_reset");
    const [recovery] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(s.recoveryCodes)
      .where(eq(s.recoveryCodes.userId, other.user.id));
    expect(recovery!.n).toBe(0);
  });

  it("keeps the desk's policy, turned on only by an admin who uses it", async () => {
    const without = await buildUser(t.db, { role: "admin" });
    const refused = await setStaffTwoFactorRequired(t.db, without, true);
    expect(!refused.ok && refused.error.message).toMatch(/for yourself first/);
    expect(await staffTwoFactorRequired(t.db)).toBe(false);
    const { user: admin } = await enrolled({ role: "admin" });
    expect((await setStaffTwoFactorRequired(t.db, admin, true)).ok).toBe(true);
    expect(await staffTwoFactorRequired(t.db)).toBe(true);
    await setStaffTwoFactorRequired(t.db, admin, false);
    expect(await staffTwoFactorRequired(t.db)).toBe(false);
  });

  it("keeps no secret in clear in the database or the logs", async () => {
    const written: string[] = [];
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
        written.push(String(chunk));
        return true;
      });
    const { user, secret, codes } = await enrolled();
    const challenge = await openChallenge(t.db, user.id, at(1));
    await completeChallenge(t.db, challenge, "000000", { now: at(1) });
    await completeChallenge(t.db, challenge, codes[1]!, { now: at(1) });
    vi.restoreAllMocks();

    // Every value in every table, as a dump would hold it.
    const dump: string[] = [];
    for (const table of Object.values(s))
      if (is(table, PgTable))
        dump.push(JSON.stringify(await t.db.select().from(table)));
    const everything = dump.join("\n") + written.join("");
    expect(everything).toContain(user.email); // the dump did read the tables
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(PASSWORD);
    for (const code of codes) expect(everything).not.toContain(code);
  });
});
