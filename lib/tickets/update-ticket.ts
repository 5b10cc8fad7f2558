import "server-only";
import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import {
  departments,
  helpTopics,
  slaPlans,
  tickets,
  users,
  type Ticket,
  type TicketStatus,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Viewer } from "@/lib/auth/viewer";
import { fail, ok, type Result } from "@/lib/result";
import type { BulkUpdateInput, TicketUpdateInput } from "@/lib/tickets/schemas";
import { slaDueAt } from "@/lib/tickets/sla";

type Changes = Omit<TicketUpdateInput, "number">;
const isClosed = (s: TicketStatus) => s === "resolved" || s === "closed";

/**
 * Applies an agent's property changes to one ticket. Each real change is one audit entry, which the
 * thread shows as an event ("Assigned to Sam", "Status changed from open to resolved").
 */
export async function updateTicket(
  db: Db,
  agent: Viewer,
  input: TicketUpdateInput,
  now = new Date(),
): Promise<Result<Ticket>> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(eq(tickets.number, input.number))
      .for("update");
    if (!ticket) return fail("not_found", "We couldn't find that ticket.");
    return applyChanges(tx, agent, ticket, input, now);
  });
}

/** The same changes on many tickets at once, all or nothing. */
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
      .for("update");
    let updated = 0;
    for (const ticket of rows) {
      const r = await applyChanges(
        tx,
        agent,
        ticket,
        { assigneeId: input.assigneeId, status: input.status },
        now,
      );
      if (!r.ok) return r;
      updated++;
    }
    return ok({ updated });
  });
}

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
    if (isClosed(c.status)) {
      set.closedAt = ticket.closedAt ?? now;
      set.dueAt = null;
    } else if (isClosed(ticket.status)) {
      set.closedAt = null;
      const [plan] = ticket.slaPlanId
        ? await tx
            .select()
            .from(slaPlans)
            .where(eq(slaPlans.id, ticket.slaPlanId))
        : [];
      set.dueAt = plan ? slaDueAt(now, plan.gracePeriodHours) : null;
    }
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

  if (c.helpTopicId && c.helpTopicId !== ticket.helpTopicId) {
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
