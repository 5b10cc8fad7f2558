import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundMail, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { isResetTokenUsable, resetPassword } from "@/lib/auth/password-reset";
import { parseForm } from "@/lib/forms";
import { buildDepartment, buildUser } from "@/testing/builders";
import { auditTrail } from "@/testing/audit";
import { openSecrets } from "@/lib/mail/sealed";
import { createTestDb, type TestDb } from "@/testing/db";
import {
  deactivateAgent,
  INVITE_TTL_DAYS,
  inviteAgent,
  reactivateAgent,
  resendAgentInvite,
  updateAgent,
} from "@/lib/users/agents";
import { getStaffMember, getUserById, listStaff } from "@/lib/users/queries";
import { agentInviteInput, type AgentInviteInput } from "@/lib/users/schemas";

let t: TestDb;
let admin: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestDb();
  admin = await buildUser(t.db, { role: "admin", name: "Ada Admin" });
});
afterAll(() => t.close());

const appUrl = "https://portal.example";
const PASSWORD = "a long enough passphrase";
const DAY = 24 * 3600_000;

function form(entries: Array<[string, string]>): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

const auditOf = (userId: string) => auditTrail(t.db, "user", userId);

const invite = (over: Partial<AgentInviteInput> = {}): AgentInviteInput => ({
  name: "Nora Agent",
  email: `nora-${Math.random().toString(36).slice(2)}@portico.test`,
  role: "agent",
  departmentIds: [],
  ...over,
});

async function mailsTo(email: string) {
  return t.db
    .select()
    .from(outboundMail)
    .where(eq(outboundMail.toAddress, email))
    .orderBy(outboundMail.createdAt);
}

// The outbox keeps password links sealed; only delivery opens them (lib/mail/sealed.ts).
function linkToken(body: string): string {
  const m = /https:\/\/portal\.example\/reset-password\/([A-Za-z0-9_-]+)/.exec(
    openSecrets(body) ?? "",
  );
  if (!m?.[1]) throw new Error("no link in the mail");
  return m[1];
}

/** An agent who accepted their invitation and can sign in. */
async function activeAgent(over: Partial<AgentInviteInput> = {}) {
  const input = invite(over);
  const r = await inviteAgent(t.db, admin.viewer, input, { appUrl });
  if (!r.ok) throw new Error(r.error.message);
  const [mail] = await mailsTo(input.email);
  const set = await resetPassword(t.db, {
    token: linkToken(mail!.bodyText),
    password: PASSWORD,
  });
  if (!set.ok) throw new Error(set.error.message);
  return set.value;
}

describe("agents: the invitation form", () => {
  it("reads a checkbox group of departments, one or many", () => {
    const many = parseForm(
      agentInviteInput,
      form([
        ["name", "Nora"],
        ["email", "Nora@Portico.TEST"],
        ["role", "admin"],
        ["departmentIds", "1"],
        ["departmentIds", "3"],
      ]),
    );
    expect(many.ok && many.value).toEqual({
      name: "Nora",
      email: "nora@portico.test",
      role: "admin",
      departmentIds: [1, 3],
    });
    const none = parseForm(
      agentInviteInput,
      form([
        ["name", "Nora"],
        ["email", "nora@portico.test"],
        ["role", "agent"],
      ]),
    );
    expect(none.ok && none.value.departmentIds).toEqual([]);
  });

  it("refuses a customer role and a bad address", () => {
    const r = parseForm(
      agentInviteInput,
      form([
        ["name", ""],
        ["email", "nope"],
        ["role", "customer"],
        ["departmentIds", "x"],
      ]),
    );
    expect(!r.ok && r.error.fields).toEqual({
      name: ["Enter the agent's name."],
      email: ["Enter a valid email address."],
      role: ["Choose a role."],
      departmentIds: ["Choose departments from the list."],
    });
  });
});

