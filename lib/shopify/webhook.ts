import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { orders, shopifySync, webhookEvents } from "@/db/schema";
import { sessionStatements } from "@/db/prepared";
import type { Db } from "@/db/types";
import type { ShopifyConfig } from "@/lib/env";
import { formatMoney } from "@/lib/format";
import { log } from "@/lib/log";
import { recordOrderEvent } from "@/lib/orders/transitions";
import { forgetLiveShopifyOrders } from "@/lib/shopify/live";
import {
  recordFromWebhook,
  storeShopifyOrder,
  toMinorUnits,
  type RecordOutcome,
} from "@/lib/shopify/orders";

// Shopify's order webhooks: who = the HMAC over the exact body with the webhook secret, then the
// shop; each event applied once (its event id, else its delivery id); an order's older version
// never overwrites a newer one (storeShopifyOrder).

export type ShopifyWebhookAnswer = {
  status: 200 | 400 | 401;
  body: Record<string, unknown>;
};

const ORDER_TOPICS = new Set([
  "orders/create",
  "orders/updated",
  "orders/cancelled",
]);
const TOPICS = new Set([...ORDER_TOPICS, "refunds/create"]);
// Shopify needs these on every delivery; a signed request without one is not a webhook.
const REQUIRED = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-api-version",
  "x-shopify-webhook-id",
] as const;

/** Base64 HMAC-SHA256 of `raw` with `secret`, compared in constant time. */
export function validHmac(
  raw: string,
  secret: string,
  given: string | null,
): boolean {
  if (!given) return false;
  const expected = createHmac("sha256", secret).update(raw, "utf8").digest();
  const actual = Buffer.from(given, "base64");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function receiveShopifyWebhook(
  db: Db,
  config: Pick<ShopifyConfig, "shopDomain" | "webhookSecret">,
  raw: string,
  headers: Pick<Headers, "get">,
  now = new Date(),
): Promise<ShopifyWebhookAnswer> {
  const refuse = async (message: string): Promise<ShopifyWebhookAnswer> => {
    log.warn("shopify.webhook_refused", { reason: message });
    await noteRefusal(db, message, now);
    return { status: 401, body: { error: { code: "unauthorized", message } } };
  };
  if (
    !validHmac(raw, config.webhookSecret, headers.get("x-shopify-hmac-sha256"))
  )
    return refuse(
      "The HMAC does not match the webhook secret (SHOPIFY_WEBHOOK_SECRET, else SHOPIFY_API_SECRET).",
    );
  const missing = REQUIRED.filter((h) => !headers.get(h));
  if (missing.length) return refuse(`Missing headers: ${missing.join(", ")}.`);
  const shop = headers.get("x-shopify-shop-domain")!.trim().toLowerCase();
  if (shop !== config.shopDomain)
    return refuse(`Not from this store: ${shop}.`);

  const topic = headers.get("x-shopify-topic")!.trim().toLowerCase();
  if (!TOPICS.has(topic)) return { status: 200, body: { ignored: topic } };
  const eventId =
    headers.get("x-shopify-event-id") ?? headers.get("x-shopify-webhook-id")!;
  let payload: unknown;
  try {
    // Only to read fields by name; ids are taken as gids or from the raw text, never as numbers.
    payload = JSON.parse(raw);
  } catch {
    return badPayload("The body is not JSON.");
  }
  const record = ORDER_TOPICS.has(topic) ? recordFromWebhook(payload) : null;
  if (record && !record.ok) return badPayload(record.error);

  let changedFor: string | null = null;
  const answer = await db.transaction(
    async (tx): Promise<ShopifyWebhookAnswer> => {
      const fresh = await insertEvent(tx, "", buildEventInsert, {
        eventId: `${topic}:${eventId}`,
        type: topic,
        payload: { shop, gid: record?.ok ? record.record.gid : null },
        now,
      });
      if (!fresh) return { status: 200, body: { duplicate: true } };
      if (record?.ok) {
        // In the event's transaction, not a savepoint of its own: two round trips fewer.
        const outcome: RecordOutcome = await storeShopifyOrder(
          tx,
          record.record,
          now,
        );
        if (outcome !== "stale") changedFor = record.record.email;
        log.info("shopify.webhook", { topic, eventId, outcome });
        return { status: 200, body: { received: true, outcome } };
      }
      return {
        status: 200,
        body: {
          received: true,
          ...(await refundCreated(tx, raw, payload, now)),
        },
      };
    },
  );
  // Once committed, the agent beside this customer's ticket sees the change at once.
  if (changedFor !== null) forgetLiveShopifyOrders(changedFor);
  return answer;
}

// Built once (db/prepared.ts); recorded as processed at once, since it commits only with its changes.
const insertEvent = sessionStatements((rows) => rows.length > 0);
const buildEventInsert = (db: Db) =>
  db
    .insert(webhookEvents)
    .values({
      provider: "shopify",
      eventId: sql.placeholder("eventId"),
      type: sql.placeholder("type"),
      payload: sql.placeholder("payload"),
      receivedAt: sql.placeholder("now"),
      processedAt: sql.placeholder("now"),
    })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });

/**
 * Remembers the latest refused delivery for the settings page, where a wrong secret is otherwise
 * invisible. One row, overwritten: never a growing table anyone on the internet can fill.
 */
async function noteRefusal(db: Db, message: string, now: Date): Promise<void> {
  await db
    .insert(shopifySync)
    .values({ kind: "webhook_refused", lastError: message, updatedAt: now })
    .onConflictDoUpdate({
      target: shopifySync.kind,
      set: { lastError: message, updatedAt: now },
    });
}

function badPayload(message: string): ShopifyWebhookAnswer {
  log.warn("shopify.webhook_bad_payload", { message });
  return { status: 400, body: { error: { code: "invalid_input", message } } };
}

/**
 * A refund made in Shopify: noted on the order's timeline. The amounts follow with the
 * orders/updated Shopify sends for the same refund, which carries the order's new totals.
 */
async function refundCreated(
  db: Db,
  raw: string,
  payload: unknown,
  now: Date,
): Promise<{ outcome: "noted" | "unknown_order" }> {
  // The numeric order id can pass 2^53: read its digits from the text, not from parsed JSON.
  const orderId = /"order_id"\s*:\s*"?(\d+)/.exec(raw)?.[1];
  const [order] = orderId
    ? await db
        .select({ id: orders.id, currency: orders.currency })
        .from(orders)
        .where(
          and(
            eq(orders.provider, "shopify"),
            eq(orders.externalId, `gid://shopify/Order/${orderId}`),
          ),
        )
    : [];
  if (!order) return { outcome: "unknown_order" };
  const amount = refundAmount(payload);
  await recordOrderEvent(db, order.id, null, {
    actor: { kind: "system" },
    note:
      amount === null
        ? "Refund made in Shopify"
        : `Refund of ${formatMoney(amount, order.currency)} made in Shopify`,
    now,
  });
  return { outcome: "noted" };
}

function refundAmount(payload: unknown): number | null {
  const transactions = (payload as { transactions?: unknown })?.transactions;
  if (!Array.isArray(transactions)) return null;
  let total = 0;
  for (const t of transactions as Array<Record<string, unknown>>) {
    if (t.kind !== "refund" || t.status !== "success") continue;
    try {
      total += toMinorUnits(String(t.amount));
    } catch {
      return null;
    }
  }
  return total;
}
