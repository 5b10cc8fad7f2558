"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { banEmail, unbanEmail } from "@/lib/helpdesk/ban-list";
import { bannedEmailInput } from "@/lib/helpdesk/ban-list-schemas";
import { recordIdInput } from "@/lib/helpdesk/schemas";

const PAGE = "/staff/settings/ban-list";

export async function banEmailAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(bannedEmailInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const banned = await banEmail(await getDb(), admin, input.value);
  if (!banned.ok) return formFailure(banned.error, form);
  revalidatePath(PAGE);
  return { ok: true, message: `${banned.value.email} is now banned.` };
}

export async function unbanEmailAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(recordIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const lifted = await unbanEmail(await getDb(), admin, input.value.id);
  // Gone already (another admin was quicker): refresh the list either way.
  revalidatePath(PAGE);
  if (!lifted.ok) return formFailure(lifted.error);
  return { ok: true, message: `${lifted.value.email} is no longer banned.` };
}
