import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  departmentMembers,
  departments,
  helpTopics,
  slaHolidays,
  slaPlans,
  users,
  type Department,
  type HelpTopic,
  type SlaPlan,
  type TicketPriority,
  type User,
} from "@/db/schema";
import { preparedQuery } from "@/db/prepared";
import type { Db } from "@/db/types";
import { bannedAddress } from "@/lib/helpdesk/ban-list";
import { wantsAlertSql } from "@/lib/tickets/alert-settings";
import type { AlertRecipient } from "@/lib/tickets/notify";
import { clockPlanOf, slaDueAt } from "@/lib/tickets/sla";

// Where a new ticket goes: one read loads the facts (the asked-for topic and departments, their
// plans and agents), and decideRouting applies the rules to them without the database.

export type PlanFacts = Pick<
  SlaPlan,
  "id" | "gracePeriodHours" | "isActive" | "businessHours" | "timeZone"
> & { holidays: string[] };

export type DepartmentFacts = Pick<Department, "id" | "name"> & {
  /** The department's own plan, active or not. */
  plan: PlanFacts | null;
  /** Its agents who get new-ticket alerts: active, deliverable, not opted out. */
  alertRecipients: AlertRecipient[];
};

export type TopicFacts = Pick<
  HelpTopic,
  "id" | "name" | "priority" | "isActive"
> & {
  /** The topic's own plan, active or not. */
  plan: PlanFacts | null;
  department: DepartmentFacts;
};

/** Everything routing reads, whether or not the rules end up using it. */
export type RoutingFacts = {
  /** The asked-for topic, active or not; null when none was asked for or it does not exist. */
  topic: TopicFacts | null;
  /** The asked-for department; null when none was asked for or it does not exist. */
  requestedDepartment: DepartmentFacts | null;
  /** The department with the lowest id: where a ticket with nothing to go by lands. */
  firstDepartment: DepartmentFacts | null;
};

/** What the door opening the ticket asks for, beside the topic whose facts were read. */
export type RoutingRequest = {
  departmentId?: number;
  priority?: TicketPriority;
  /** Overrides the SLA due time (osTicket's API `duedate`). */
  dueAt?: Date;
  /** Alert the department's agents (default true). */
  alert?: boolean;
};

/** Where a new ticket goes and what it starts with. */
export type Routing = {
  topic: Pick<HelpTopic, "id" | "name"> | null;
  department: Pick<Department, "id" | "name">;
  slaPlanId: number | null;
  priority: TicketPriority;
  dueAt: Date | null;
  /** Whom to alert: empty when the door asked for no alert. */
  alertRecipients: AlertRecipient[];
};

/**
 * The rules, in order: an inactive topic counts as none; the topic's department, else the asked-for
 * one (which must exist), else the first; the topic's plan over the department's, and an inactive
 * plan applies to nothing; the asked-for priority, else the topic's, else normal; the asked-for
 * due time, else the plan's. Null when no department can receive the ticket.
 */
export function decideRouting(
  facts: RoutingFacts,
  request: RoutingRequest,
  now: Date,
): Routing | null {
  const topic = facts.topic?.isActive ? facts.topic : null;
  const department = topic
    ? topic.department
    : request.departmentId !== undefined
      ? facts.requestedDepartment
      : facts.firstDepartment;
  if (!department) return null;
  const chosenPlan = topic?.plan ?? department.plan;
  const plan = chosenPlan?.isActive ? chosenPlan : null;
  return {
    topic: topic && { id: topic.id, name: topic.name },
    department: { id: department.id, name: department.name },
    slaPlanId: plan?.id ?? null,
    priority: request.priority ?? topic?.priority ?? "normal",
    dueAt:
      request.dueAt ??
      (plan ? slaDueAt(now, clockPlanOf(plan, plan.holidays)) : null),
    alertRecipients: (request.alert ?? true) ? department.alertRecipients : [],
  };
}

