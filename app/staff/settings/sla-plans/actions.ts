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
import { editingPlan } from "@/lib/tickets/sla-clock";

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
  const saved = await editingPlan(await getDb(), input.value.id, (tx) =>
    updateSlaPlan(tx, admin, input.value),
  );
  if (!saved.ok) return formFailure(saved.error, form);
  revalidateAfterEdit();
  return { ok: true, message: `Changes saved.${recounted(saved.value.moved)}` };
}

export async function saveSlaHoursAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaHoursInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await editingPlan(await getDb(), input.value.id, (tx) =>
    setSlaPlanHours(tx, admin, input.value),
  );
  if (!saved.ok) return formFailure(saved.error, form);
  revalidateAfterEdit();
  return {
    ok: true,
    message: `Working hours saved.${recounted(saved.value.moved)}`,
  };
}

export async function addSlaHolidayAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaHolidayInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await editingPlan(await getDb(), input.value.planId, (tx) =>
    addSlaHoliday(tx, admin, input.value),
  );
  if (!added.ok) return formFailure(added.error, form);
  revalidateAfterEdit();
  return {
    ok: true,
    message: `Holiday ${added.value.edited.day} added.${recounted(added.value.moved)}`,
  };
}

export async function removeSlaHolidayAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(slaHolidayRemoval, form);
  if (!input.ok) return formFailure(input.error);
  const removed = await editingPlan(await getDb(), input.value.planId, (tx) =>
    removeSlaHoliday(tx, admin, input.value),
  );
  if (!removed.ok) return formFailure(removed.error);
  revalidateAfterEdit();
  return {
    ok: true,
    message: `Holiday removed.${recounted(removed.value.moved)}`,
  };
}

// Due times shown in the queue and on tickets may have moved along with the plan.
function revalidateAfterEdit() {
  revalidatePath("/staff", "layout");
}

function recounted(moved: number): string {
  return moved === 0
    ? ""
    : ` The due time of ${moved === 1 ? "1 open ticket was" : `${moved} open tickets were`} counted again.`;
}
