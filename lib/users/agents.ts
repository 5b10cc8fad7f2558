import "server-only";
import { and, asc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import {
  departmentMembers,
  passwordResetTokens,
  users,
  type User,
} from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { changedFields } from "@/lib/audit/changes";
import { recordAudit } from "@/lib/audit/record-audit";
import { issuePasswordLink } from "@/lib/auth/password-reset";
import { ADMINS_ONLY, isAdmin, type Viewer } from "@/lib/auth/viewer";
import { holdDepartments } from "@/lib/helpdesk/references";
import { enqueueMail } from "@/lib/mail/outbox";
import { agentInviteMail } from "@/lib/mail/templates/agent-invite";
import { fail, ok, type Result } from "@/lib/result";
import type { AgentInviteInput, AgentUpdateInput } from "@/lib/users/schemas";
import { getUserByEmail } from "@/lib/users/queries";

// Agents and admins are users with a staff role. They are invited (no password until they follow
// the link), never deleted (tickets and the audit log name them), and deactivated instead.

export const INVITE_TTL_DAYS = 7;

export type AgentRef = Pick<User, "id" | "name" | "email" | "role">;

const CUSTOMER_EMAIL =
  "This address belongs to a customer account. Invite the agent with another address.";
const STAFF_EMAIL = "An agent with this address already exists.";
const NO_DEPARTMENT = "Choose departments from the list.";
const GONE = "This agent does not exist.";
const LAST_ADMIN =
  "This is the last active administrator. Make someone else an administrator first.";

const ref = (u: User): AgentRef => ({
  id: u.id,
  name: u.name,
  email: u.email,
  role: u.role,
});

/**
 * Creates an agent or admin without a password and mails them a single-use link, valid for
 * INVITE_TTL_DAYS, to choose one. An address already in use (by a customer too) is refused.
 */
export async function inviteAgent(
  db: Db,
  actor: Viewer,
  input: AgentInviteInput,
  opts: { appUrl: string; now?: Date },
): Promise<Result<AgentRef>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const now = opts.now ?? new Date();
  try {
    return await db.transaction(async (tx) => {
      const existing = await getUserByEmail(tx, input.email);
      if (existing) {
        const message =
          existing.role === "customer" ? CUSTOMER_EMAIL : STAFF_EMAIL;
        return fail("conflict", message, { fields: { email: [message] } });
      }
      if (!(await holdDepartments(tx, input.departmentIds)))
        return fail("invalid_input", NO_DEPARTMENT, {
          fields: { departmentIds: [NO_DEPARTMENT] },
        });
      const [user] = await tx
        .insert(users)
        .values({
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash: null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!user) throw new Error("agent insert returned nothing");
      if (input.departmentIds.length)
        await tx.insert(departmentMembers).values(
          input.departmentIds.map((departmentId) => ({
            departmentId,
            userId: user.id,
          })),
        );
      await mailInvitation(tx, actor, user, opts.appUrl, now);
      await recordAudit(tx, {
        actor: { kind: "user", id: actor.id },
        action: "user.invited",
        entityType: "user",
        entityId: user.id,
        data: {
          email: user.email,
          role: user.role,
          departmentIds: input.departmentIds,
        },
        at: now,
      });
      return ok(ref(user));
    });
  } catch (error) {
    // Two invitations (or a sign-up) for the same address at once: the unique index decides.
    if (isUniqueViolation(error))
      return fail("conflict", STAFF_EMAIL, {
        fields: { email: [STAFF_EMAIL] },
      });
    throw error;
  }
}

async function mailInvitation(
  db: Db,
  actor: Viewer,
  user: User,
  appUrl: string,
  now: Date,
): Promise<void> {
  const url = await issuePasswordLink(db, user.id, {
    appUrl,
    ttlMinutes: INVITE_TTL_DAYS * 24 * 60,
    now,
  });
  const mail = agentInviteMail({
    name: user.name,
    invitedBy: actor.name,
    role: user.role === "admin" ? "admin" : "agent",
    url,
    expiresInDays: INVITE_TTL_DAYS,
  });
  await enqueueMail(db, { kind: "agent_invite", to: user.email, ...mail }, now);
}

/**
 * Mails a fresh invitation to an agent who has not chosen a password yet. Earlier links stop
 * working, so only the newest mail counts.
 */
export async function resendAgentInvite(
  db: Db,
  actor: Viewer,
  userId: string,
  opts: { appUrl: string; now?: Date },
): Promise<Result<AgentRef>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const user = await lockStaffMember(tx, userId);
    if (!user) return fail("not_found", GONE);
    if (user.deactivatedAt)
      return fail(
        "conflict",
        `${user.name} is deactivated. Reactivate them first.`,
      );
    if (user.passwordHash)
      return fail(
        "conflict",
        `${user.name} has already chosen a password. If it is lost, they can reset it from the sign-in page.`,
      );
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.userId, user.id),
          isNull(passwordResetTokens.usedAt),
        ),
      );
    await mailInvitation(tx, actor, user, opts.appUrl, now);
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "user.invite_resent",
      entityType: "user",
      entityId: user.id,
      at: now,
    });
    return ok(ref(user));
  });
}

