"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { TICKET_STATUSES } from "@/lib/tickets/schemas";
import { bulkUpdateTickets } from "@/lib/tickets/update-ticket";

// The queue's bulk bar: "" leaves a property alone; "unassigned" clears the assignee.
const bulkForm = z
  .object({
    ids: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.uuid()).min(1, "Select at least one ticket.").max(200),
    ),
    assignee: z
      .union([z.literal(""), z.literal("unassigned"), z.uuid()])
      .default(""),
    status: z.union([z.literal(""), z.enum(TICKET_STATUSES)]).default(""),
    // "id|assigneeId|status" per selected ticket: what the queue showed when the agent chose.
    seen: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(
        z
          .string()
          .transform((v) => v.split("|"))
          .pipe(
            z.tuple([
              z.uuid(),
              z.union([z.literal(""), z.uuid()]),
              z.enum(TICKET_STATUSES),
            ]),
          ),
      ),
    ),
  })
  .refine((v) => v.assignee !== "" || v.status !== "", {
    path: ["form"],
    message: "Choose an assignee or a status to apply.",
  });

export async function bulkUpdateAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent("/staff");
  const input = parseForm(bulkForm, form);
  if (!input.ok) return formFailure(input.error);
  const { ids, assignee, status, seen } = input.value;
  const result = await bulkUpdateTickets(await getDb(), agent, {
    ids,
    assigneeId:
      assignee === "" ? undefined : assignee === "unassigned" ? null : assignee,
    status: status === "" ? undefined : status,
    seen: Object.fromEntries(
      seen.map(([id, assigneeId, status]) => [
        id,
        { assigneeId: assigneeId || null, status },
      ]),
    ),
  });
  if (!result.ok) {
    // A refusal because tickets changed: the queue refreshes so the agent sees why.
    if (result.error.code === "conflict") revalidatePath("/staff");
    return formFailure(result.error, form);
  }
  revalidatePath("/staff");
  return {
    ok: true,
    message: `Updated ${result.value.updated} ticket${result.value.updated === 1 ? "" : "s"}.`,
  };
}
