import "server-only";
import { asc, count, eq } from "drizzle-orm";
import {
  cannedReplies,
  departmentMembers,
  departments,
  helpTopics,
  slaPlans,
  tickets,
  users,
  type CannedReply,
  type Department,
  type HelpTopic,
  type SlaPlan,
  type User,
} from "@/db/schema";
import type { Db } from "@/db/types";

export async function listDepartments(db: Db) {
  return db
    .select({
      id: departments.id,
      name: departments.name,
      email: departments.email,
      slaPlanId: departments.slaPlanId,
      slaPlan: slaPlans.name,
      isPublic: departments.isPublic,
      memberCount: count(departmentMembers.userId),
    })
    .from(departments)
    .leftJoin(slaPlans, eq(slaPlans.id, departments.slaPlanId))
    .leftJoin(
      departmentMembers,
      eq(departmentMembers.departmentId, departments.id),
    )
    .groupBy(departments.id, slaPlans.name)
    .orderBy(asc(departments.id));
}

export type DepartmentMember = Pick<
  User,
  "id" | "name" | "email" | "role" | "deactivatedAt"
>;

export type DepartmentDetail = Department & {
  members: DepartmentMember[];
  ticketCount: number;
  helpTopicCount: number;
  cannedReplyCount: number;
};

/** A department with its agents and what still refers to it; null when there is none. */
export async function getDepartment(
  db: Db,
  id: number,
): Promise<DepartmentDetail | null> {
  const [department] = await db
    .select()
    .from(departments)
    .where(eq(departments.id, id));
  if (!department) return null;
  const members = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      deactivatedAt: users.deactivatedAt,
    })
    .from(departmentMembers)
    .innerJoin(users, eq(users.id, departmentMembers.userId))
    .where(eq(departmentMembers.departmentId, id))
    .orderBy(asc(users.name));
  const countIn = async (
    table: typeof tickets | typeof helpTopics | typeof cannedReplies,
  ) => {
    const [row] = await db
      .select({ n: count() })
      .from(table)
      .where(eq(table.departmentId, id));
    return row?.n ?? 0;
  };
  return {
    ...department,
    members,
    ticketCount: await countIn(tickets),
    helpTopicCount: await countIn(helpTopics),
    cannedReplyCount: await countIn(cannedReplies),
  };
}

export async function listHelpTopics(db: Db) {
  return db
    .select({
      id: helpTopics.id,
      name: helpTopics.name,
      departmentId: helpTopics.departmentId,
      department: departments.name,
      priority: helpTopics.priority,
      slaPlanId: helpTopics.slaPlanId,
      slaPlan: slaPlans.name,
      isActive: helpTopics.isActive,
      isPublic: helpTopics.isPublic,
    })
    .from(helpTopics)
    .innerJoin(departments, eq(departments.id, helpTopics.departmentId))
    .leftJoin(slaPlans, eq(slaPlans.id, helpTopics.slaPlanId))
    .orderBy(asc(helpTopics.id));
}

export async function getHelpTopic(
  db: Db,
  id: number,
): Promise<HelpTopic | null> {
  const [row] = await db.select().from(helpTopics).where(eq(helpTopics.id, id));
  return row ?? null;
}

export async function listSlaPlans(db: Db) {
  return db.select().from(slaPlans).orderBy(asc(slaPlans.id));
}

export async function getSlaPlan(db: Db, id: number): Promise<SlaPlan | null> {
  const [row] = await db.select().from(slaPlans).where(eq(slaPlans.id, id));
  return row ?? null;
}

export async function listCannedReplies(db: Db) {
  return db
    .select({
      id: cannedReplies.id,
      title: cannedReplies.title,
      body: cannedReplies.body,
      departmentId: cannedReplies.departmentId,
      department: departments.name,
      isActive: cannedReplies.isActive,
      updatedAt: cannedReplies.updatedAt,
    })
    .from(cannedReplies)
    .leftJoin(departments, eq(departments.id, cannedReplies.departmentId))
    .orderBy(asc(cannedReplies.title));
}

export async function getCannedReply(
  db: Db,
  id: number,
): Promise<CannedReply | null> {
  const [row] = await db
    .select()
    .from(cannedReplies)
    .where(eq(cannedReplies.id, id));
  return row ?? null;
}