/** Changes an agent's name, role and departments. The last active admin cannot be demoted. */
export async function updateAgent(
  db: Db,
  actor: Viewer,
  input: AgentUpdateInput,
  now = new Date(),
): Promise<Result<AgentRef>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    if (!admins.includes(actor.id)) return fail("forbidden", ADMINS_ONLY);
    const before = await lockStaffMember(tx, input.id);
    if (!before) return fail("not_found", GONE);
    const demoted = before.role === "admin" && input.role !== "admin";
    if (demoted && isLastAdmin(admins, before))
      return fail("conflict", LAST_ADMIN, { fields: { role: [LAST_ADMIN] } });
    if (!(await holdDepartments(tx, input.departmentIds)))
      return fail("invalid_input", NO_DEPARTMENT, {
        fields: { departmentIds: [NO_DEPARTMENT] },
      });
    const current = await tx
      .select({ id: departmentMembers.departmentId })
      .from(departmentMembers)
      .where(eq(departmentMembers.userId, before.id));
    const changes = changedFields(
      {
        name: before.name,
        role: before.role,
        departmentIds: current.map((d) => d.id),
      },
      {
        name: input.name,
        role: input.role,
        departmentIds: input.departmentIds,
      },
    );
    if (Object.keys(changes).length === 0) return ok(ref(before));
    const [user] = await tx
      .update(users)
      .set({ name: input.name, role: input.role, updatedAt: now })
      .where(eq(users.id, before.id))
      .returning();
    if (changes.departmentIds) {
      await tx
        .delete(departmentMembers)
        .where(
          and(
            eq(departmentMembers.userId, before.id),
            input.departmentIds.length
              ? notInArray(departmentMembers.departmentId, input.departmentIds)
              : undefined,
          ),
        );
      if (input.departmentIds.length)
        await tx
          .insert(departmentMembers)
          .values(
            input.departmentIds.map((departmentId) => ({
              departmentId,
              userId: before.id,
            })),
          )
          .onConflictDoNothing();
    }
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "user.updated",
      entityType: "user",
      entityId: before.id,
      data: { changes },
      at: now,
    });
    return ok(ref(user ?? before));
  });
}

/**
 * Deactivates an agent or admin: they can no longer sign in, and their open sessions end at once
 * (session version bump). Nobody can deactivate themselves, which also keeps one admin active.
 */
export async function deactivateAgent(
  db: Db,
  actor: Viewer,
  userId: string,
  now = new Date(),
): Promise<Result<AgentRef>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  if (userId === actor.id)
    return fail("forbidden", "You can't deactivate your own account.");
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    if (!admins.includes(actor.id)) return fail("forbidden", ADMINS_ONLY);
    const before = await lockStaffMember(tx, userId);
    if (!before) return fail("not_found", GONE);
    if (before.deactivatedAt) return ok(ref(before));
    if (before.role === "admin" && isLastAdmin(admins, before))
      return fail("conflict", LAST_ADMIN);
    await tx
      .update(users)
      .set({
        deactivatedAt: now,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: now,
      })
      .where(eq(users.id, before.id));
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "user.deactivated",
      entityType: "user",
      entityId: before.id,
      data: { name: before.name, role: before.role },
      at: now,
    });
    return ok(ref(before));
  });
}

/** Lets a deactivated agent sign in again, with the password they had. */
export async function reactivateAgent(
  db: Db,
  actor: Viewer,
  userId: string,
  now = new Date(),
): Promise<Result<AgentRef>> {
  if (!isAdmin(actor)) return fail("forbidden", ADMINS_ONLY);
  return db.transaction(async (tx) => {
    const before = await lockStaffMember(tx, userId);
    if (!before) return fail("not_found", GONE);
    if (!before.deactivatedAt) return ok(ref(before));
    await tx
      .update(users)
      .set({ deactivatedAt: null, updatedAt: now })
      .where(eq(users.id, before.id));
    await recordAudit(tx, {
      actor: { kind: "user", id: actor.id },
      action: "user.reactivated",
      entityType: "user",
      entityId: before.id,
      data: { name: before.name, role: before.role },
      at: now,
    });
    return ok(ref(before));
  });
}

// Locking every active admin row, always in id order, serialises admin changes: two admins demoting
// or deactivating each other at once can't both succeed and leave nobody in charge.
async function lockActiveAdmins(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((r) => r.id);
}

const isLastAdmin = (activeAdmins: string[], user: User) =>
  !user.deactivatedAt && activeAdmins.every((id) => id === user.id);

async function lockStaffMember(db: Db, id: string): Promise<User | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), inArray(users.role, ["agent", "admin"])))
    .for("update");
  return row ?? null;
}
