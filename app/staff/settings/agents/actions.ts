"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import {
  deactivateAgent,
  inviteAgent,
  reactivateAgent,
  resendAgentInvite,
  updateAgent,
} from "@/lib/users/agents";
import {
  agentIdInput,
  agentInviteInput,
  agentUpdateInput,
} from "@/lib/users/schemas";

const PAGE = "/staff/settings/agents";

export async function inviteAgentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(agentInviteInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const invited = await inviteAgent(db, admin, input.value, {
    appUrl: env().appUrl,
  });
  if (!invited.ok) return formFailure(invited.error, form);
  deliverSoon(db);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: `Invitation sent to ${invited.value.email}. The link works for 7 days.`,
  };
}

export async function updateAgentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(agentUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await updateAgent(await getDb(), admin, input.value);
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath("/staff", "layout");
  // An admin who made themselves an agent can no longer see settings.
  if (saved.value.id === admin.id && saved.value.role !== "admin")
    redirect("/staff");
  return { ok: true, message: "Changes saved." };
}

export async function deactivateAgentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(agentIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const done = await deactivateAgent(await getDb(), admin, input.value.id);
  if (!done.ok) return formFailure(done.error);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: `${done.value.name} is deactivated and signed out everywhere.`,
  };
}

export async function reactivateAgentAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(agentIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const done = await reactivateAgent(await getDb(), admin, input.value.id);
  if (!done.ok) return formFailure(done.error);
  revalidatePath("/staff/settings", "layout");
  return { ok: true, message: `${done.value.name} can sign in again.` };
}

export async function resendAgentInviteAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(agentIdInput, form);
  if (!input.ok) return formFailure(input.error);
  const db = await getDb();
  const sent = await resendAgentInvite(db, admin, input.value.id, {
    appUrl: env().appUrl,
  });
  if (!sent.ok) return formFailure(sent.error);
  deliverSoon(db);
  revalidatePath("/staff/settings", "layout");
  return {
    ok: true,
    message: `A new invitation is on its way to ${sent.value.email}. Earlier links no longer work.`,
  };
}
