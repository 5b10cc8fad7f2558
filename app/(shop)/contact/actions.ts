"use server";

import { getDb } from "@/db/client";
import { requestClientAddress } from "@/lib/auth/session";
import { receiveContactMessage } from "@/lib/customers/contact";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { readUploads } from "@/lib/tickets/attachments";
import { contactInput } from "@/lib/tickets/schemas";

// Public by nature: the contact form is how people without an account reach support. The domain
// function limits it per address and per client.
export async function sendContactMessageAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const input = parseForm(contactInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const { attachments, ...fields } = input.value;
  const files = await readUploads(attachments, env().attachments);
  if (!files.ok) return formFailure(files.error, form);
  const db = await getDb();
  const sent = await receiveContactMessage(db, fields, files.value, {
    client: await requestClientAddress(),
  });
  if (!sent.ok) return formFailure(sent.error, form);
  deliverSoon(db);
  return {
    ok: true,
    message: `Thank you. Your message reached our support team; we answer by mail at ${fields.email}.`,
  };
}
