"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import {
  createHelpTopic,
  setHelpTopicActive,
  updateHelpTopic,
} from "@/lib/helpdesk/help-topics";
import {
  activeToggleInput,
  helpTopicInput,
  helpTopicUpdateInput,
} from "@/lib/helpdesk/schemas";

const PAGE = "/staff/settings/help-topics";

export async function createHelpTopicAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(helpTopicInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const created = await createHelpTopic(await getDb(), admin, input.value);
  if (!created.ok) return formFailure(created.error, form);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: `Help topic “${created.value.name}” created with id ${created.value.id}.`,
  };
}

export async function updateHelpTopicAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(helpTopicUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await updateHelpTopic(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: "Changes saved." };
}

export async function setHelpTopicActiveAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(activeToggleInput, form);
  if (!input.ok) return formFailure(input.error);
  const saved = await setHelpTopicActive(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: saved.value.isActive
      ? "Help topic activated."
      : "Help topic deactivated.",
  };
}