describe("agents: invite", () => {
  it("creates a passwordless agent in their departments and mails a link that sets the password", async () => {
    const support = await buildDepartment(t.db, { name: "Support desk" });
    const sales = await buildDepartment(t.db, { name: "Sales desk" });
    const input = invite({ departmentIds: [support.id, sales.id] });
    const now = new Date("2026-04-01T09:00:00Z");
    const r = await inviteAgent(t.db, admin.viewer, input, { appUrl, now });
    expect(r.ok).toBe(true);
    if (!r.ok) return;

    const user = await getUserById(t.db, r.value.id);
    expect(user).toMatchObject({
      email: input.email,
      role: "agent",
      passwordHash: null,
      deactivatedAt: null,
    });
    const staff = await getStaffMember(t.db, r.value.id);
    expect(staff?.hasPassword).toBe(false);
    expect(staff?.departments.map((d) => d.name)).toEqual([
      "Sales desk",
      "Support desk",
    ]);

    const [mail] = await mailsTo(input.email);
    expect(mail).toMatchObject({
      kind: "agent_invite",
      subject: "You're invited to the Portico staff desk",
      status: "queued",
    });
    expect(mail!.bodyText).toContain("Ada Admin added you");
    expect(mail!.bodyText).toContain(`within ${INVITE_TTL_DAYS} days`);
    const token = linkToken(mail!.bodyText);
    expect(mail!.bodyHtml).not.toContain(token);
    expect(openSecrets(mail!.bodyHtml ?? "")).toContain(
      `${appUrl}/reset-password/${token}`,
    );

    // Still good after six days, which a password-reset link would not be.
    const later = new Date(now.getTime() + 6 * DAY);
    expect(await isResetTokenUsable(t.db, token, later)).toBe(true);
    const set = await resetPassword(t.db, { token, password: PASSWORD }, later);
    expect(set.ok && set.value.role).toBe("agent");
    const signIn = await authenticate(t.db, {
      email: input.email,
      password: PASSWORD,
    });
    expect(signIn.ok && signIn.value.id).toBe(r.value.id);

    const reused = await resetPassword(t.db, {
      token,
      password: "another passphrase",
    });
    expect(!reused.ok && reused.error.code).toBe("not_found");

    const entries = await auditOf(r.value.id);
    expect(entries[0]).toMatchObject({
      action: "user.invited",
      actorId: admin.id,
      data: {
        email: input.email,
        role: "agent",
        departmentIds: [support.id, sales.id],
      },
    });
  });

  it("lets the link lapse after seven days", async () => {
    const input = invite();
    const now = new Date("2026-04-01T09:00:00Z");
    await inviteAgent(t.db, admin.viewer, input, { appUrl, now });
    const [mail] = await mailsTo(input.email);
    const r = await resetPassword(
      t.db,
      { token: linkToken(mail!.bodyText), password: PASSWORD },
      new Date(now.getTime() + 7 * DAY + 60_000),
    );
    expect(!r.ok && r.error.code).toBe("not_found");
  });

  it("refuses an address that belongs to a customer, on the email field", async () => {
    const customer = await buildUser(t.db, {
      email: "customer-first@example.com",
    });
    const r = await inviteAgent(
      t.db,
      admin.viewer,
      invite({ email: "customer-first@example.com" }),
      { appUrl },
    );
    expect(!r.ok && r.error).toMatchObject({
      code: "conflict",
      fields: {
        email: [
          "This address belongs to a customer account. Invite the agent with another address.",
        ],
      },
    });
    expect((await getUserById(t.db, customer.id))?.role).toBe("customer");
    expect(await mailsTo("customer-first@example.com")).toHaveLength(0);
  });

  it("refuses an address an agent already has, whatever its case", async () => {
    const input = invite();
    await inviteAgent(t.db, admin.viewer, input, { appUrl });
    const r = await inviteAgent(
      t.db,
      admin.viewer,
      invite({ email: input.email.toUpperCase() }),
      { appUrl },
    );
    expect(!r.ok && r.error.fields?.email).toEqual([
      "An agent with this address already exists.",
    ]);
  });

  it("refuses a department that does not exist and writes nothing", async () => {
    const input = invite({ departmentIds: [999_999] });
    const r = await inviteAgent(t.db, admin.viewer, input, { appUrl });
    expect(!r.ok && r.error.fields).toEqual({
      departmentIds: ["Choose departments from the list."],
    });
    expect(
      await t.db.select().from(users).where(eq(users.email, input.email)),
    ).toHaveLength(0);
    expect(await mailsTo(input.email)).toHaveLength(0);
  });

  it("lets only admins invite", async () => {
    const agent = await buildUser(t.db, { role: "agent" });
    const r = await inviteAgent(t.db, agent.viewer, invite(), { appUrl });
    expect(!r.ok && r.error.code).toBe("forbidden");
  });

  it("resends an invitation, and only the newest link works", async () => {
    const input = invite();
    const r = await inviteAgent(t.db, admin.viewer, input, { appUrl });
    if (!r.ok) throw new Error(r.error.message);
    const resent = await resendAgentInvite(t.db, admin.viewer, r.value.id, {
      appUrl,
    });
    expect(resent.ok).toBe(true);
    const [first, second] = await mailsTo(input.email);
    expect(await isResetTokenUsable(t.db, linkToken(first!.bodyText))).toBe(
      false,
    );
    const set = await resetPassword(t.db, {
      token: linkToken(second!.bodyText),
      password: PASSWORD,
    });
    expect(set.ok).toBe(true);

    const already = await resendAgentInvite(t.db, admin.viewer, r.value.id, {
      appUrl,
    });
    expect(!already.ok && already.error.code).toBe("conflict");
    expect((await auditOf(r.value.id)).map((e) => e.action)).toEqual([
      "user.invited",
      "user.invite_resent",
      // The link reached them at the address: that proves it as well.
      "user.email_verified",
      "user.password_reset",
    ]);
  });
});

