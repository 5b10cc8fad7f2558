"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { signatureText } from "@/lib/helpdesk/schemas";
import { ALERT_KINDS } from "@/lib/tickets/alert-kinds";
import { saveAlertSettings } from "@/lib/tickets/alert-settings";
import { saveAgentSignature } from "@/lib/tickets/signatures";

const PAGE = "/staff/account";

// The ticked boxes: every kind not listed is turned off.
const alertSettingsForm = z.object({
  alerts: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(ALERT_KINDS, "Choose among the alerts listed.")),
  ),
});

export async function saveAlertSettingsAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(PAGE);
  const input = parseForm(alertSettingsForm, form);
  if (!input.ok) return formFailure(input.error, form);
  await saveAlertSettings(await getDb(), agent.id, input.value.alerts);
  revalidatePath(PAGE);
  return { ok: true, message: "Your alert choices are saved." };
}

const signatureForm = z.object({ signature: signatureText });

export async function saveSignatureAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(PAGE);
  const input = parseForm(signatureForm, form);
  if (!input.ok) return formFailure(input.error, form);
  const saved = await saveAgentSignature(
    await getDb(),
    agent,
    input.value.signature ?? "",
  );
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath(PAGE);
  return {
    ok: true,
    message: input.value.signature
      ? "Your signature is saved."
      : "Your signature is removed: replies offer your department's.",
  };
}
