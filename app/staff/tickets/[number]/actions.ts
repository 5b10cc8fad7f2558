"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { deliverSoon } from "@/lib/mail/deliver-soon";
import { readUploads } from "@/lib/tickets/attachments";
import { mergeTickets } from "@/lib/tickets/merge";
import { addParticipant, removeParticipant } from "@/lib/tickets/participants";
import { addAgentReply, addInternalNote } from "@/lib/tickets/reply";
import {
  agentReplyInput,
  internalNoteInput,
  mergeInput,
  participantInput,
  ticketTagInput,
  ticketUpdateInput,
} from "@/lib/tickets/schemas";
import { addTag, removeTag } from "@/lib/tickets/tags";
import {
  linkOrderToTicket,
  linkShopifyOrderToTicket,
} from "@/lib/customers/order-links";
import { forgetLiveShopifyOrders } from "@/lib/shopify/live";
import { shopifyFromEnv } from "@/lib/shopify/from-env";
import { linkOrderInput, linkShopifyOrderInput } from "@/lib/customers/schemas";
import { seenFormValues } from "@/lib/tickets/property-conflicts";
import {
  readTicketProperties,
  updateTicket,
} from "@/lib/tickets/update-ticket";

const path = (form: FormData) =>
  `/staff/tickets/${encodeURIComponent(String(form.get("number") ?? ""))}`;

export async function agentReplyAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(agentReplyInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const files = await readUploads(input.value.attachments, env().attachments);
  if (!files.ok) return formFailure(files.error, form);
  const db = await getDb();
  const sent = await addAgentReply(db, agent, input.value, files.value);
  if (!sent.ok) return formFailure(sent.error, form);
  deliverSoon(db);
  revalidatePath(path(form));
  return { ok: true, message: "Reply sent to the customer." };
}

export async function internalNoteAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(internalNoteInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const files = await readUploads(input.value.attachments, env().attachments);
  if (!files.ok) return formFailure(files.error, form);
  const saved = await addInternalNote(
    await getDb(),
    agent,
    input.value,
    files.value,
  );
  if (!saved.ok) return formFailure(saved.error, form);
  revalidatePath(path(form));
  return { ok: true, message: "Internal note added." };
}

export async function updateTicketAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(ticketUpdateInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const db = await getDb();
  const saved = await updateTicket(db, agent, input.value);
  if (saved.ok) {
    revalidatePath(path(form));
    return { ok: true, message: "Saved." };
  }
  const failure = formFailure(saved.error, form);
  if (saved.error.code !== "conflict") return failure;
  // The agent's choices stay as sent; what they are now based on moves to the ticket as it is, so
  // saving again applies them knowingly.
  const now = await readTicketProperties(db, input.value.number);
  revalidatePath(path(form));
  return now
    ? { ...failure, values: { ...failure.values, ...seenFormValues(now) } }
    : failure;
}

export async function mergeTicketAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(mergeInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const merged = await mergeTickets(await getDb(), agent, {
    source: input.value.number,
    target: input.value.target,
  });
  if (!merged.ok) return formFailure(merged.error, form);
  revalidatePath(path(form));
  revalidatePath("/staff");
  redirect(`/staff/tickets/${merged.value.target.number}`);
}

export async function addParticipantAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(participantInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await addParticipant(await getDb(), agent, input.value);
  if (!added.ok) return formFailure(added.error, form);
  revalidatePath(path(form));
  return { ok: true, message: `${added.value.email} is copied on replies.` };
}

export async function removeParticipantAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(participantInput, form);
  if (!input.ok) return formFailure(input.error);
  const removed = await removeParticipant(await getDb(), agent, input.value);
  revalidatePath(path(form));
  if (!removed.ok) return formFailure(removed.error);
  return { ok: true, message: `${removed.value.email} is no longer copied.` };
}

export async function addTagAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(ticketTagInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const added = await addTag(await getDb(), agent, input.value);
  if (!added.ok) return formFailure(added.error, form);
  revalidatePath(path(form));
  return {
    ok: true,
    message: added.value.added
      ? `Tagged “${added.value.tag}”.`
      : `The ticket already has the tag “${added.value.tag}”.`,
  };
}

export async function removeTagAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(ticketTagInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const removed = await removeTag(await getDb(), agent, input.value);
  if (!removed.ok) return formFailure(removed.error, form);
  revalidatePath(path(form));
  return { ok: true, message: `The tag “${removed.value.tag}” is removed.` };
}

export async function linkOrderAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(linkOrderInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const linked = await linkOrderToTicket(await getDb(), agent, input.value);
  if (!linked.ok) return formFailure(linked.error, form);
  revalidatePath(path(form));
  return { ok: true, message: `Order ${linked.value.orderNumber} is linked.` };
}

export async function linkShopifyOrderAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(path(form));
  const input = parseForm(linkShopifyOrderInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const shopify = shopifyFromEnv();
  if (!shopify)
    return { ok: false, message: "The Shopify store is not connected." };
  const linked = await linkShopifyOrderToTicket(
    await getDb(),
    shopify,
    agent,
    input.value,
  );
  if (!linked.ok) return formFailure(linked.error, form);
  forgetLiveShopifyOrders();
  revalidatePath(path(form));
  return { ok: true, message: `Order ${linked.value.orderNumber} is linked.` };
}