describe("agents: edit", () => {
  it("changes name, role and departments, auditing the changes", async () => {
    const a = await buildDepartment(t.db, { name: "Desk A" });
    const b = await buildDepartment(t.db, { name: "Desk B" });
    const agent = await activeAgent({ departmentIds: [a.id] });
    const r = await updateAgent(t.db, admin.viewer, {
      id: agent.id,
      name: "Nora Lead",
      role: "admin",
      departmentIds: [b.id],
    });
    expect(r.ok && r.value).toMatchObject({ name: "Nora Lead", role: "admin" });
    expect(
      (await getStaffMember(t.db, agent.id))?.departments.map((d) => d.name),
    ).toEqual(["Desk B"]);
    const updated = (await auditOf(agent.id)).find(
      (e) => e.action === "user.updated",
    );
    expect(updated).toMatchObject({
      actorId: admin.id,
      data: {
        changes: {
          name: { from: "Nora Agent", to: "Nora Lead" },
          role: { from: "agent", to: "admin" },
          departmentIds: { from: [a.id], to: [b.id] },
        },
      },
    });
  });

  it("refuses to demote the last active admin, and allows it once there is another", async () => {
    const t2 = await createTestDb();
    try {
      const only = await buildUser(t2.db, { role: "admin" });
      const demote = await updateAgent(t2.db, only.viewer, {
        id: only.id,
        name: only.name,
        role: "agent",
        departmentIds: [],
      });
      expect(!demote.ok && demote.error).toMatchObject({
        code: "conflict",
        fields: {
          role: [
            "This is the last active administrator. Make someone else an administrator first.",
          ],
        },
      });
      expect((await getUserById(t2.db, only.id))?.role).toBe("admin");

      // A deactivated admin doesn't count as another one.
      await buildUser(t2.db, { role: "admin", deactivatedAt: new Date() });
      const still = await updateAgent(t2.db, only.viewer, {
        id: only.id,
        name: only.name,
        role: "agent",
        departmentIds: [],
      });
      expect(!still.ok && still.error.code).toBe("conflict");

      await buildUser(t2.db, { role: "admin" });
      const now = await updateAgent(t2.db, only.viewer, {
        id: only.id,
        name: only.name,
        role: "agent",
        departmentIds: [],
      });
      expect(now.ok && now.value.role).toBe("agent");
    } finally {
      await t2.close();
    }
  });

  it("answers not_found for a customer or an unknown id", async () => {
    const customer = await buildUser(t.db);
    const r = await updateAgent(t.db, admin.viewer, {
      id: customer.id,
      name: "Promoted?",
      role: "agent",
      departmentIds: [],
    });
    expect(!r.ok && r.error.code).toBe("not_found");
    expect((await getUserById(t.db, customer.id))?.role).toBe("customer");
  });
});

