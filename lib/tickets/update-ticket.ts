import "server-only";
import { and, desc, eq, inArray, isNull, ne, or } from "drizzle-orm";
import {
  auditLog,
  departments,
  helpTopics,
  tickets,
  users,
  type Ticket,
  type TicketStatus,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { PRIORITY_LABELS } from "@/lib/helpdesk/schemas";
import { fail, ok, type FieldErrors, type Result } from "@/lib/result";
import {
  changedFrom,
  conflictsWith,
  stillDifferent,
  type PropertyChanges,
  type TicketProperties,
  type TicketProperty,
  type VersionedProperties,
} from "@/lib/tickets/property-conflicts";
import {
  TICKET_STATUS_LABELS,
  type BulkUpdateInput,
  type TicketUpdateInput,
} from "@/lib/tickets/schemas";
import { lockTicketByNumber } from "@/lib/tickets/lock";
import { replanTicket, slaClockUpdate } from "@/lib/tickets/sla-clock";

type Changes = PropertyChanges;
const isClosed = (s: TicketStatus) => s === "resolved" || s === "closed";

const propertiesOf = (t: Ticket): TicketProperties => ({
  assigneeId: t.assigneeId,
  status: t.status,
  priority: t.priority,
  departmentId: t.departmentId,
  helpTopicId: t.helpTopicId,
});

/**
 * Applies an agent's property changes to one ticket. Each real change is one audit entry, which the
 * thread shows as an event ("Assigned to Sam", "Status changed from open to resolved").
 *
 * With `seen` (what the agent's form showed), only what this agent changed is written, and a
 * property a colleague changed meanwhile to something else is refused with who changed it and when.
 */
export async function updateTicket(
  db: Db,
  agent: Viewer,
  input: TicketUpdateInput,
  now = new Date(),
): Promise<Result<Ticket>> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicketByNumber(tx, input.number);
    if (!ticket) return fail("not_found", "We couldn't find that ticket.");
    const { number: _, seen, ...wanted } = input;
    if (!seen) return applyChanges(tx, agent, ticket, wanted, now);
    const current = propertiesOf(ticket);
    const changes = changedFrom(seen, wanted);
    if (ticket.version !== seen.version) {
      const conflicts = conflictsWith(seen, current, changes);
      if (conflicts.length)
        return fail(
          "conflict",
          "Someone changed this ticket while you were editing it. Your choices are kept: check them and save again to apply them.",
          { fields: await describeConflicts(tx, ticket, conflicts) },
        );
    }
    return applyChanges(
      tx,
      agent,
      ticket,
      stillDifferent(current, changes),
      now,
    );
  });
}

/** What the properties panel is based on: the ticket's values and version now. */
export async function readTicketProperties(
  db: Db,
  number: string,
): Promise<VersionedProperties | null> {
  const [row] = await db
    .select({
      version: tickets.version,
      assigneeId: tickets.assigneeId,
      status: tickets.status,
      priority: tickets.priority,
      departmentId: tickets.departmentId,
      helpTopicId: tickets.helpTopicId,
    })
    .from(tickets)
    .where(eq(tickets.number, number));
  return row ?? null;
}

const AUDIT_ACTION: Record<TicketProperty, string> = {
  assigneeId: "ticket.assigned",
  status: "ticket.status_changed",
  priority: "ticket.priority_changed",
  departmentId: "ticket.department_changed",
  helpTopicId: "ticket.help_topic_changed",
};

