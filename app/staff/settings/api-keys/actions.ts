"use server";

import { serialId } from "@/lib/ids";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import {
  createApiKey,
  revokeApiKey,
  setApiKeyActive,
} from "@/lib/osticket/api-keys";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";

const PAGE = "/staff/settings/api-keys";
const keyId = z.object({ id: serialId });

export async function createApiKeyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(apiKeyCreateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const created = await createApiKey(
    await getDb(),
    { kind: "user", id: admin.id },
    input.value,
  );
  if (!created.ok) return formFailure(created.error, form);
  revalidatePath(PAGE);
  return {
    ok: true,
    message: `Key created for ${created.value.apiKey.ipAddress}. Copy it now: it is shown only once.`,
    secret: created.value.key,
  };
}

export async function setApiKeyActiveAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(keyId.extend({ active: z.enum(["0", "1"]) }), form);
  if (!input.ok) return formFailure(input.error);
  const saved = await setApiKeyActive(
    await getDb(),
    { kind: "user", id: admin.id },
    input.value.id,
    input.value.active === "1",
  );
  if (!saved.ok || !saved.value)
    return { ok: false, message: "That key no longer exists." };
  revalidatePath(PAGE);
  return {
    ok: true,
    message: saved.value.isActive ? "Key activated." : "Key deactivated.",
  };
}

export async function revokeApiKeyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const admin = await requireAdmin(PAGE);
  const input = parseForm(keyId, form);
  if (!input.ok) return formFailure(input.error);
  const revoked = await revokeApiKey(
    await getDb(),
    { kind: "user", id: admin.id },
    input.value.id,
  );
  if (!revoked.ok || !revoked.value)
    return { ok: false, message: "That key no longer exists." };
  revalidatePath(PAGE);
  return { ok: true, message: "Key revoked." };
}
