import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword } from "@/lib/auth/profile";
import {
  describeDevice,
  endSessions,
  listSessions,
  openSessionRow,
  sessionAccount,
} from "@/lib/auth/sessions";
import { endAllSessions } from "@/lib/auth/sign-out";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const FIREFOX =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const PASSWORD = "a long enough passphrase";

describe("sessions", () => {
  it("lists each signed-in device and ends one without touching the others", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    const laptop = await openSessionRow(t.db, user.id, {
      userAgent: FIREFOX,
      ip: "198.51.100.20",
    });
    const phone = await openSessionRow(t.db, user.id, {
      userAgent: IPHONE,
      ip: "2001:db8::1",
    });
    const cookie = (sessionId: string) => ({
      userId: user.id,
      sessionId,
      sessionVersion: user.sessionVersion,
    });
    const listed = await listSessions(t.db, user.id, laptop);
    expect(listed.map((s) => [s.device, s.ip, s.current]).sort()).toEqual([
      ["Firefox on Windows", "198.51.100.20", true],
      ["Safari on iOS", "2001:db8::1", false],
    ]);

    expect((await endSessions(t.db, user.id, { sessionId: phone })).ok).toBe(
      true,
    );
    expect(await sessionAccount(t.db, cookie(phone))).toBeNull();
    expect((await sessionAccount(t.db, cookie(laptop)))?.id).toBe(user.id);
    expect(await listSessions(t.db, user.id, laptop)).toHaveLength(1);
  });

  it("never ends another account's session, whatever id is posted", async () => {
    const owner = await buildUser(t.db);
    const stranger = await buildUser(t.db);
    const theirs = await openSessionRow(t.db, owner.id, {
      userAgent: FIREFOX,
      ip: null,
    });
    const attempt = await endSessions(t.db, stranger.id, { sessionId: theirs });
    expect(!attempt.ok && attempt.error.code).toBe("not_found");
    expect(
      await sessionAccount(t.db, {
        userId: owner.id,
        sessionId: theirs,
        sessionVersion: owner.sessionVersion,
      }),
    ).not.toBeNull();
  });

  it("closes every row when all sessions end: signing out, or a new password", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    await openSessionRow(t.db, user.id, { userAgent: FIREFOX, ip: null });
    await openSessionRow(t.db, user.id, { userAgent: IPHONE, ip: null });
    await endAllSessions(t.db, user.id);
    expect(await listSessions(t.db, user.id, null)).toEqual([]);

    await openSessionRow(t.db, user.id, { userAgent: IPHONE, ip: null });
    await changePassword(t.db, user, {
      current: PASSWORD,
      password: "a different passphrase 9",
    });
    expect(await listSessions(t.db, user.id, null)).toEqual([]);
  });

  it("names devices from their user-agent, and copes with none", () => {
    expect(describeDevice(null)).toBe("Unknown device");
    expect(
      describeDevice(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      ),
    ).toBe("Chrome on Linux");
    expect(describeDevice("curl/8.5.0")).toBe("Other device");
  });
});