/** Per property: "Sam Lee changed it to High at 14:02 (UTC)." from the ticket's audit trail. */
async function describeConflicts(
  tx: Db,
  ticket: Ticket,
  conflicts: TicketProperty[],
): Promise<FieldErrors> {
  const events = await tx
    .select({
      action: auditLog.action,
      actorName: users.name,
      at: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        eq(auditLog.ticketId, ticket.id),
        inArray(
          auditLog.action,
          conflicts.map((p) => AUDIT_ACTION[p]),
        ),
      ),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(conflicts.length * 5);
  const names = await valueNames(tx, ticket);
  const fields: FieldErrors = {};
  for (const p of conflicts) {
    const last = events.find((e) => e.action === AUDIT_ACTION[p]);
    const who = last?.actorName?.trim() || "Someone";
    const when = last ? ` at ${formatTime(last.at)}` : "";
    fields[p] = [
      `${who} changed this to ${names[p]}${when}. Your choice is kept: save again to apply it.`,
    ];
  }
  return fields;
}

async function valueNames(
  tx: Db,
  t: Ticket,
): Promise<Record<TicketProperty, string>> {
  const [assignee] = t.assigneeId
    ? await tx
        .select({ name: users.name })
        .from(users)
        .where(eq(users.id, t.assigneeId))
    : [];
  const [department] = await tx
    .select({ name: departments.name })
    .from(departments)
    .where(eq(departments.id, t.departmentId));
  const [topic] = t.helpTopicId
    ? await tx
        .select({ name: helpTopics.name })
        .from(helpTopics)
        .where(eq(helpTopics.id, t.helpTopicId))
    : [];
  const quoted = (name: string | undefined, none: string) =>
    name?.trim() ? `“${name.trim()}”` : none;
  return {
    assigneeId: t.assigneeId
      ? quoted(assignee?.name, "another agent")
      : "Unassigned",
    status: TICKET_STATUS_LABELS[t.status],
    priority: PRIORITY_LABELS[t.priority],
    departmentId: quoted(department?.name, "another department"),
    helpTopicId: t.helpTopicId
      ? quoted(topic?.name, "another topic")
      : "no help topic",
  };
}

const formatTime = (at: Date) =>
  `${at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" })} UTC`;

/**
 * The same changes on many tickets at once, all or nothing. With `seen` (what the queue showed),
 * a ticket whose assignee or status a colleague changed meanwhile to something else refuses the
 * whole batch, naming the tickets, so nothing is half applied.
 */
export async function bulkUpdateTickets(
  db: Db,
  agent: Viewer,
  input: BulkUpdateInput,
  now = new Date(),
): Promise<Result<{ updated: number }>> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(tickets)
      .where(inArray(tickets.id, input.ids))
      .orderBy(tickets.number)
      .for("update");
    const wanted: Changes = {
      assigneeId: input.assigneeId,
      status: input.status,
    };
    const stale: string[] = [];
    for (const ticket of rows) {
      const seen = input.seen?.[ticket.id];
      if (!seen) continue;
      const current = propertiesOf(ticket);
      const base = { ...current, ...seen };
      if (conflictsWith(base, current, changedFrom(base, wanted)).length)
        stale.push(`#${ticket.number}`);
    }
    if (stale.length)
      return fail(
        "conflict",
        `${listOf(stale)} changed while you were choosing (someone else assigned ${stale.length === 1 ? "it or changed its" : "them or changed their"} status). Nothing was applied: check the refreshed queue and apply again.`,
      );
    let updated = 0;
    for (const ticket of rows) {
      const r = await applyChanges(tx, agent, ticket, wanted, now);
      if (!r.ok) return r;
      updated++;
    }
    return ok({ updated });
  });
}

const listOf = (items: string[]) =>
  items.length <= 5
    ? items.join(", ")
    : `${items.slice(0, 5).join(", ")} and ${items.length - 5} more`;

