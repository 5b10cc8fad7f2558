import "server-only";
import { and, asc, eq, isNull, or } from "drizzle-orm";
import { cannedReplies, departments, helpTopics } from "@/db/schema";
import type { Db } from "@/db/types";

// The choices the ticket forms offer.

export async function listPublicHelpTopics(
  db: Db,
): Promise<Array<{ id: number; name: string }>> {
  return db
    .select({ id: helpTopics.id, name: helpTopics.name })
    .from(helpTopics)
    .where(and(eq(helpTopics.isActive, true), eq(helpTopics.isPublic, true)))
    .orderBy(asc(helpTopics.name));
}

export async function listActiveHelpTopics(
  db: Db,
): Promise<Array<{ id: number; name: string }>> {
  return db
    .select({ id: helpTopics.id, name: helpTopics.name })
    .from(helpTopics)
    .where(eq(helpTopics.isActive, true))
    .orderBy(asc(helpTopics.name));
}

export async function listDepartmentOptions(
  db: Db,
): Promise<Array<{ id: number; name: string }>> {
  return db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .orderBy(asc(departments.name));
}

/** Canned replies an agent may use on a ticket of `departmentId`: its own and the shared ones. */
export async function listCannedRepliesFor(
  db: Db,
  departmentId: number,
): Promise<Array<{ id: number; title: string; body: string }>> {
  return db
    .select({
      id: cannedReplies.id,
      title: cannedReplies.title,
      body: cannedReplies.body,
    })
    .from(cannedReplies)
    .where(
      and(
        eq(cannedReplies.isActive, true),
        or(
          isNull(cannedReplies.departmentId),
          eq(cannedReplies.departmentId, departmentId),
        ),
      ),
    )
    .orderBy(asc(cannedReplies.title));
}
