import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, bannedEmails } from "@/db/schema";
import { parseForm } from "@/lib/forms";
import {
  banEmail,
  bannedAddress,
  listBannedEmails,
  unbanEmail,
} from "@/lib/helpdesk/ban-list";
import { bannedEmailInput } from "@/lib/helpdesk/ban-list-schemas";
import { buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { createTestDb, type TestDb } from "@/testing/db";
import { form } from "@/testing/form-data";

// The check the API and mail ingestion make, on an address normalised as they normalise it.
async function isEmailBanned(db: TestDb["db"], email: string) {
  const [row] = await db
    .select({ banned: bannedAddress(email.trim().toLowerCase()) })
    .from(sql`(values (1)) as one`);
  return row?.banned ?? false;
}

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  admin = await buildUser(t.db, { role: "admin" });
});
afterAll(() => t.close());

const auditOf = (id: number) => auditTrail(t.db, "banned_email", id);

describe("ban list: the form", () => {
  it("trims the address and notes, keeping the case as typed", () => {
    const r = parseForm(
      bannedEmailInput,
      form({ email: "  Spam@Example.COM ", notes: " bulk mailer " }),
    );
    expect(r.ok && r.value).toEqual({
      email: "Spam@Example.COM",
      notes: "bulk mailer",
    });
  });

  it("refuses an empty, malformed, named or overlong address and long notes", () => {
    const fieldsOf = (entries: Record<string, string>) => {
      const r = parseForm(bannedEmailInput, form(entries));
      return !r.ok && r.error.fields;
    };
    expect(fieldsOf({ email: " " })).toEqual({
      email: ["Enter the email address to ban."],
    });
    expect(fieldsOf({ email: "not an address" })).toEqual({
      email: ["Enter a bare email address, such as name@example.com."],
    });
    expect(fieldsOf({ email: "Spammer <spam@example.com>" })).toEqual({
      email: ["Enter a bare email address, such as name@example.com."],
    });
    expect(
      fieldsOf({ email: `${"a".repeat(64)}@${"b".repeat(190)}.com` }),
    ).toEqual({ email: ["That email address is too long."] });
    expect(
      fieldsOf({ email: "ok@example.com", notes: "x".repeat(501) }),
    ).toEqual({ notes: ["Keep notes under 500 characters."] });
  });
});

describe("ban list", () => {
  it("bans osTicket's default test@example.com from the start", async () => {
    expect(await isEmailBanned(t.db, "test@example.com")).toBe(true);
    expect(await listBannedEmails(t.db)).toContainEqual(
      expect.objectContaining({
        email: "test@example.com",
        notes: "osTicket default",
      }),
    );
  });

  it("matches an address in any case, and only the whole address", async () => {
    expect(await isEmailBanned(t.db, "TEST@Example.com")).toBe(true);
    expect(await isEmailBanned(t.db, " test@example.com ")).toBe(true);
    expect(await isEmailBanned(t.db, "test@example.co")).toBe(false);
    expect(await isEmailBanned(t.db, "xtest@example.com")).toBe(false);
    expect(await isEmailBanned(t.db, "someone@example.com")).toBe(false);
    // LIKE wildcards in the address are plain characters.
    expect(await isEmailBanned(t.db, "%@example.com")).toBe(false);
  });

  it("bans an address and lifts the ban again, auditing both", async () => {
    const now = new Date("2025-03-01T10:00:00Z");
    const banned = await banEmail(
      t.db,
      admin.viewer,
      { email: "Spammer@Example.org", notes: "Sends invoices for nothing" },
      now,
    );
    if (!banned.ok) throw new Error(banned.error.message);
    const id = banned.value.id;
    expect(banned.value).toMatchObject({
      email: "Spammer@Example.org",
      notes: "Sends invoices for nothing",
      createdById: admin.id,
      createdAt: now,
    });
    expect(await isEmailBanned(t.db, "spammer@example.org")).toBe(true);

    const lifted = await unbanEmail(t.db, admin.viewer, id, now);
    expect(lifted).toEqual({
      ok: true,
      value: { email: "Spammer@Example.org" },
    });
    expect(await isEmailBanned(t.db, "spammer@example.org")).toBe(false);
    expect(
      await t.db.select().from(bannedEmails).where(eq(bannedEmails.id, id)),
    ).toEqual([]);

    const entries = await auditOf(id);
    expect(entries.map((e) => [e.action, e.actorId, e.data])).toEqual([
      [
        "banned_email.created",
        admin.id,
        { email: "Spammer@Example.org", notes: "Sends invoices for nothing" },
      ],
      [
        "banned_email.deleted",
        admin.id,
        { email: "Spammer@Example.org", notes: "Sends invoices for nothing" },
      ],
    ]);
  });

  it("refuses an address already banned in another case, on the email field", async () => {
    const dup = await banEmail(t.db, admin.viewer, {
      email: "Test@EXAMPLE.com",
      notes: "",
    });
    expect(!dup.ok && dup.error).toEqual({
      code: "conflict",
      message: "This address is already banned.",
      fields: { email: ["This address is already banned."] },
    });
    const rows = await listBannedEmails(t.db);
    expect(
      rows.filter((r) => r.email.toLowerCase() === "test@example.com"),
    ).toHaveLength(1);
  });

  it("answers not_found for a ban that is gone", async () => {
    const r = await unbanEmail(t.db, admin.viewer, 999_999);
    expect(!r.ok && r.error).toMatchObject({
      code: "not_found",
      message: "This address is no longer on the ban list.",
    });
  });

  it.each(["agent", "customer"] as const)(
    "refuses a %s, changing nothing",
    async (role) => {
      const user = await buildUser(t.db, { role });
      const before = await listBannedEmails(t.db);
      const banned = await banEmail(t.db, user.viewer, {
        email: `${role}-ban@example.com`,
        notes: "",
      });
      expect(!banned.ok && banned.error.code).toBe("forbidden");
      const seeded = before.find((r) => r.email === "test@example.com");
      const lifted = await unbanEmail(t.db, user.viewer, seeded!.id);
      expect(!lifted.ok && lifted.error.code).toBe("forbidden");
      expect(await listBannedEmails(t.db)).toEqual(before);
      expect(await isEmailBanned(t.db, "test@example.com")).toBe(true);
      expect(
        await t.db.select().from(auditLog).where(eq(auditLog.actorId, user.id)),
      ).toEqual([]);
    },
  );
});
