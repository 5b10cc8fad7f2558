import "server-only";
import { asc, eq } from "drizzle-orm";
import { cannedReplies, departments, helpTopics, slaPlans } from "@/db/schema";
import type { Db } from "@/db/types";

export async function listDepartments(db: Db) {
  return db
    .select({
      id: departments.id,
      name: departments.name,
      email: departments.email,
      slaPlan: slaPlans.name,
      isPublic: departments.isPublic,
    })
    .from(departments)
    .leftJoin(slaPlans, eq(slaPlans.id, departments.slaPlanId))
    .orderBy(asc(departments.id));
}

export async function listHelpTopics(db: Db) {
  return db
    .select({
      id: helpTopics.id,
      name: helpTopics.name,
      department: departments.name,
      priority: helpTopics.priority,
      slaPlan: slaPlans.name,
      isActive: helpTopics.isActive,
      isPublic: helpTopics.isPublic,
    })
    .from(helpTopics)
    .innerJoin(departments, eq(departments.id, helpTopics.departmentId))
    .leftJoin(slaPlans, eq(slaPlans.id, helpTopics.slaPlanId))
    .orderBy(asc(helpTopics.id));
}

export async function listSlaPlans(db: Db) {
  return db.select().from(slaPlans).orderBy(asc(slaPlans.id));
}

export async function listCannedReplies(db: Db) {
  return db
    .select({
      id: cannedReplies.id,
      title: cannedReplies.title,
      department: departments.name,
      isActive: cannedReplies.isActive,
    })
    .from(cannedReplies)
    .leftJoin(departments, eq(departments.id, cannedReplies.departmentId))
    .orderBy(asc(cannedReplies.title));
}
