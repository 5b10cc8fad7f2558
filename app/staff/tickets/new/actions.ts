"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { readUploads } from "@/lib/tickets/attachments";
import { staffTicketInput } from "@/lib/tickets/schemas";
import { openTicketForContact } from "@/lib/tickets/staff-open";

export async function openStaffTicketAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent("/staff/tickets/new");
  const input = parseForm(staffTicketInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const { attachments, ...fields } = input.value;
  const files = await readUploads(attachments, env().attachments);
  if (!files.ok) return formFailure(files.error, form);
  const db = await getDb();
  const opened = await openTicketForContact(db, agent, fields, files.value);
  if (!opened.ok) return formFailure(opened.error, form);
  deliverSoon(db);
  revalidatePath("/staff");
  redirect(`/staff/tickets/${opened.value.number}`);
}