describe("agents: deactivate", () => {
  it("ends their sessions at once, blocks sign-in, and can be undone", async () => {
    const agent = await activeAgent();
    const before = await getUserById(t.db, agent.id);
    const r = await deactivateAgent(t.db, admin.viewer, agent.id);
    expect(r.ok).toBe(true);
    const after = await getUserById(t.db, agent.id);
    expect(after?.deactivatedAt).toBeInstanceOf(Date);
    expect(after?.sessionVersion).toBe(before!.sessionVersion + 1);

    const signIn = await authenticate(t.db, {
      email: agent.email,
      password: PASSWORD,
    });
    expect(!signIn.ok && signIn.error.code).toBe("forbidden");
    expect(
      (await listStaff(t.db)).find((s) => s.id === agent.id)?.deactivatedAt,
    ).toBeInstanceOf(Date);

    const back = await reactivateAgent(t.db, admin.viewer, agent.id);
    expect(back.ok).toBe(true);
    const again = await authenticate(t.db, {
      email: agent.email,
      password: PASSWORD,
    });
    expect(again.ok).toBe(true);

    expect(
      (await auditOf(agent.id))
        .filter((e) => e.actorId === admin.id)
        .map((e) => e.action),
    ).toEqual(["user.invited", "user.deactivated", "user.reactivated"]);
  });

  it("refuses an admin deactivating themselves, even the last one", async () => {
    const r = await deactivateAgent(t.db, admin.viewer, admin.id);
    expect(!r.ok && r.error).toEqual({
      code: "forbidden",
      message: "You can't deactivate your own account.",
    });
    expect((await getUserById(t.db, admin.id))?.deactivatedAt).toBeNull();
  });

  it("lets one admin deactivate another, but not back once they are out", async () => {
    const other = await buildUser(t.db, { role: "admin" });
    expect((await deactivateAgent(t.db, admin.viewer, other.id)).ok).toBe(true);
    // `other` still holds a page open; their next action must not count them as an admin.
    const r = await deactivateAgent(t.db, other.viewer, admin.id);
    expect(!r.ok && r.error.code).toBe("forbidden");
    expect((await getUserById(t.db, admin.id))?.deactivatedAt).toBeNull();
  });

  it("lets only one of two admins deactivating each other at once win", async () => {
    const t2 = await createTestDb();
    try {
      const a = await buildUser(t2.db, { role: "admin" });
      const b = await buildUser(t2.db, { role: "admin" });
      const results = await Promise.all([
        deactivateAgent(t2.db, a.viewer, b.id),
        deactivateAgent(t2.db, b.viewer, a.id),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const active = await t2.db
        .select()
        .from(users)
        .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)));
      expect(active).toHaveLength(1);
    } finally {
      await t2.close();
    }
  });

  it("lets only admins deactivate, and never a customer", async () => {
    const agent = await buildUser(t.db, { role: "agent" });
    const victim = await buildUser(t.db, { role: "agent" });
    const byAgent = await deactivateAgent(t.db, agent.viewer, victim.id);
    expect(!byAgent.ok && byAgent.error.code).toBe("forbidden");
    const customer = await buildUser(t.db);
    const onCustomer = await deactivateAgent(t.db, admin.viewer, customer.id);
    expect(!onCustomer.ok && onCustomer.error.code).toBe("not_found");
  });
});
