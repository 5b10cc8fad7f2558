"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAgent } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { releaseInboundMail } from "@/lib/mail-ingest/ledger";

const PAGE = "/staff/mail";
const ledgerEntry = z.object({ id: z.uuid() });

/** Release (held) or replay (failed) one message from the ledger. */
export async function releaseInboundMailAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const agent = await requireAgent(PAGE);
  const input = parseForm(ledgerEntry, form);
  if (!input.ok)
    return { ok: false, message: "That message is not in the ledger." };
  const released = await releaseInboundMail(
    await getDb(),
    agent,
    input.value.id,
  );
  // A failed attempt changes the row too: it now says why.
  revalidatePath(PAGE);
  if (!released.ok) return formFailure(released.error);
  return { ok: true, message: released.value.message };
}