async function applyChanges(
  tx: Db,
  agent: Viewer,
  ticket: Ticket,
  c: Changes,
  now: Date,
): Promise<Result<Ticket>> {
  const set: Partial<typeof tickets.$inferInsert> = {};
  const events: Array<{ action: string; data: Record<string, unknown> }> = [];

  if (c.assigneeId !== undefined && c.assigneeId !== ticket.assigneeId) {
    let toName: string | null = null;
    if (c.assigneeId) {
      const [assignee] = await tx
        .select({ name: users.name })
        .from(users)
        .where(
          and(
            eq(users.id, c.assigneeId),
            or(eq(users.role, "agent"), eq(users.role, "admin")),
            isNull(users.deactivatedAt),
          ),
        );
      if (!assignee)
        return fail("invalid_input", "Choose an active agent.", {
          fields: { assigneeId: ["Choose an active agent."] },
        });
      toName = assignee.name;
    }
    const from = ticket.assigneeId
      ? ((
          await tx
            .select({ name: users.name })
            .from(users)
            .where(eq(users.id, ticket.assigneeId))
        )[0]?.name ?? null)
      : null;
    set.assigneeId = c.assigneeId;
    events.push({
      action: "ticket.assigned",
      data: { from, to: toName, toId: c.assigneeId },
    });
  }

  if (c.status && c.status !== ticket.status) {
    set.status = c.status;
    if (isClosed(c.status)) set.closedAt = ticket.closedAt ?? now;
    else if (isClosed(ticket.status)) set.closedAt = null;
    // Pending pauses the SLA clock, open resumes it, finished clears it.
    Object.assign(set, await slaClockUpdate(tx, ticket, c.status, now));
    events.push({
      action: "ticket.status_changed",
      data: { from: ticket.status, to: c.status },
    });
  }

  if (c.priority && c.priority !== ticket.priority) {
    set.priority = c.priority;
    events.push({
      action: "ticket.priority_changed",
      data: { from: ticket.priority, to: c.priority },
    });
  }

  if (c.departmentId && c.departmentId !== ticket.departmentId) {
    const rows = await tx
      .select({ id: departments.id, name: departments.name })
      .from(departments)
      .where(inArray(departments.id, [c.departmentId, ticket.departmentId]));
    const to = rows.find((r) => r.id === c.departmentId);
    if (!to)
      return fail("invalid_input", "Choose a department.", {
        fields: { departmentId: ["Choose a department."] },
      });
    set.departmentId = to.id;
    events.push({
      action: "ticket.department_changed",
      data: {
        from: rows.find((r) => r.id === ticket.departmentId)?.name ?? null,
        to: to.name,
      },
    });
  }

  if (c.helpTopicId === null && ticket.helpTopicId !== null) {
    set.helpTopicId = null;
    events.push({ action: "ticket.help_topic_changed", data: { to: null } });
  } else if (c.helpTopicId && c.helpTopicId !== ticket.helpTopicId) {
    const [topic] = await tx
      .select({ id: helpTopics.id, name: helpTopics.name })
      .from(helpTopics)
      .where(
        and(eq(helpTopics.id, c.helpTopicId), ne(helpTopics.isActive, false)),
      );
    if (!topic)
      return fail("invalid_input", "Choose a help topic.", {
        fields: { helpTopicId: ["Choose a help topic."] },
      });
    set.helpTopicId = topic.id;
    events.push({
      action: "ticket.help_topic_changed",
      data: { to: topic.name },
    });
  }

  if (set.departmentId !== undefined || set.helpTopicId !== undefined) {
    // Another department or topic may bring another SLA plan: its grace period then applies.
    const replanned = await replanTicket(tx, { ...ticket, ...set });
    if (replanned) {
      set.slaPlanId = replanned.slaPlanId;
      set.dueAt = replanned.dueAt;
      events.push({
        action: "ticket.sla_changed",
        data: {
          plan: replanned.planName,
          dueAt: replanned.dueAt?.toISOString() ?? null,
        },
      });
    }
  }

  if (events.length === 0) return ok(ticket);
  const [updated] = await tx
    .update(tickets)
    .set({ ...set, updatedAt: now })
    .where(eq(tickets.id, ticket.id))
    .returning();
  for (const e of events) {
    await recordAudit(tx, {
      actor: { kind: "user", id: agent.id },
      action: e.action,
      entityType: "ticket",
      entityId: ticket.id,
      ticketId: ticket.id,
      data: e.data,
      at: now,
    });
  }
  return ok(updated!);
}
