"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { slaPlanInput, slaPlanUpdateInput } from "@/lib/helpdesk/schemas";
import {
  addSlaHoliday,
  createSlaPlan,
  removeSlaHoliday,
  setSlaPlanHours,
  updateSlaPlan,
} from "@/lib/helpdesk/sla-plans";
import {
  slaHolidayInput,
  slaHolidayRemoval,
  slaHoursInput,
} from "@/lib/helpdesk/sla-plan-schemas";

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

export async function saveSlaHoursAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaHoursInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await setSlaPlanHours(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: "Working hours saved." };
}

export async function addSlaHolidayAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaHolidayInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await addSlaHoliday(await getDb(), admin, input.value);
  if (!added.ok) return formFailure(added.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: `Holiday ${added.value.day} added.` };
}

export async function removeSlaHolidayAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaHolidayRemoval, form);
  if (!input.ok) return formFailure(input.error);
  const removed = await removeSlaHoliday(await getDb(), admin, input.value);
  if (!removed.ok) return formFailure(removed.error);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: "Holiday removed." };
}
