"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { slaPlanInput, slaPlanUpdateInput } from "@/lib/helpdesk/schemas";
import { createSlaPlan, updateSlaPlan } from "@/lib/helpdesk/sla-plans";

const PAGE = "/staff/settings/sla-plans";

export async function createSlaPlanAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaPlanInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const created = await createSlaPlan(await getDb(), admin, input.value);
  if (!created.ok) return formFailure(created.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: `SLA plan “${created.value.name}” created.` };
}

export async function updateSlaPlanAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaPlanUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await updateSlaPlan(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: "Changes saved." };
}