/** The routing facts, with the sender's account and ban for a caller that asks, in one read. */
export type RoutingRead = {
  facts: RoutingFacts;
  /** The user with `contactEmail`, case-insensitively. */
  contact: User | null;
  /** Whether `contactEmail` is on the ban list. */
  banned: boolean;
};

/**
 * Reads the facts for a topic and department and, in the same round trip, who `contactEmail`
 * belongs to and whether it is banned: the API needs both before it opens a ticket (pass the facts
 * on to openTicket).
 */
export async function readRoutingFacts(
  db: Db,
  t: { helpTopicId?: number; departmentId?: number; contactEmail?: string },
): Promise<RoutingRead> {
  const [row] = await routingFactsQuery(db).execute({
    topic: t.helpTopicId ?? null,
    department: t.departmentId ?? null,
    email: t.contactEmail?.trim().toLowerCase() ?? null,
  });
  if (!row) throw new Error("the routing read returned no row");
  const { topic, requestedDepartment, firstDepartment, contact, banned } = row;
  return {
    facts: { topic, requestedDepartment, firstDepartment },
    contact,
    banned,
  };
}

// Each fact is one JSON value built by a scalar subquery, so a missing row is a null, not a join
// that empties the read: the read always returns its one row, the contact included. In raw SQL an
// alias prints as its bare name, so each FROM names the table and then the alias.

const plan = alias(slaPlans, "plan");
function planFacts(id: SQL): SQL<PlanFacts | null> {
  return sql`(select json_build_object('id', ${plan.id},
      'gracePeriodHours', ${plan.gracePeriodHours}, 'isActive', ${plan.isActive},
      'businessHours', ${plan.businessHours}, 'timeZone', ${plan.timeZone},
      'holidays', coalesce((select json_agg(${slaHolidays.day}::text order by ${slaHolidays.day})
        from ${slaHolidays} where ${slaHolidays.slaPlanId} = ${plan.id}), '[]'::json))
    from ${slaPlans} ${plan} where ${plan.id} = ${id})`;
}

const department = alias(departments, "department");
function departmentFacts(id: SQL): SQL<DepartmentFacts | null> {
  return sql`(select json_build_object('id', ${department.id}, 'name', ${department.name},
      'plan', ${planFacts(sql`${department.slaPlanId}`)},
      'alertRecipients', coalesce((
        select json_agg(json_build_object('name', ${users.name}, 'email', ${users.email}))
        from ${departmentMembers} join ${users} on ${users.id} = ${departmentMembers.userId}
        where ${departmentMembers.departmentId} = ${department.id}
          and ${users.deactivatedAt} is null and ${users.emailUndeliverableAt} is null
          and ${wantsAlertSql(sql`${users.id}`, "new_ticket")}
      ), '[]'::json))
    from ${departments} ${department} where ${department.id} = ${id})`;
}

const topic = alias(helpTopics, "topic");
function topicFacts(id: SQL): SQL<TopicFacts | null> {
  return sql`(select json_build_object('id', ${topic.id}, 'name', ${topic.name},
      'priority', ${topic.priority}, 'isActive', ${topic.isActive},
      'plan', ${planFacts(sql`${topic.slaPlanId}`)},
      'department', ${departmentFacts(sql`${topic.departmentId}`)})
    from ${helpTopics} ${topic} where ${topic.id} = ${id})`;
}

const contactUser = alias(users, "contact");

const routingFactsQuery = preparedQuery((db) =>
  db
    .select({
      topic: topicFacts(sql`${sql.placeholder("topic")}::int`),
      requestedDepartment: departmentFacts(
        sql`${sql.placeholder("department")}::int`,
      ),
      firstDepartment: departmentFacts(
        sql`(select min(${departments.id}) from ${departments})`,
      ),
      contact: contactUser,
      banned: bannedAddress(sql`${sql.placeholder("email")}::text`),
    })
    .from(sql`(values (1)) as one`)
    .leftJoin(
      contactUser,
      sql`lower(${contactUser.email}) = ${sql.placeholder("email")}::text`,
    )
    .prepare("ticket_routing"),
);
