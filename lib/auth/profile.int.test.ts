import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import {
  pendingEmailChange,
  requestEmailChange,
} from "@/lib/auth/email-verification";
import {
  changePassword,
  renameAccount,
  saveNotificationChoices,
} from "@/lib/auth/profile";
import { notificationInput, passwordChangeInput } from "@/lib/auth/schemas";
import { mailCustomerAboutOrder } from "@/lib/orders/notify";
import { getUserById } from "@/lib/users/queries";
import { buildOrder, buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { parseForm } from "@/lib/forms";
import { form } from "@/testing/form-data";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const PASSWORD = "a long enough passphrase";
const NEW_PASSWORD = "another fine passphrase 7";

const mails = (to: string, kind: string) =>
  t.db
    .select()
    .from(s.outboundMail)
    .where(
      and(eq(s.outboundMail.toAddress, to), eq(s.outboundMail.kind, kind)),
    );

describe("the account page", () => {
  it("renames the account, any script and emoji kept as typed", async () => {
    const user = await buildUser(t.db);
    await renameAccount(t.db, user, "سارة 🌻 Smith");
    expect((await getUserById(t.db, user.id))!.name).toBe("سارة 🌻 Smith");
  });

  it("changes the password only with the current one; other sessions end and a pending address change is cancelled", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    await requestEmailChange(
      t.db,
      user,
      { newEmail: "elsewhere@example.com", password: PASSWORD },
      { appUrl: "http://portal.test" },
    );
    expect(await pendingEmailChange(t.db, user.id)).toBe(
      "elsewhere@example.com",
    );

    const wrong = await changePassword(t.db, user, {
      current: "not the password",
      password: NEW_PASSWORD,
    });
    expect(!wrong.ok && wrong.error.fields?.current).toBeDefined();

    const changed = await changePassword(t.db, user, {
      current: PASSWORD,
      password: NEW_PASSWORD,
    });
    expect(changed.ok).toBe(true);
    // The old session version no longer matches: every other browser is signed out.
    expect(changed.ok && changed.value.sessionVersion).toBe(
      user.sessionVersion + 1,
    );
    expect(await pendingEmailChange(t.db, user.id)).toBeNull();
    expect(await mails(user.email, "password_changed")).toHaveLength(1);
    expect(
      (await authenticate(t.db, { email: user.email, password: PASSWORD })).ok,
    ).toBe(false);
    expect(
      (await authenticate(t.db, { email: user.email, password: NEW_PASSWORD }))
        .ok,
    ).toBe(true);
  });

  it("refuses a new password that repeats the current one, naming the field", () => {
    const parsed = passwordChangeInput.safeParse({
      current: PASSWORD,
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(parsed.error?.issues[0]?.path).toEqual(["password"]);
  });

  it("sends order mail only to a confirmed address that wants it", async () => {
    const wants = await buildUser(t.db);
    const optedOut = await buildUser(t.db);
    const unconfirmed = await buildUser(t.db, { emailVerifiedAt: null });
    // Only the ticked box is posted, as a browser does.
    const choices = parseForm(notificationInput, form({ marketingMail: "on" }));
    if (!choices.ok) throw new Error(choices.error.message);
    await saveNotificationChoices(t.db, optedOut, choices.value);
    for (const customer of [wants, optedOut, unconfirmed]) {
      const order = await buildOrder(t.db, { customer });
      await mailCustomerAboutOrder(
        t.db,
        order,
        { kind: "refund", amount: 500 },
        new Date(),
      );
    }
    expect(await mails(wants.email, "refund_notice")).toHaveLength(1);
    expect(await mails(optedOut.email, "refund_notice")).toEqual([]);
    expect(await mails(unconfirmed.email, "refund_notice")).toEqual([]);
    expect(await getUserById(t.db, optedOut.id)).toMatchObject({
      orderMail: false,
      marketingMail: true,
    });
  });
});
