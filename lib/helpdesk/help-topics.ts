import "server-only";
import { eq } from "drizzle-orm";
import { helpTopics, type HelpTopic } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { holdDepartments, holdSlaPlan } from "@/lib/helpdesk/references";
import type {
  ActiveToggleInput,
  HelpTopicInput,
  HelpTopicUpdateInput,
} from "@/lib/helpdesk/schemas";
import {
  adminTransaction,
  auditedInsert,
  auditedUpdate,
  type SettingsKind,
} from "@/lib/helpdesk/settings-write";
import { fail, ok, type Result } from "@/lib/result";

// Help topics are never deleted: osTicket API callers and old tickets refer to them by id, so an
// unwanted topic is deactivated instead (hidden from new tickets, still resolvable).

const HELP_TOPIC: SettingsKind = {
  entityType: "help_topic",
  gone: "This help topic no longer exists.",
  unique: {
    field: "name",
    message: "A help topic with this name already exists.",
  },
};
const NO_DEPARTMENT = "Choose a department from the list.";
const NO_PLAN = "Choose an SLA plan from the list.";

async function checkReferences(
  db: Db,
  input: HelpTopicInput,
): Promise<Result<null>> {
  if (!(await holdDepartments(db, [input.departmentId])))
    return fail("invalid_input", NO_DEPARTMENT, {
      fields: { departmentId: [NO_DEPARTMENT] },
    });
  if (!(await holdSlaPlan(db, input.slaPlanId)))
    return fail("invalid_input", NO_PLAN, { fields: { slaPlanId: [NO_PLAN] } });
  return ok(null);
}

export async function createHelpTopic(
  db: Db,
  actor: Viewer,
  input: HelpTopicInput,
  now = new Date(),
): Promise<Result<HelpTopic>> {
  return adminTransaction(db, actor, HELP_TOPIC, async (tx) => {
    const refs = await checkReferences(tx, input);
    if (!refs.ok) return refs;
    return auditedInsert(tx, actor, HELP_TOPIC, {
      now,
      data: { ...input },
      insert: () =>
        tx
          .insert(helpTopics)
          .values({ ...input, createdAt: now, updatedAt: now })
          .returning(),
    });
  });
}

export async function updateHelpTopic(
  db: Db,
  actor: Viewer,
  input: HelpTopicUpdateInput,
  now = new Date(),
): Promise<Result<HelpTopic>> {
  const { id, ...fields } = input;
  return adminTransaction(db, actor, HELP_TOPIC, (tx) =>
    auditedUpdate(tx, actor, HELP_TOPIC, {
      now,
      fields,
      lock: () => lockHelpTopic(tx, id),
      check: () => checkReferences(tx, fields),
      write: () =>
        tx
          .update(helpTopics)
          .set({ ...fields, updatedAt: now })
          .where(eq(helpTopics.id, id))
          .returning(),
    }),
  );
}

/** Deactivates (or reactivates) a help topic. Setting the state it already has is a no-op. */
export async function setHelpTopicActive(
  db: Db,
  actor: Viewer,
  input: ActiveToggleInput,
  now = new Date(),
): Promise<Result<HelpTopic>> {
  return adminTransaction(db, actor, HELP_TOPIC, (tx) =>
    auditedUpdate(tx, actor, HELP_TOPIC, {
      now,
      fields: { isActive: input.isActive },
      lock: () => lockHelpTopic(tx, input.id),
      write: () =>
        tx
          .update(helpTopics)
          .set({ isActive: input.isActive, updatedAt: now })
          .where(eq(helpTopics.id, input.id))
          .returning(),
      action: input.isActive
        ? "help_topic.activated"
        : "help_topic.deactivated",
      data: (_changes, before) => ({ name: before.name }),
    }),
  );
}

const lockHelpTopic = (tx: Db, id: number) =>
  tx.select().from(helpTopics).where(eq(helpTopics.id, id)).for("update");
