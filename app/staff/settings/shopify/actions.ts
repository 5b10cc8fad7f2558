"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { formFailure, parseForm, type FormState } from "@/lib/forms";
import { shopifyFromEnv } from "@/lib/shopify/from-env";
import { claimShopifyImport } from "@/lib/shopify/import-runner";

const PAGE = "/staff/settings/shopify";

const importInput = z.object({
  kind: z.enum(["orders", "products"], "Choose what to import."),
});

export async function startShopifyImportAction(
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  await requireAdmin(PAGE);
  const input = parseForm(importInput, form);
  if (!input.ok) return formFailure(input.error, form);
  const shopify = shopifyFromEnv();
  if (!shopify) return { ok: false, message: "No Shopify store is connected." };
  const what = input.value.kind === "orders" ? "orders" : "products";
  const run = claimShopifyImport(await getDb(), shopify, input.value.kind);
  // Next keeps the work alive (and its request context intact) after the answer.
  if (run) after(run);
  revalidatePath(PAGE);
  return !run
    ? { ok: true, message: `The ${what} are already being imported.` }
    : {
        ok: true,
        message: `Importing the store's ${what}: this page shows the progress.`,
      };
}
