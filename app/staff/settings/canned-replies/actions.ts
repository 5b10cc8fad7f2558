"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import {
  createCannedReply,
  deleteCannedReply,
  setCannedReplyActive,
  updateCannedReply,
} from "@/lib/helpdesk/canned-replies";
import {
  activeToggleInput,
  cannedReplyInput,
  cannedReplyUpdateInput,
  recordIdInput,
} from "@/lib/helpdesk/schemas";

const PAGE = "/staff/settings/canned-replies";

export async function createCannedReplyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(cannedReplyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const created = await createCannedReply(await getDb(), admin, input.value);
  if (!created.ok) return formFailure(created.error, form);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: `Canned reply “${created.value.title}” created.`,
  };
}

export async function updateCannedReplyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(cannedReplyUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await updateCannedReply(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: "Changes saved." };
}

export async function setCannedReplyActiveAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(activeToggleInput, form);
  if (!input.ok) return formFailure(input.error);
  const saved = await setCannedReplyActive(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: saved.value.isActive
      ? "Canned reply activated."
      : "Canned reply deactivated.",
  };
}

export async function deleteCannedReplyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(recordIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const deleted = await deleteCannedReply(await getDb(), admin, input.value.id);
  if (!deleted.ok) return formFailure(deleted.error);
  revalidatePath("/staff/settings", "layout");
  redirect(PAGE);
}
