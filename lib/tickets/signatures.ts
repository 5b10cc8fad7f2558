import "server-only";
import { eq } from "drizzle-orm";
import { departments, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import { renderCannedReply, type CannedVariables } from "@/lib/tickets/canned";

// Reply signatures, as osTicket has them: each agent may keep their own, each department a default
// for agents who have none. The reply box offers both, filled in and editable, and the one sent is
// added under the message, so the thread shows exactly what the customer got.

export type SignatureChoice = "mine" | "department" | "none";

export type SignatureOptions = {
  mine: string | null;
  department: string | null;
  /** The agent's own when they have one, else the department's, else none. */
  chosen: SignatureChoice;
};

/** Both signatures for `agent` replying on a ticket of `departmentId`, variables filled in. */
export async function signatureOptions(
  db: Db,
  agent: Viewer,
  departmentId: number,
  vars: CannedVariables,
): Promise<SignatureOptions> {
  const [[me], [department]] = await Promise.all([
    db
      .select({ signature: users.signature })
      .from(users)
      .where(eq(users.id, agent.id)),
    db
      .select({ name: departments.name, signature: departments.signature })
      .from(departments)
      .where(eq(departments.id, departmentId)),
  ]);
  const filled = (text: string | null | undefined) =>
    text?.trim()
      ? renderCannedReply(text.trim(), {
          ...vars,
          department: { name: department?.name ?? "" },
        })
      : null;
  const mine = filled(me?.signature);
  const ofDepartment = filled(department?.signature);
  return {
    mine,
    department: ofDepartment,
    chosen: mine ? "mine" : ofDepartment ? "department" : "none",
  };
}

/** The message as sent: the signature under it, after a blank line. */
export function signed(message: string, signature: string | undefined): string {
  const sig = signature?.trim();
  return sig ? `${message.trimEnd()}\n\n${sig}` : message;
}

/** Sets (or, with "", removes) the agent's own signature. */
export async function saveAgentSignature(
  db: Db,
  agent: Viewer,
  signature: string,
  now = new Date(),
): Promise<Result<null>> {
  if (!isStaff(agent)) return fail("forbidden", "Only agents have signatures.");
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ signature: signature.trim() || null, updatedAt: now })
      .where(eq(users.id, agent.id));
    await recordAudit(tx, {
      actor: { kind: "user", id: agent.id },
      action: "user.signature_changed",
      entityType: "user",
      entityId: agent.id,
      data: { cleared: !signature.trim() },
      at: now,
    });
  });
  return ok(null);
}

export async function agentSignature(db: Db, agent: Viewer): Promise<string> {
  const [me] = await db
    .select({ signature: users.signature })
    .from(users)
    .where(eq(users.id, agent.id));
  return me?.signature ?? "";
}
