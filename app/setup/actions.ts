"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { startSession } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { setUpFromBrowser } from "@/lib/setup/first-run";
import { setupFormInput } from "@/lib/setup/schemas";

// Public by nature, like sign-in: the one-time token the server printed at start-up is the
// credential, and setUpFromBrowser refuses everything once an administrator exists.
export async function setupAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(setupFormInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const admin = await setUpFromBrowser(await getDb(), input.value);
  if (!admin.ok) return formFailure(admin.error, form);
  await startSession(admin.value);
  redirect("/staff");
}
