"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import {
  addDepartmentMember,
  createDepartment,
  deleteDepartment,
  removeDepartmentMember,
  updateDepartment,
} from "@/lib/helpdesk/departments";
import {
  departmentInput,
  departmentMemberInput,
  departmentUpdateInput,
  recordIdInput,
} from "@/lib/helpdesk/schemas";

const PAGE = "/staff/settings/departments";

export async function createDepartmentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(departmentInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const created = await createDepartment(await getDb(), admin, input.value);
  if (!created.ok) return formFailure(created.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: `Department “${created.value.name}” created.` };
}

export async function updateDepartmentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(departmentUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await updateDepartment(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: "Changes saved." };
}

export async function deleteDepartmentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(recordIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const deleted = await deleteDepartment(await getDb(), admin, input.value.id);
  if (!deleted.ok) return formFailure(deleted.error);
  revalidatePath("/staff/settings", "layout");
  redirect(PAGE);
}

export async function addDepartmentMemberAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(departmentMemberInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await addDepartmentMember(await getDb(), admin, input.value);
  if (!added.ok) return formFailure(added.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: added.value.added ? "Agent added." : undefined };
}

export async function removeDepartmentMemberAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(departmentMemberInput, form);
  if (!input.ok) return formFailure(input.error);
  const removed = await removeDepartmentMember(
    await getDb(),
    admin,
    input.value,
  );
  if (!removed.ok) return formFailure(removed.error);
  revalidatePath("/staff/settings", "layout");
  return { ok: true };
}
