"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { readUploads } from "@/lib/tickets/attachments";
import { openTicketForCustomer } from "@/lib/tickets/open-ticket";
import { addCustomerReply, setTicketOpenByCustomer } from "@/lib/tickets/reply";
import {
  customerReplyInput,
  openTicketInput,
  ticketNumberParam,
} from "@/lib/tickets/schemas";

const REATTACH =
  " Files are not kept after an error: please attach them again.";

export async function openTicketAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const viewer = await requireCustomer("/tickets/new");
  const input = parseForm(openTicketInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const { attachments, ...fields } = input.value;
  const files = await readUploads(attachments, env().attachments);
  if (!files.ok) return formFailure(files.error, form);
  const db = await getDb();
  const opened = await openTicketForCustomer(db, viewer, fields, files.value);
  if (!opened.ok) {
    const state = formFailure(opened.error, form);
    return attachments.length
      ? { ...state, message: `${state.message}${REATTACH}` }
      : state;
  }
  deliverSoon(db);
  revalidatePath("/tickets");
  redirect(`/tickets/${opened.value.number}?opened=1`);
}

export async function replyToTicketAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const number = String(form.get("number") ?? "");
  const viewer = await requireCustomer(
    `/tickets/${encodeURIComponent(number)}`,
  );
  const input = parseForm(customerReplyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const files = await readUploads(input.value.attachments, env().attachments);
  if (!files.ok) return formFailure(files.error, form);
  const db = await getDb();
  const sent = await addCustomerReply(db, viewer, input.value, files.value);
  if (!sent.ok) return formFailure(sent.error, form);
  deliverSoon(db);
  revalidatePath(`/tickets/${input.value.number}`);
  return {
    ok: true,
    message: sent.value.reopened
      ? "Reply sent. The ticket is open again."
      : "Reply sent.",
  };
}

export async function setTicketOpenAction(form: FormData): Promise<void> {
  const number = ticketNumberParam.safeParse(form.get("number"));
  const viewer = await requireCustomer(
    number.success ? `/tickets/${number.data}` : "/tickets",
  );
  if (!number.success) redirect("/tickets");
  await setTicketOpenByCustomer(
    await getDb(),
    viewer,
    number.data,
    form.get("open") === "1",
  );
  revalidatePath(`/tickets/${number.data}`);
}
