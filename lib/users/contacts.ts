import "server-only";
import { users, type User } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit, type AuditInput } from "@/lib/audit/record-audit";
import { getUserByEmail } from "@/lib/users/queries";

export type NewContact = {
  email: string;
  name: string;
  phone?: string | null;
  notes?: string | null;
};

/**
 * A customer without a password, as mail, the API or an agent first meets them: they can claim the
 * account later through a password reset. Another door creating the same address a moment earlier
 * wins, and its row is returned. Runs inside the caller's transaction, the one that opens the ticket.
 */
export async function createContact(
  tx: Db,
  contact: NewContact,
  actor: AuditInput["actor"],
  via: "email" | "api" | "staff" | "contact",
  now: Date,
): Promise<User> {
  const [created] = await tx
    .insert(users)
    .values({
      email: contact.email.trim(),
      name: contact.name,
      phone: contact.phone ?? null,
      notes: contact.notes ?? null,
      role: "customer",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    const existing = await getUserByEmail(tx, contact.email);
    if (!existing) throw new Error("user vanished after a conflicting insert");
    return existing;
  }
  await recordAudit(tx, {
    actor,
    action: "user.created",
    entityType: "user",
    entityId: created.id,
    data: { email: created.email, via },
    at: now,
  });
  return created;
}
